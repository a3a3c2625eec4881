/**
 * Which lifecycle steps a role may take on a project in its current status (API.md's
 * table, read from the caller's side), so the project page offers exactly those. Pure.
 */
export type ActionId =
  | 'edit'
  | 'deliberate'
  | 'submit'
  | 'review'
  | 'resolveObjections'
  | 'approve'
  | 'contract'
  | 'progress'
  | 'accept'
  | 'changeRequest'
  | 'withdraw';

export interface ActionContext {
  role: string;
  status: string;
  delivery: string;
  /** Who approves this project under the profile (street, district, or community on a fast path). */
  approver: string;
  /** Who reviews under the profile. */
  reviewer: string;
  /** Roles that hold a deliberation step not yet recorded. */
  deliberationHolders: string[];
  /** Whether a stage is left to accept. */
  trancheLeft: boolean;
}

const BEFORE_APPROVAL = ['DRAFT', 'UNDER_REVIEW', 'RETURNED', 'IN_PUBLICITY', 'OBJECTION_REVIEW', 'AWAITING_APPROVAL'];
const TERMINAL = ['CLOSED', 'REJECTED', 'WITHDRAWN', 'FAILED'];

/** The steps open to the caller, in the order the page shows them. */
export const actionsFor = (c: ActionContext): ActionId[] => {
  const out: ActionId[] = [];
  const s = c.status;
  const editable = s === 'DRAFT' || s === 'RETURNED';
  if (c.role === 'community' && editable) out.push('edit');
  if (!TERMINAL.includes(s) && c.deliberationHolders.includes(c.role)) out.push('deliberate');
  if (c.role === 'community' && editable) out.push('submit');
  if (s === 'UNDER_REVIEW' && c.role === c.reviewer) out.push('review');
  if (s === 'OBJECTION_REVIEW' && (c.role === 'street' || c.role === 'district')) out.push('resolveObjections');
  if (s === 'AWAITING_APPROVAL' && c.role === c.approver) out.push('approve');
  if (s === 'APPROVED' && c.role === 'community' && c.delivery !== 'self') out.push('contract');
  if ((s === 'APPROVED' || s === 'IN_PROGRESS') && c.role === 'community') out.push('progress');
  if (s === 'IN_PROGRESS' && c.role === 'street' && c.trancheLeft) out.push('accept');
  if ((s === 'APPROVED' || s === 'IN_PROGRESS') && c.role === 'community') out.push('changeRequest');
  if (BEFORE_APPROVAL.includes(s) && c.role === 'community') out.push('withdraw');
  return out;
};

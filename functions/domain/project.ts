import type { Deadlines, Status } from './lifecycle.ts';
import type { PendingOperation } from './pendingOp.ts';
import type { Actor, HistoryEvent } from './history.ts';

export type Delivery = 'self' | 'social_org' | 'enterprise' | 'individual';
export type ProjectType = 'service' | 'goods' | 'works';

// Kept in history.ts so that pendingOp.ts can name them without importing the project back.
export { PUBLIC, SYSTEM, type Actor, type HistoryEvent } from './history.ts';

export interface Deliberation {
  id: string;
  step: string;
  heldOn: string;
  body: string;
  attendance: number;
  votesFor: number;
  votesAgainst: number;
  abstentions: number;
  minutes: string;
  memberVotes?: { member: string; vote: 'for' | 'against' | 'abstain' }[];
  passed: boolean;
  recordedAt: string;
  recordedBy: Actor;
}

export interface Objection {
  id: string;
  content: string;
  receivedAt: string;
  hasContact: boolean;
  /** The publicity round it was raised in: a resubmitted project is judged on the new round only. */
  round: number;
  resolution?: { upheld: boolean; reply: string; at: string; by: Actor };
}

export interface Tranche {
  n: number;
  amountFen: number;
  paidFen: number;
  acceptedAt?: string;
  /** `id` is absent on attempts recorded before ids were given. */
  attempts: { id?: string; at: string; passed: boolean; comment: string; satisfaction?: number; by: Actor }[];
}

/**
 * What a round's objections decide once every one is resolved: any upheld returns the
 * project, all dismissed let it go to approval; undefined while one is still open.
 */
export const roundOutcome = (
  round: readonly Pick<Objection, 'resolution'>[],
): 'RETURNED' | 'AWAITING_APPROVAL' | undefined => {
  if (!round.every((o) => o.resolution)) return undefined;
  return round.some((o) => o.resolution!.upheld) ? 'RETURNED' : 'AWAITING_APPROVAL';
};

export interface Project {
  id: string;
  communityId: string;
  streetId: string;
  year: number;
  title: string;
  category: string;
  type: ProjectType;
  amountFen: number;
  cofunding: { source: string; amountFen: number }[];
  delivery: Delivery;
  undertakerId?: string;
  measures: string;
  plannedEnd: string;
  needIds: string[];
  restrictedUse?: { rule: string; justification: string };
  status: Status;
  version: number;
  createdAt: string;
  updatedAt: string;
  createdBy: Actor;
  deadlines: Deadlines;
  /** Counts the publicity windows opened (a returned project is publicised again). */
  publicityRound?: number;
  /**
   * The deadline the step after the current publicity window gets if the window closes on
   * time (objection review or approval, both counted from the close): the workflow task that
   * closes the window waits for that step with this timeout. Never returned by the API.
   */
  afterPublicityDueAt?: string;
  /** When the current publicity window opened (the notice board shows it). */
  publicityOpenedAt?: string;
  deliberations: Record<string, Deliberation>;
  /**
   * When the last objection passed the window check. Objections themselves live beside the
   * project (store/objections.ts): the project item never grows with what residents send.
   */
  lastObjectionAt?: string;
  tranches: Tranche[];
  contract?: { undertakerId: string; signedOn: string; amountFen: number; recordedAt: string };
  /** `id` is absent on reports recorded before ids were given. */
  progress: { id?: string; at: string; percent: number; note: string; by: Actor }[];
  history: HistoryEvent[];
  /** The parked human step's token and the status it was parked for (never returned by the API). */
  taskToken?: string;
  taskStatus?: Status;
  /** The status the parked step's Next state expects (null or absent: any, through Route). */
  taskContinuesWith?: Status | null;
  escalation?: { status: Status; level: number; nextDueAt: string | null };
  warnings?: string[];
  /** A command that writes more than one item and has not finished yet (see pendingOp.ts). */
  pendingOp?: PendingOperation;
}

/** The fields the API never returns: workflow plumbing (the store never hands out its keys). */
export const INTERNAL_FIELDS = [
  'taskToken',
  'taskStatus',
  'taskContinuesWith',
  'afterPublicityDueAt',
  'pendingOp',
  'writtenOn',
] as const;

/** An event as the API shows it: the audit entry it carries is for the audit trail only. */
export const eventView = ({ audit: _audit, ...event }: HistoryEvent): HistoryEvent => event;

import type { Actor } from './project.ts';

/** A change of an approved project's amount or planned end, asked for by its community and decided by the district. */
export type ChangeRequestStatus = 'PENDING' | 'APPROVED' | 'REJECTED';

export interface ChangeDecision {
  approve: boolean;
  comment: string;
  at: string;
  by: Actor;
}

export interface ChangeRequest {
  id: string;
  projectId: string;
  communityId: string;
  streetId: string;
  year: number;
  /** The fund share asked for, replacing the project's amountFen. */
  amountFen?: number;
  plannedEnd?: string;
  reason: string;
  /** The project's amount when the request was made, for the reader's comparison. */
  previousAmountFen: number;
  previousPlannedEnd: string;
  status: ChangeRequestStatus;
  requestedAt: string;
  requestedBy: Actor;
  decision?: ChangeDecision;
}

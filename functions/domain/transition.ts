import type { Deadlines, Status } from './lifecycle.ts';
import type { OperationStep, StepRefusal } from './pendingOp.ts';
import type { Actor, HistoryEvent, Project } from './project.ts';

/*
 * A status change as data. A decision (domain/decisions.ts) reads the project, the
 * command, the profile and the time and returns a Transition or a Refusal; the executor
 * (executor/execute.ts) applies any Transition the same way. Nothing here does I/O.
 */

/** Why a command is refused: the HTTP status it maps to, the rule in words, and what names the field. */
export interface Refusal {
  readonly refused: 403 | 404 | 409 | 422;
  readonly detail: string;
  /** Extra members of the problem+json body (the current status, the missing steps, …). */
  readonly extra?: Readonly<Record<string, unknown>>;
  /** For 422: the fields that break the rule. */
  readonly errors?: readonly { path: string; message: string }[];
}

/** Builds a refusal; `refused` is the HTTP status the API answers with. */
export const refuse = (
  refused: Refusal['refused'],
  detail: string,
  extra?: Record<string, unknown>,
  errors?: Refusal['errors'],
): Refusal => ({ refused, detail, ...(extra ? { extra } : {}), ...(errors ? { errors } : {}) });

/** Narrows a decision's outcome to a refusal. */
export const isRefusal = (x: unknown): x is Refusal => typeof x === 'object' && x !== null && 'refused' in x;

/** One conditional write of the project item. */
export interface ProjectWrite {
  /** The statuses the project must still be in. */
  readonly from: readonly Status[];
  readonly to?: Status;
  /** Attributes set (dotted paths reach into maps, e.g. `deadlines.reviewDueAt`). */
  readonly set?: Readonly<Record<string, unknown>>;
  /** The deadlines after the write, which order the open-projects index. */
  readonly deadlinesAfter?: Deadlines;
  readonly events: readonly HistoryEvent[];
  /**
   * Written only while the project's escalation of this status is below this level, so
   * that a repeated timeout records one escalation.
   */
  readonly escalationBelow?: { readonly status: Status; readonly level: number };
}

/** What moves money or another item, done between the intent on the project and its final write. */
export interface OperationPlan {
  /** Stable across a retry of the same command on the same project version. */
  readonly id: string;
  readonly steps: readonly OperationStep[];
  /** Written with the intent (default: only the status guard of `write`). */
  readonly intent?: ProjectWrite;
  /** What the history records when a step is refused and the operation undone. */
  readonly onRefusal?: { readonly events: readonly HistoryEvent[] };
  /**
   * The project's write goes first, carrying the intent, and the steps follow: one write
   * fewer. Only for steps the decision already knows cannot be refused (pendingOp.ts
   * `mayRecordFirst`); the executor does it the usual way for any other.
   */
  readonly recordFirst?: true;
}

/** A decided change of one project, ready for the executor. */
export interface Transition {
  readonly projectId: string;
  /** The status the decision was made in: the one a parked workflow step waits in. */
  readonly fromStatus: Status;
  /** The version the decision read; the write is refused when the project changed since. */
  readonly expectedVersion?: number;
  /** The project's write: the whole change, or the final write of an operation. */
  readonly write: ProjectWrite;
  /** Money or other items that move with it (reserve, pay, move or release a reservation, …). */
  readonly operation?: OperationPlan;
  /** The answer when the project is no longer as read (default: which status this step needs). */
  readonly whenStale?: (current: Project | undefined) => Refusal;
  /** The answer when a step of the operation is refused. */
  readonly whenStepRefused?: (refusal: StepRefusal) => Refusal;
}

/** A history event of a decision (the executor stamps a keyed command's id on it). */
export const historyEvent = (
  at: Date,
  actor: Actor,
  action: string,
  fromStatus: Status | null,
  toStatus: Status | null,
  details?: Record<string, unknown>,
): HistoryEvent => ({
  at: at.toISOString(),
  actor,
  action,
  fromStatus,
  toStatus,
  ...(details ? { details } : {}),
});

/** The default answer to a stale write: the status the project is in and the ones the step needs. */
export const staleStatus =
  (from: readonly Status[]) =>
  (current: Project | undefined): Refusal =>
    refuse(409, `The project is ${current?.status ?? 'gone'}; this step needs ${from.join(' or ')}`, {
      currentStatus: current?.status,
    });

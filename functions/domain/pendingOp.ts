import type { Deadlines, Status } from './lifecycle.ts';
import type { Actor, HistoryEvent } from './history.ts';

/*
 * A command that writes more than one item (the project and its allocation, or the
 * project and a change request) cannot be one transaction on the local store, which has
 * no TransactWriteItems. So it records its intent on the project item first, then does
 * its other writes, each idempotent, then finishes with one conditional write of the
 * project that removes the intent. Whoever finds an intent left behind by a crash (a
 * recovery pass, or the next command on the project) runs the same steps again: every
 * step that already happened is a no-op the second time, so nothing is paid or reserved
 * twice, and the project ends as if the command had not been interrupted.
 */

/** One idempotent write to another item, done between the intent and the project's final write. */
export type OperationStep =
  /** Holds the project's amount on its allocation (approval). */
  | { readonly kind: 'reserve'; readonly fen: number }
  /** Pays tranche n from the project's reservation (a passed acceptance). */
  | { readonly kind: 'pay'; readonly n: number; readonly fen: number }
  /** Moves the project's reservation from one amount to another (a signed contract, an approved change). */
  | { readonly kind: 'moveReservation'; readonly fromFen: number; readonly toFen: number }
  /** Gives back what the project holds but was not paid (failed at year end). */
  | { readonly kind: 'releaseUnpaid' }
  /** Marks a change request decided, the first decider winning. */
  | {
      readonly kind: 'claimChange';
      readonly changeRequestId: string;
      readonly decision: { approve: boolean; comment: string; at: string; by: Actor };
    }
  /** Stores a change request whose asking the project's history already records. */
  | { readonly kind: 'createChange'; readonly request: { readonly id: string } & Record<string, unknown> };

/** Why a step of an operation was refused; the operation was undone and changed nothing. */
export type StepRefusal =
  | { step: 'reserve' | 'moveReservation'; reason: 'NO_ALLOCATION' | 'INSUFFICIENT_FUNDS'; availableFen: number }
  | { step: 'pay'; reason: 'ALREADY_PAID_OTHERWISE' }
  | { step: 'claimChange'; reason: 'DECIDED_MEANWHILE' };

/** An operation in flight, as recorded on the project item. */
export interface PendingOperation {
  /** Deterministic: the command, what it acts on and the project version it started from. */
  readonly id: string;
  /** When the command was asked for (the product's clock), the time its events carry. */
  readonly startedAt: string;
  /**
   * Wall-clock instant until which the command that wrote the intent owns it; after it,
   * anyone may complete it. (The simulated clock cannot tell whether a process died.)
   */
  readonly leaseUntil: string;
  readonly steps: readonly OperationStep[];
  /** The project's status and deadlines while the operation is pending. */
  readonly restingStatus: Status;
  readonly restingDeadlines: Deadlines;
  /** The project write that completes the operation. */
  readonly finish: {
    readonly from: readonly Status[];
    readonly to?: Status;
    readonly set?: Record<string, unknown>;
    readonly events: readonly HistoryEvent[];
    readonly deadlinesAfter?: Deadlines;
  };
  /** What the project's history records when a step is refused and the operation is undone. */
  readonly onRefusal?: { readonly events: readonly HistoryEvent[] };
}

/** How long the command that started an operation owns it: longer than any request may run. */
export const OPERATION_LEASE_MS = 120_000;

/** The id of an operation: stable across a retry of the same step on the same project version. */
export const operationId = (command: string, projectVersion: number, subject?: string | number): string =>
  subject === undefined ? `${command}@${projectVersion}` : `${command}:${subject}@${projectVersion}`;

/** The lease's end for an operation started at the wall-clock instant `wallNowMs`. */
export const leaseFrom = (wallNowMs: number): string => new Date(wallNowMs + OPERATION_LEASE_MS).toISOString();

/** True once nobody owns the operation any more: its starter died or gave up. */
export const isOrphaned = (op: Pick<PendingOperation, 'leaseUntil'>, wallNowMs: number): boolean =>
  wallNowMs >= Date.parse(op.leaseUntil);

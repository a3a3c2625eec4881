import type { Deadlines, Status } from './lifecycle.ts';
import type { Actor, HistoryEvent } from './history.ts';
import { paymentKey, type AllocationState } from './ledger.ts';

/*
 * A command that writes more than one item (the project and its allocation, or the
 * project and a change request) cannot be one transaction on the local store, which has
 * no TransactWriteItems. So it records its intent on the project item first, then does
 * its other writes, each idempotent, then finishes with one conditional write of the
 * project that removes the intent. Whoever finds an intent left behind by a crash (a
 * recovery pass, or the next command on the project) runs the same steps again: every
 * step that already happened is a no-op the second time, so nothing is paid or reserved
 * twice, and the project ends as if the command had not been interrupted.
 *
 * A command whose steps cannot be refused once it was decided (a payment from the
 * project's own reservation) saves a write by going the other way round: its project
 * write goes first and carries the intent, then its steps follow, and the intent stays
 * on the item, done, until the project's next status write removes it. Whoever finds
 * such an intent asks the ledger whether its steps are there; a crash before them is
 * completed by doing them (`recordFirst`).
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
  /**
   * The project write that completes the operation; absent when that write went first and
   * carried this intent (a record-first operation: only its steps may be left to do).
   */
  readonly finish?: {
    readonly from: readonly Status[];
    readonly to?: Status;
    readonly set?: Record<string, unknown>;
    readonly events: readonly HistoryEvent[];
    readonly deadlinesAfter?: Deadlines;
  };
  /** What the project's history records when a step is refused and the operation is undone. */
  readonly onRefusal?: { readonly events: readonly HistoryEvent[] };
  /**
   * Of a record-first operation whose write moved the status: the status its workflow step
   * waited in, so that whoever completes the steps after a crash can wake it.
   */
  readonly wakeFrom?: Status;
}

/** Steps that a decided command cannot see refused: only these may go after the project's write. */
export const mayRecordFirst = (steps: readonly OperationStep[]): boolean =>
  steps.length > 0 && steps.every((s) => s.kind === 'pay');

/**
 * Whether the ledger holds every step of a record-first operation: each payment under
 * its key with its amount. False for any other step (those are never recorded first).
 */
export const stepsInLedger = (
  op: Pick<PendingOperation, 'steps'>,
  projectId: string,
  ledger: Pick<AllocationState, 'payments'> | undefined,
): boolean => op.steps.every((s) => s.kind === 'pay' && ledger?.payments?.[paymentKey(projectId, s.n)] === s.fen);

/** How long the command that started an operation owns it: longer than any request may run. */
export const OPERATION_LEASE_MS = 120_000;

/** The id of an operation: stable across a retry of the same step on the same project version. */
export const operationId = (command: string, projectVersion: number, subject?: string | number): string =>
  subject === undefined ? `${command}@${projectVersion}` : `${command}:${subject}@${projectVersion}`;

/** The lease's end for an operation started at the wall-clock instant `wallNowMs`. */
export const leaseFrom = (wallNowMs: number): string => new Date(wallNowMs + OPERATION_LEASE_MS).toISOString();

/**
 * How long after it started the daily pass still checks a record-first intent against the
 * ledger: three daily sweeps (its lease, minutes long, has long run out by the first), so
 * that one missed sweep does not leave a crash unfinished. Later the intent was checked
 * already (and the next command on the project checks again), so the sweep leaves it alone
 * until its deadline is due. Counted on the clock the sweep runs by (the simulated one
 * locally), so that a simulated year does not check every intent on every one of its days.
 * Each check costs the sweep one read of the fund's ledger, shared by every intent of that
 * fund, besides the project read it makes anyway (executor/operations.ts recordedNotProvenDone).
 */
export const RECORDED_RECHECK_MS = 3 * 86_400_000;

/** True while the daily pass should check a record-first intent that started at `startedAt`. */
export const recheckRecorded = (startedAt: string, nowMs: number): boolean =>
  nowMs < Date.parse(startedAt) + RECORDED_RECHECK_MS;

/** True once nobody owns the operation any more: its starter died or gave up. */
export const isOrphaned = (op: Pick<PendingOperation, 'leaseUntil'>, wallNowMs: number): boolean =>
  wallNowMs >= Date.parse(op.leaseUntil);

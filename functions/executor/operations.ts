import { runtime } from '../runtime.ts';
import { STATUSES, type Status } from '../domain/lifecycle.ts';
import {
  isOrphaned,
  leaseFrom,
  stepsInLedger,
  type OperationStep,
  type PendingOperation,
  type StepRefusal,
} from '../domain/pendingOp.ts';
import type { Project } from '../domain/project.ts';
import { changeProject, getProject, listPendingOperations, type ProjectChange } from '../store/projects.ts';
import { changeReservation, fundOf, getAllocation, pay, releaseUnpaid, reserve } from '../store/allocations.ts';
import {
  claimDecision,
  createChangeRequest,
  getChangeRequest,
  releaseDecision,
  type ChangeRequest,
} from '../store/changeRequests.ts';
import { isConditionFailure } from '../store/table.ts';
import { intentSeenDone, markIntentSeenDone } from '../store/projectCache.ts';
import { wakeWorkflow } from './workflow.ts';

/*
 * The runner of multi-item commands (see domain/pendingOp.ts): begin records the intent
 * on the project, settle does the other writes and the project's final write. A command
 * calls both; a crash between them leaves the intent, and settle run again by anyone
 * later (the recovery pass, the next command on the project) finishes the same way.
 * A record-first command (recordFirst) writes the project with its intent, then does
 * its steps; its intent stays, done, until the project's next status write removes it.
 */

export type Settled =
  | { ok: true; project: Project }
  | { ok: false; refusal: StepRefusal; project: Project | undefined };

type Outcome = { ok: true } | { ok: false; refusal: StepRefusal };
const OK: Outcome = { ok: true };

/** Does one step; each is idempotent, so doing it again after a crash changes nothing more. */
const runStep = async (p: Project, step: OperationStep, now: Date): Promise<Outcome> => {
  const f = fundOf(p);
  switch (step.kind) {
    case 'reserve': {
      const r = await reserve(f, p.id, step.fen, now);
      return r.ok
        ? OK
        : {
            ok: false,
            refusal: {
              step: 'reserve',
              reason: r.reason,
              availableFen: r.reason === 'INSUFFICIENT_FUNDS' ? r.availableFen : 0,
            },
          };
    }
    case 'moveReservation': {
      const r = await changeReservation(f, p.id, step.fromFen, step.toFen, now);
      return r.ok
        ? OK
        : {
            ok: false,
            refusal: {
              step: 'moveReservation',
              reason: r.reason,
              availableFen: r.reason === 'INSUFFICIENT_FUNDS' ? r.availableFen : 0,
            },
          };
    }
    case 'pay':
      return (await pay(f, p.id, step.n, step.fen, now))
        ? OK
        : { ok: false, refusal: { step: 'pay', reason: 'ALREADY_PAID_OTHERWISE' } };
    case 'releaseUnpaid':
      await releaseUnpaid(f, p.id, now);
      return OK;
    case 'claimChange': {
      if (await claimDecision(step.changeRequestId, step.decision)) return OK;
      // Claimed by this same operation before a crash: the decision stored is ours.
      const cr = await getChangeRequest(step.changeRequestId);
      const ours =
        cr?.decision &&
        cr.decision.at === step.decision.at &&
        cr.decision.by.sub === step.decision.by.sub &&
        cr.decision.approve === step.decision.approve;
      return ours ? OK : { ok: false, refusal: { step: 'claimChange', reason: 'DECIDED_MEANWHILE' } };
    }
    case 'createChange':
      try {
        await createChangeRequest(step.request as unknown as ChangeRequest);
      } catch (e) {
        // Already stored by an earlier try of this same operation (the id is the operation's).
        if (!isConditionFailure(e)) throw e;
      }
      return OK;
  }
};

/** Undoes a step that succeeded before a later one was refused. Only a claim precedes another step. */
const undoStep = async (step: OperationStep): Promise<void> => {
  if (step.kind === 'claimChange') await releaseDecision(step.changeRequestId, step.decision);
};

/** Whether the ledger holds every step of the project's record-first intent (one read of its allocation). */
const recordedStepsDone = async (p: Project, op: PendingOperation): Promise<boolean> => {
  if (intentSeenDone(p.id, op.id)) return true;
  const f = fundOf(p);
  const done = stepsInLedger(op, p.id, await getAllocation(f.year, f.streetId, f.communityId));
  if (done) markIntentSeenDone(p.id, op.id);
  return done;
};

/** Does the steps of a record-first intent; nothing can be undone, the project already records the command. */
const doRecordedSteps = async (p: Project, op: PendingOperation, now: Date): Promise<void> => {
  for (const step of op.steps) {
    const r = await runStep(p, step, now);
    // The decision saw these steps cannot be refused; if one is, the ledger and the project disagree.
    if (!r.ok) throw new Error(`step ${step.kind} of ${op.id} on project ${p.id} was refused: ${r.refusal.step}`);
  }
};

/**
 * Completes a record-first intent left by a crash: the steps the ledger lacks are done,
 * and a workflow whose status the project's write moved is told. The intent stays on
 * the item (its steps are done now); the project's next status write removes it.
 */
const completeRecorded = async (
  p: Project,
  op: PendingOperation,
  now: Date,
  opts: { wake?: boolean },
): Promise<'done' | 'completed'> => {
  if (await recordedStepsDone(p, op)) return 'done';
  await doRecordedSteps(p, op, now);
  markIntentSeenDone(p.id, op.id);
  if (opts.wake !== false && op.wakeFrom) await wakeAfterCrash(p, op.wakeFrom, now);
  return 'completed';
};

const wakeAfterCrash = async (p: Project, fromStatus: Status, now: Date): Promise<void> => {
  try {
    await wakeWorkflow(p, fromStatus, now);
  } catch (e) {
    // A token from before the crash may be gone; the execution reloads the project at its next step.
    runtime().logger.warn('could not wake the workflow after finishing an operation', {
      projectId: p.id,
      error: e as Error,
    });
  }
};

/**
 * Whether an operation still holds the project: a usual one until its final write, a
 * record-first one until its steps are in the ledger (its starter still at them). One
 * whose starter is gone is completed first (settleIfOrphaned).
 */
export const holdsProject = async (p: Project): Promise<boolean> =>
  !!p.pendingOp && (p.pendingOp.finish !== undefined || !(await recordedStepsDone(p, p.pendingOp)));

/**
 * What the project's next write must say about a record-first intent on it: `settles`
 * removes it with that write; `held` while its starter may still be doing its steps (the
 * write must wait); neither when there is none. One whose starter is gone is completed here.
 */
export const doneIntentOf = async (
  p: Project,
  now: Date,
): Promise<{ settles?: NonNullable<ProjectChange['settles']>; held?: true }> => {
  const op = p.pendingOp;
  if (!op || op.finish) return {};
  if (!(await recordedStepsDone(p, op))) {
    if (!isOrphaned(op, Date.now())) return { held: true };
    await completeRecorded(p, op, now, {});
  }
  return { settles: { opId: op.id, status: p.status, deadlines: p.deadlines } };
};

/**
 * A record-first command (domain/pendingOp.ts): the project's write with its intent, in
 * one conditional write, then the steps. `change` may settle a done intent it replaces.
 * Returns undefined when the project is not as the caller read it.
 *
 * @param wakeFrom - the status the workflow's step waits in, when the write moves the status
 */
export const recordThenDo = async (
  p: Project,
  op: Pick<PendingOperation, 'id' | 'steps'> & { wakeFrom?: Status },
  change: Omit<ProjectChange, 'begins'>,
  now: Date,
): Promise<Project | undefined> => {
  const begins: PendingOperation = {
    ...op,
    startedAt: now.toISOString(),
    leaseUntil: leaseFrom(Date.now()),
    restingStatus: change.to ?? p.status,
    restingDeadlines: change.deadlinesAfter ?? p.deadlines,
  };
  const after = await changeProject(p.id, { ...change, begins }, now, p);
  if (!after) return undefined;
  await doRecordedSteps(after, begins, now);
  markIntentSeenDone(after.id, begins.id);
  return after;
};

/**
 * Records an operation's intent on the project, together with `change` (which may be a
 * status change of its own, e.g. FAILED at year end, and may settle a done record-first
 * intent this one replaces). Returns undefined when the project is not as the caller
 * read it or another operation is pending.
 */
export const beginOperation = async (
  p: Project,
  op: Omit<PendingOperation, 'leaseUntil' | 'restingStatus' | 'restingDeadlines'>,
  change: Omit<ProjectChange, 'begins' | 'events'> & { events?: ProjectChange['events'] },
  now: Date,
): Promise<Project | undefined> => {
  const restingDeadlines = change.deadlinesAfter ?? p.deadlines;
  const begins: PendingOperation = {
    ...op,
    leaseUntil: leaseFrom(Date.now()),
    restingStatus: change.to ?? p.status,
    restingDeadlines,
  };
  return changeProject(p.id, { ...change, events: change.events ?? [], begins }, now, p);
};

/**
 * Completes the project's pending operation: does every step (again, harmlessly, if a
 * crash interrupted it), then the project's final write. A refused step undoes the
 * earlier ones and removes the intent, recording the refusal where the operation says so.
 *
 * @param opts.wake - tell a parked workflow about the new status (not at a local start,
 *   where executions are started afresh from the stored status)
 */
export const settleOperation = async (p: Project, now: Date, opts: { wake?: boolean } = {}): Promise<Settled> => {
  const op = p.pendingOp;
  if (!op) return { ok: true, project: p };
  if (!op.finish) {
    await completeRecorded(p, op, now, opts);
    return { ok: true, project: p };
  }
  const settles = { opId: op.id, status: op.restingStatus, deadlines: op.restingDeadlines };
  for (const [i, step] of op.steps.entries()) {
    const r = await runStep(p, step, now);
    if (r.ok) continue;
    for (const done of op.steps.slice(0, i).reverse()) await undoStep(done);
    const after = await changeProject(
      p.id,
      { from: STATUSES, events: [...(op.onRefusal?.events ?? [])], settles },
      now,
      p,
    );
    return { ok: false, refusal: r.refusal, project: after ?? (await getProject(p.id)) };
  }
  const f = op.finish;
  const after = await changeProject(
    p.id,
    { from: f.from, to: f.to, set: f.set, events: [...f.events], deadlinesAfter: f.deadlinesAfter, settles },
    now,
    p,
  );
  if (!after) {
    const current = await getProject(p.id);
    // Finished by someone else meanwhile (a recovery pass and a retry racing): nothing left to do.
    if (current && current.pendingOp?.id !== op.id) return { ok: true, project: current };
    throw new Error(`operation ${op.id} on project ${p.id} cannot finish from status ${current?.status}`);
  }
  if (opts.wake !== false && f.to && after.status !== op.restingStatus)
    await wakeAfterCrash(after, op.restingStatus, now);
  return { ok: true, project: after };
};

/** Settles the project's operation if its starter is gone; returns the project as it is now. */
export const settleIfOrphaned = async (p: Project, now: Date): Promise<Project> => {
  if (!p.pendingOp || !isOrphaned(p.pendingOp, Date.now())) return p;
  const r = await settleOperation(p, now);
  return r.project ?? p;
};

/**
 * Of projects read with a record-first intent on them (the sweep's own read, which may
 * be a moment stale), those whose steps the ledger does not show, to be checked the
 * thorough way (resumePendingOperations). Each fund's allocation is read once for all
 * of its projects: a payment once in the ledger stays there, so a ledger that holds the
 * steps proves the intent done however stale either read is, and anything else (a
 * payment not seen yet, a copy without the intent) goes to the thorough check. An intent
 * this process already saw done needs no read at all.
 */
export const recordedNotProvenDone = async (projects: readonly Project[]): Promise<Project[]> => {
  const ledgers = new Map<string, ReturnType<typeof getAllocation>>();
  const unproven: Project[] = [];
  for (const p of projects) {
    const op = p.pendingOp;
    const f = fundOf(p);
    const fund = `${f.year}#${f.streetId}#${f.communityId}`;
    if (!op || op.finish) {
      unproven.push(p);
      continue;
    }
    if (intentSeenDone(p.id, op.id)) continue;
    if (!ledgers.has(fund)) ledgers.set(fund, getAllocation(f.year, f.streetId, f.communityId));
    if (stepsInLedger(op, p.id, await ledgers.get(fund))) markIntentSeenDone(p.id, op.id);
    else unproven.push(p);
  }
  return unproven;
};

/** What a recovery pass did. */
export interface RecoveryResult {
  found: number;
  completed: number;
  undone: number;
  failed: number;
  /** Record-first intents whose steps were already done: they wait for the project's next status write. */
  resting: number;
}

/**
 * The recovery pass: completes (or undoes) every operation a crash left unfinished. At a
 * local start no request is running, so `all` settles every one; the daily sweep in AWS
 * settles only those whose lease has run out.
 */
export const resumePendingOperations = async (
  opts: { all?: boolean; wake?: boolean; candidates?: readonly { id: string }[] } = {},
): Promise<RecoveryResult> => {
  const now = runtime().clock.now();
  // The sweep passes what its own read of the deadline index found, saving a second read of every shard.
  const found = opts.candidates ?? (await listPendingOperations());
  const result: RecoveryResult = { found: found.length, completed: 0, undone: 0, failed: 0, resting: 0 };
  for (const stale of found) {
    // The index may lag the item; the item is the truth.
    const p = await getProject(stale.id);
    if (!p?.pendingOp) continue;
    if (!opts.all && !isOrphaned(p.pendingOp, Date.now())) continue;
    try {
      if (!p.pendingOp.finish) {
        const r = await completeRecorded(p, p.pendingOp, now, { wake: opts.wake });
        result[r === 'done' ? 'resting' : 'completed']++;
        continue;
      }
      const r = await settleOperation(p, now, { wake: opts.wake });
      if (r.ok) result.completed++;
      else result.undone++;
    } catch (e) {
      result.failed++;
      runtime().logger.error('an unfinished operation could not be settled', {
        projectId: p.id,
        opId: p.pendingOp.id,
        error: e as Error,
      });
    }
  }
  if (found.length > result.resting) runtime().logger.info('unfinished operations settled', { ...result });
  return result;
};

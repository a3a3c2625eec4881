import type { HistoryEvent, Project } from '../domain/project.ts';
import { mayRecordFirst } from '../domain/pendingOp.ts';
import { staleStatus, type ProjectWrite, type Refusal, type Transition } from '../domain/transition.ts';
import { changeProject, getProject, type ProjectChange } from '../store/projects.ts';
import { currentCommandId } from './commandContext.ts';
import { beginOperation, doneIntentOf, recordThenDo, settleOperation } from './operations.ts';
import { wakeWorkflow } from './workflow.ts';

/*
 * The one executor of status changes. API handlers, workflow tasks and jobs decide in
 * domain/ and hand the Transition here; this applies it: one conditional write, or (when
 * money or another item moves too) the intent, the other writes with compensation, and
 * the project's final write (executor/operations.ts), or for a record-first operation the
 * project's write with its intent and then the other writes; then it wakes the workflow.
 * A record-first intent left done on the project is removed by the next status write.
 */

/** What executing a transition came to: the project as it is now, or why nothing changed. */
export type Executed = { ok: true; project: Project } | { ok: false; refusal: Refusal; current?: Project };

/** A keyed command stamps its events, so that its re-run after a crash recognises its own effect. */
export const stampCommand = (e: HistoryEvent): HistoryEvent => {
  const commandId = currentCommandId();
  return commandId ? { ...e, details: { ...e.details, commandId } } : e;
};

const stamped = (events: readonly HistoryEvent[]): HistoryEvent[] => events.map(stampCommand);

/** The store's change for a project write, with the version the decision read. */
const changeOf = (w: ProjectWrite, expectedVersion: number | undefined): ProjectChange => ({
  from: w.from,
  ...(w.to ? { to: w.to } : {}),
  ...(w.set ? { set: { ...w.set } } : {}),
  ...(w.deadlinesAfter ? { deadlinesAfter: w.deadlinesAfter } : {}),
  ...(expectedVersion !== undefined ? { expectedVersion } : {}),
  ...(w.escalationBelow ? { escalationBelow: w.escalationBelow } : {}),
  events: stamped(w.events),
});

/**
 * Applies a decided transition to the project it was decided on.
 *
 * @param opts.wake - wake the workflow when the status moved (default true; the
 *   workflow's own steps pass false: the execution continues from the state they return)
 * @returns the project afterwards, or the refusal the transition names for a stale
 *   project or a refused step (nothing changed then, compensation included)
 */
export const execute = async (
  p: Project,
  t: Transition,
  now: Date,
  opts: { wake?: boolean } = {},
): Promise<Executed> => {
  const stale = async (): Promise<Executed> => {
    const current = await getProject(p.id);
    return { ok: false, refusal: (t.whenStale ?? staleStatus(t.write.from))(current), current };
  };
  // A done record-first intent goes with this write; one whose steps are still being done holds it back.
  const done = await doneIntentOf(p, now);
  if (done.held) return stale();
  const settling = done.settles ? { settles: done.settles } : {};
  if (!t.operation) {
    const after = await changeProject(p.id, { ...changeOf(t.write, t.expectedVersion), ...settling }, now, p);
    if (!after) return stale();
    if (opts.wake !== false && t.write.to && after.status !== p.status) await wakeWorkflow(after, t.fromStatus, now);
    return { ok: true, project: after };
  }
  const op = t.operation;
  if (op.recordFirst && mayRecordFirst(op.steps)) {
    const moved = !!t.write.to && t.write.to !== p.status;
    const after = await recordThenDo(
      p,
      { id: op.id, steps: op.steps, ...(moved ? { wakeFrom: t.fromStatus } : {}) },
      { ...changeOf(t.write, t.expectedVersion), ...settling },
      now,
    );
    if (!after) return stale();
    if (opts.wake !== false && moved && after.status !== p.status) await wakeWorkflow(after, t.fromStatus, now);
    return { ok: true, project: after };
  }
  const intent = { ...changeOf(op.intent ?? { from: t.write.from, events: [] }, t.expectedVersion), ...settling };
  const finish = changeOf(t.write, undefined);
  const begun = await beginOperation(
    p,
    {
      id: op.id,
      startedAt: now.toISOString(),
      steps: op.steps,
      finish: {
        from: finish.from,
        ...(finish.to ? { to: finish.to } : {}),
        ...(finish.set ? { set: finish.set } : {}),
        ...(finish.deadlinesAfter ? { deadlinesAfter: finish.deadlinesAfter } : {}),
        events: finish.events,
      },
      ...(op.onRefusal ? { onRefusal: { events: stamped(op.onRefusal.events) } } : {}),
    },
    intent,
    now,
  );
  if (!begun) return stale();
  // A status moved by the finish wakes the workflow inside settleOperation, which only logs a
  // token lost to a crash; one moved with the intent (failed at year end) wakes it here, where
  // a failure to reach the workflow is the command's failure.
  const settled = await settleOperation(begun, now, { wake: opts.wake });
  if (settled.ok) {
    if (opts.wake !== false && begun.status !== p.status) await wakeWorkflow(settled.project, t.fromStatus, now);
    return { ok: true, project: settled.project };
  }
  const refusal = t.whenStepRefused?.(settled.refusal);
  if (!refusal) throw new Error(`step ${settled.refusal.step} of ${op.id} was refused and no answer is defined`);
  return { ok: false, refusal, ...(settled.project ? { current: settled.project } : {}) };
};

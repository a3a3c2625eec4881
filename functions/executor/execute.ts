import { runtime } from '../runtime.ts';
import type { HistoryEvent, Project } from '../domain/project.ts';
import { staleStatus, type ProjectWrite, type Refusal, type Transition } from '../domain/transition.ts';
import { changeProject, getProject, type ProjectChange } from '../store/projects.ts';
import { currentCommandId } from './commandContext.ts';
import { beginOperation, settleOperation } from './operations.ts';
import { wakeWorkflow } from './workflow.ts';

/*
 * The one executor of status changes. API handlers, workflow tasks and jobs decide in
 * domain/ and hand the Transition here; this applies it: one conditional write, or (when
 * money or another item moves too) the intent, the other writes with compensation, and
 * the project's final write (executor/operations.ts); then it wakes the workflow.
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

const wakeQuietly = async (after: Project, fromStatus: Project['status'], now: Date): Promise<void> => {
  try {
    await wakeWorkflow(after, fromStatus, now);
  } catch (e) {
    // A token from before a crash may be gone; the execution reloads the project at its next step.
    runtime().logger.warn('could not wake the workflow after finishing an operation', {
      projectId: after.id,
      error: e as Error,
    });
  }
};

/**
 * Applies a decided transition to the project it was decided on.
 *
 * @param opts.wake - wake the workflow when the status moved (default true; a job that
 *   wakes it itself after more work passes false)
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
  if (!t.operation) {
    const after = await changeProject(p.id, changeOf(t.write, t.expectedVersion), now);
    if (!after) return stale();
    if (opts.wake !== false && t.write.to && after.status !== p.status) await wakeWorkflow(after, t.fromStatus, now);
    return { ok: true, project: after };
  }
  const op = t.operation;
  const intent = changeOf(op.intent ?? { from: t.write.from, events: [] }, t.expectedVersion);
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
  // Settled without waking: the status may have moved with the intent (failed at year end) or the finish.
  const settled = await settleOperation(begun, now, { wake: false });
  if (settled.ok) {
    if (opts.wake !== false && settled.project.status !== p.status)
      await wakeQuietly(settled.project, t.fromStatus, now);
    return { ok: true, project: settled.project };
  }
  const refusal = t.whenStepRefused?.(settled.refusal);
  if (!refusal) throw new Error(`step ${settled.refusal.step} of ${op.id} was refused and no answer is defined`);
  return { ok: false, refusal, ...(settled.project ? { current: settled.project } : {}) };
};

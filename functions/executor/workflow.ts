import { runtime } from '../runtime.ts';
import { sharesWait, stepStateOf, type Status } from '../domain/lifecycle.ts';
import type { Project } from '../domain/project.ts';

/**
 * Tells the project's workflow that its status moved: a project leaving DRAFT starts its
 * execution; otherwise the token parked for the old status carries the new state on,
 * unless that parked step waits for the new status just as well (sharesWait).
 */
export const wakeWorkflow = async (after: Project, fromStatus: Status, now: Date): Promise<void> => {
  if (fromStatus === 'DRAFT') {
    await runtime().workflow.start(after.id, { ...stepStateOf(after, now) });
    return;
  }
  if (!after.taskToken) return;
  // The token may have been parked for an earlier status whose wait this one shares.
  const parkedForThisStep = after.taskStatus === fromStatus || sharesWait(after.taskStatus, fromStatus, after);
  if (!parkedForThisStep || sharesWait(after.taskStatus, after.status, after)) return;
  await runtime().workflow.sendTaskSuccess(after.taskToken, { ...stepStateOf(after, now) });
};

import { runtime } from '../runtime.ts';
import { stepStateOf, type Status } from '../domain/lifecycle.ts';
import type { Project } from '../domain/project.ts';

/**
 * Tells the project's workflow that its status moved: a project leaving DRAFT starts its
 * execution; otherwise the token parked for the old status carries the new state on.
 */
export const wakeWorkflow = async (after: Project, fromStatus: Status, now: Date): Promise<void> => {
  if (fromStatus === 'DRAFT') {
    await runtime().workflow.start(after.id, { ...stepStateOf(after, now) });
  } else if (after.taskToken && after.taskStatus === fromStatus) {
    await runtime().workflow.sendTaskSuccess(after.taskToken, { ...stepStateOf(after, now) });
  }
};

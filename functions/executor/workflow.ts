import { runtime } from '../runtime.ts';
import {
  REROUTE_ERROR,
  continuesOnPath,
  sharesWait,
  tokenServes,
  stepStateOf,
  type Status,
  type StepState,
} from '../domain/lifecycle.ts';
import type { Project } from '../domain/project.ts';

/**
 * Sends a parked step's token back with the state the workflow continues from: as the
 * step's result when its Next expects that status (`continuesWith`, see continuesOnPath),
 * otherwise as the failure `Project.Reroute` carrying the state, which the definition
 * turns back into the state and hands to Route. The usual path so passes no Choice state.
 */
export const handBack = async (
  token: string,
  state: StepState,
  continuesWith: Status | null | undefined,
): Promise<void> => {
  if (continuesOnPath(state.status, continuesWith)) return runtime().workflow.sendTaskSuccess(token, { ...state });
  return runtime().workflow.sendTaskFailure(token, REROUTE_ERROR, JSON.stringify(state));
};

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
  if (!tokenServes(after, fromStatus) || sharesWait(after.taskStatus, after.status, after)) return;
  await handBack(after.taskToken, stepStateOf(after, now), after.taskContinuesWith);
};

import { runtime } from '../runtime.ts';
import {
  HUMAN_STEPS,
  dueAtFor,
  sharesWait,
  stepStateOf,
  timeoutEndsAt,
  type StepState,
  type Status,
} from '../domain/lifecycle.ts';
import type { Transition } from '../domain/transition.ts';
import { SYSTEM, type Project } from '../domain/project.ts';
import {
  decideCloseCompletionPublicity,
  decideClosePublicity,
  decideEscalation,
  publicityClosed,
} from '../domain/decisions/workflow.ts';
import { getProject, getProjectToChange, parkToken } from '../store/projects.ts';
import { decideOnCopies } from '../store/projectCache.ts';
import { closeObjectionRound } from '../store/objections.ts';
import { decisionContext } from '../executor/context.ts';
import { execute } from '../executor/execute.ts';
import { handBack } from '../executor/workflow.ts';
import { escalationNotice } from '../notify/reminders.ts';

/**
 * The workflow's task logic, shared by the Lambda handlers and the local runner. Each
 * step reads the project (the truth), does its one change with a conditional write,
 * and returns the state the workflow continues from.
 */
export interface ParkInput {
  /**
   * Absent: park for the current human step. `closePublicity`: close the window and park
   * the step after it. `closeCompletionPublicity`: close the completion publicity and hand
   * the state straight back (the last task: it ends the execution when the project closed).
   */
  action?: 'closePublicity' | 'closeCompletionPublicity';
  projectId: string;
  status: Status;
  dueAt: string | null;
  /** The task's timeout, given with `closePublicity` (executions of older definitions park without it). */
  timeoutSeconds?: number;
  escalations: number;
  /** The status the task's Next state expects; any other goes through Route (absent: every status does). */
  continuesWith?: Status;
  token: string;
}

const gone = (projectId: string): StepState => ({
  projectId,
  status: 'WITHDRAWN',
  dueAt: null,
  timeoutSeconds: 1,
  waitUntil: null,
  escalations: 0,
});

const reload = async (projectId: string, now: Date): Promise<StepState> => {
  const p = await getProject(projectId);
  return p ? stepStateOf(p, now) : gone(projectId);
};

/** Keeps the token on the project; if the project already moved on, hands the new state straight back. */
export const park = async (input: ParkInput): Promise<void> => {
  const now = runtime().clock.now();
  // A close decides on this process's copy of the project when it has one, as a command does:
  // its write is checked against the copy's version, and a refusal decides again on a fresh read.
  if (input.action === 'closePublicity') return decideOnCopies(() => closePublicityAndPark(input, now));
  if (input.action === 'closeCompletionPublicity')
    return decideOnCopies(() => closeCompletionPublicityAndHandBack(input, now));
  if (await parkToken(input.projectId, input.status, input.token, input.continuesWith)) return;
  await handBack(input.token, await reload(input.projectId, now), input.continuesWith);
};

/**
 * Closes the completion publicity in a task that waits for its own token, so that it can
 * end the execution when the project closed and reroute otherwise (the window not over
 * yet, the project moved on): no Choice after it on the usual path.
 */
const closeCompletionPublicityAndHandBack = async (input: ParkInput, now: Date): Promise<void> => {
  const p = await getProjectToChange(input.projectId);
  const state = p ? await closeCompletionPublicity(p, now) : gone(input.projectId);
  await handBack(input.token, state, input.continuesWith);
};

/**
 * Closes a publicity window and, in the same conditional write, parks the token of the
 * human step that follows (objection review or approval): one write and one task instead
 * of a close, a park and the states between. The task's timeout was fixed before the
 * window closed (`afterPublicityDueAt`), so the token is parked only when that timeout
 * ends at the new step's deadline; otherwise, as when the window did not close, the state
 * goes straight back and the workflow parks the step afresh.
 */
const closePublicityAndPark = async (input: ParkInput, now: Date): Promise<void> => {
  const back = async (state: StepState) => handBack(input.token, state, input.continuesWith);
  const p = await getProjectToChange(input.projectId);
  if (!p) return back(gone(input.projectId));
  const t = await decideCloseOf(p, now);
  if (!t) return back(stepStateOf(p, now));
  const to = t.write.to!;
  const step = { dueAt: input.dueAt, timeoutSeconds: input.timeoutSeconds ?? 0 };
  const parks =
    HUMAN_STEPS.includes(to) && dueAtFor(to, t.write.deadlinesAfter ?? {}) === step.dueAt && timeoutEndsAt(step, now);
  // null, not absent: the write must clear what a step parked earlier expected.
  const token = { taskToken: input.token, taskStatus: to, taskContinuesWith: input.continuesWith ?? null };
  const withToken: Transition = parks ? { ...t, write: { ...t.write, set: { ...t.write.set, ...token } } } : t;
  const r = await execute(p, withToken, now, { wake: false });
  if (r.ok && parks) return;
  await back(r.ok ? stepStateOf(r.project, now) : await reload(p.id, now));
};

export type StepAction = 'load' | 'closePublicity' | 'closeCompletionPublicity' | 'escalate';

export interface StepInput {
  action: StepAction;
  projectId: string;
  status: Status;
  dueAt: string | null;
  escalations: number;
}

export const runStep = async (input: StepInput): Promise<StepState> => {
  const now = runtime().clock.now();
  const p = await getProject(input.projectId);
  if (!p) return gone(input.projectId);
  switch (input.action) {
    case 'load':
      return stepStateOf(p, now);
    case 'closePublicity':
      return closePublicity(p, now);
    case 'closeCompletionPublicity':
      return closeCompletionPublicity(p, now);
    case 'escalate':
      return escalate(p, input, now);
  }
};

/** The state the workflow continues from after a transition: the project as written, or as it is now. */
const after = async (p: Project, t: Transition | undefined, now: Date): Promise<StepState> => {
  if (!t) return stepStateOf(p, now);
  // The workflow itself runs this step, so it is not woken: it continues from the state returned.
  const r = await execute(p, t, now, { wake: false });
  return r.ok ? stepStateOf(r.project, now) : reload(p.id, now);
};

/** The close of a publicity window that has ended, or undefined while it is open (or the project moved on). */
const decideCloseOf = async (p: Project, now: Date): Promise<Transition | undefined> => {
  if (!publicityClosed(p, now)) return undefined;
  const accepted = await closeObjectionRound(p, p.publicityRound ?? 0);
  return decideClosePublicity(p, accepted, await decisionContext(SYSTEM, now));
};

/** The close of executions started under the definition whose close task did not park (it still runs them). */
const closePublicity = async (p: Project, now: Date): Promise<StepState> => after(p, await decideCloseOf(p, now), now);

/** The close of a completion publicity (by the step function for executions of definitions before it was a park task). */
const closeCompletionPublicity = async (p: Project, now: Date): Promise<StepState> =>
  after(p, decideCloseCompletionPublicity(p, await decisionContext(SYSTEM, now)), now);

/**
 * A human step passed its deadline: record it, tell the level above, and keep waiting.
 * Never decides for anyone. The escalation's level makes a repeated timeout a no-op.
 */
const escalate = async (p: Project, input: StepInput, now: Date): Promise<StepState> => {
  const state = stepStateOf(p, now);
  // A timeout of the task that closed a publicity window is the deadline of the step it
  // parked; one of a step whose wait the current status shares is that status's deadline.
  const parkedHere =
    input.status === 'IN_PUBLICITY'
      ? p.taskStatus === p.status
      : p.taskStatus === input.status && sharesWait(input.status, p.status, p);
  const step = p.status !== input.status && parkedHere ? { ...input, status: p.status } : input;
  const d = decideEscalation(p, step, await decisionContext(SYSTEM, now));
  if (d.kind === 'wait') return state;
  if (d.kind === 'exhausted') return { ...state, dueAt: null };
  const r = await execute(p, d.transition, now, { wake: false });
  if (!r.ok) return reload(p.id, now);
  await escalationNotice(r.project, d.level, input.dueAt!, now);
  return stepStateOf(r.project, now);
};

import { runtime } from '../runtime.ts';
import { stepStateOf, type StepState, type Status } from '../domain/lifecycle.ts';
import type { Transition } from '../domain/transition.ts';
import { SYSTEM, type Project } from '../domain/project.ts';
import {
  decideCloseCompletionPublicity,
  decideClosePublicity,
  decideEscalation,
  publicityClosed,
} from '../domain/decisions/workflow.ts';
import { getProject, parkToken } from '../store/projects.ts';
import { decideObjection, roundReceipts, undecidedInRound } from '../store/objections.ts';
import { decisionContext } from '../executor/context.ts';
import { execute } from '../executor/execute.ts';
import { escalationNotice } from '../notify/reminders.ts';

/**
 * The workflow's task logic, shared by the Lambda handlers and the local runner. Each
 * step reads the project (the truth), does its one change with a conditional write,
 * and returns the state the workflow continues from.
 */
export interface ParkInput {
  projectId: string;
  status: Status;
  dueAt: string | null;
  escalations: number;
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
  if (await parkToken(input.projectId, input.status, input.token)) return;
  await runtime().workflow.sendTaskSuccess(input.token, { ...(await reload(input.projectId, now)) });
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

const closePublicity = async (p: Project, now: Date): Promise<StepState> => {
  if (!publicityClosed(p, now)) return stepStateOf(p, now);
  // Objections in flight when the window closed are lapsed before counting, so none can
  // be accepted after this count (store/objections.ts): their senders get a 409.
  // Without the project's objection stamp no objection can have passed its window check, and
  // none can pass it now: that check is a write on this project, which moves the version
  // this close is conditioned on. A text a dead request left undecided stays so; its retry lapses it.
  const round = p.publicityRound ?? 0;
  if (p.lastObjectionAt)
    for (const id of await undecidedInRound(p.id, round)) await decideObjection(p.id, round, id, 'lapsed');
  const accepted = p.lastObjectionAt
    ? (await roundReceipts(p.id, round)).filter((r) => r.state === 'accepted').length
    : 0;
  return after(p, decideClosePublicity(p, accepted, await decisionContext(SYSTEM, now)), now);
};

const closeCompletionPublicity = async (p: Project, now: Date): Promise<StepState> =>
  after(p, decideCloseCompletionPublicity(p, await decisionContext(SYSTEM, now)), now);

/**
 * A human step passed its deadline: record it, tell the level above, and keep waiting.
 * Never decides for anyone. The escalation's level makes a repeated timeout a no-op.
 */
const escalate = async (p: Project, input: StepInput, now: Date): Promise<StepState> => {
  const state = stepStateOf(p, now);
  const d = decideEscalation(p, input, await decisionContext(SYSTEM, now));
  if (d.kind === 'wait') return state;
  if (d.kind === 'exhausted') return { ...state, dueAt: null };
  const r = await execute(p, d.transition, now, { wake: false });
  if (!r.ok) return reload(p.id, now);
  await escalationNotice(r.project, d.level, input.dueAt!, now);
  return stepStateOf(r.project, now);
};

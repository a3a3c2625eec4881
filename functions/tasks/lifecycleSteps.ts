import { runtime } from '../runtime.ts';
import { stepStateOf, type StepState, type Status } from '../domain/lifecycle.ts';
import { SYSTEM, type Project } from '../domain/project.ts';
import { changeProject, getProject, parkToken } from '../store/projects.ts';
import { decideObjection, roundReceipts, undecidedInRound } from '../store/objections.ts';
import { approvalWindow, workingDayDeadline } from '../api/deadlines.ts';
import { activeProfile } from '../store/config.ts';
import { event } from '../api/projectCommands.ts';
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

const stillOpen = (endsAt: string | undefined, now: Date) => !!endsAt && Date.parse(endsAt) + 1000 > now.getTime();

const closePublicity = async (p: Project, now: Date): Promise<StepState> => {
  if (p.status !== 'IN_PUBLICITY' || stillOpen(p.deadlines.publicityEndsAt, now)) return stepStateOf(p, now);
  // Objections in flight when the window closed are lapsed before counting, so none can
  // be accepted after this count (store/objections.ts): their senders get a 409.
  const round = p.publicityRound ?? 0;
  for (const id of await undecidedInRound(p.id, round)) await decideObjection(p.id, round, id, 'lapsed');
  const objections = (await roundReceipts(p.id, round)).filter((r) => r.state === 'accepted');
  const due = await approvalWindow(now);
  const to: Status = objections.length ? 'OBJECTION_REVIEW' : 'AWAITING_APPROVAL';
  const deadlineField = to === 'OBJECTION_REVIEW' ? 'objectionReviewDueAt' : 'approvalDueAt';
  const after = await changeProject(
    p.id,
    {
      from: ['IN_PUBLICITY'],
      to,
      set: { [`deadlines.${deadlineField}`]: due.dueAt, ...(due.warnings.length ? { warnings: due.warnings } : {}) },
      deadlinesAfter: { ...p.deadlines, [deadlineField]: due.dueAt },
      condition: (b) => `${b.name('version')} = ${b.value(p.version)}`,
      events: [
        event(now, SYSTEM, 'publicity_closed', 'IN_PUBLICITY', to, {
          objections: objections.length,
          [deadlineField]: due.dueAt,
        }),
      ],
    },
    now,
  );
  return after ? stepStateOf(after, now) : reload(p.id, now);
};

const closeCompletionPublicity = async (p: Project, now: Date): Promise<StepState> => {
  if (p.status !== 'COMPLETION_PUBLICITY' || stillOpen(p.deadlines.completionPublicityEndsAt, now))
    return stepStateOf(p, now);
  const after = await changeProject(
    p.id,
    {
      from: ['COMPLETION_PUBLICITY'],
      to: 'CLOSED',
      events: [event(now, SYSTEM, 'closed', 'COMPLETION_PUBLICITY', 'CLOSED')],
    },
    now,
  );
  return after ? stepStateOf(after, now) : reload(p.id, now);
};

/** How many times a human step is escalated: once to the level above, once more to the district. */
export const MAX_ESCALATIONS = 2;

/**
 * A human step passed its deadline: record it, tell the level above, and keep waiting.
 * Never decides for anyone. The event key makes a repeated timeout a no-op.
 */
const escalate = async (p: Project, input: StepInput, now: Date): Promise<StepState> => {
  const state = stepStateOf(p, now);
  if (p.status !== input.status || !input.dueAt || Date.parse(input.dueAt) > now.getTime()) return state;
  const level = state.escalations + 1;
  if (level > MAX_ESCALATIONS) return { ...state, dueAt: null };
  const next =
    level < MAX_ESCALATIONS
      ? (await workingDayDeadline(new Date(Date.parse(input.dueAt)), activeProfile().approvalWorkingDays)).dueAt
      : null;
  const after = await changeProject(
    p.id,
    {
      from: [p.status],
      set: { escalation: { status: p.status, level, nextDueAt: next } },
      condition: (b) =>
        `attribute_not_exists(${b.name('escalation')}) OR ${b.name('escalation.status')} <> ${b.value(p.status)} OR ${b.name('escalation.level')} < ${b.value(level)}`,
      events: [
        event(now, SYSTEM, 'escalated', p.status, p.status, { level, missedDueAt: input.dueAt, nextDueAt: next }),
      ],
    },
    now,
  );
  if (!after) return reload(p.id, now);
  await escalationNotice(after, level, input.dueAt, now);
  return stepStateOf(after, now);
};

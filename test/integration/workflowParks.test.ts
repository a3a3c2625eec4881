import { readFileSync } from 'node:fs';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { runtime } from '../../functions/runtime.ts';
import { TABLE_NAME } from '../../infra/local/dynamo.ts';
import { embeddedStore, seedDemoDistrict, watchSends } from '../support/embeddedStore.ts';
import { createProject, getProject } from '../../functions/store/projects.ts';
import { SYSTEM, type Project } from '../../functions/domain/project.ts';
import { REROUTE_ERROR, sharesWait, stepStateOf, type Status } from '../../functions/domain/lifecycle.ts';
import { afterPublicityDueAt } from '../../functions/domain/decisions/workflow.ts';
import { decisionContext } from '../../functions/executor/context.ts';
import { park, runStep } from '../../functions/tasks/lifecycleSteps.ts';
import { wakeWorkflow } from '../../functions/executor/workflow.ts';
import { storedProject } from '../support/storedProject.ts';

/*
 * Fewer parked steps, same timers. The workflow task that closes a publicity window also
 * waits for the human step after it: the close and the token go into one write, and the
 * task's timeout (fixed before the window closed) is that step's deadline. When the
 * timeout would not end at the deadline, the task parks nothing and hands the state back,
 * so that the step is parked afresh with its own timeout. And a move between two human
 * steps with the same deadline (a contract under a profile without a start deadline)
 * does not wake the workflow: the parked step waits on for the next one.
 */
const COMMUNITY = 'gd-gdjd-xh';
const STREET = 'gd-gdjd';
const ENDS_AT = '2025-04-08T23:59:59+08:00';
const CLOSES_AT = '2025-04-08T16:00:00Z';

let store: Awaited<ReturnType<typeof embeddedStore>>;
let dueAfter: string;

beforeAll(async () => {
  process.env.POLICY_PROFILE = 'guandu';
  store = await embeddedStore('2025-04-01T02:00:00Z');
  await seedDemoDistrict();
  dueAfter = afterPublicityDueAt(ENDS_AT, await decisionContext(SYSTEM, new Date('2025-04-01T02:00:00Z')));
});
afterAll(async () => store?.stop());
beforeEach(() => {
  store.signals.length = 0;
  store.setNow('2025-04-01T02:00:00Z');
});

let n = 0;
/** A project whose publicity window (round 1, no objection) ends on 8 April. */
const inPublicity = async (over: Partial<Project> = {}): Promise<Project> => {
  const p = storedProject(
    `PUB${String(++n).padStart(3, '0')}`,
    { communityId: COMMUNITY, streetId: STREET },
    {
      amountFen: 1_000_000,
      status: 'IN_PUBLICITY',
      createdAt: '2025-03-01T00:00:00.000Z',
      updatedAt: '2025-03-01T00:00:00.000Z',
      deadlines: { reviewDueAt: '2025-03-31T23:59:59+08:00', publicityEndsAt: ENDS_AT },
      publicityRound: 1,
      publicityOpenedAt: '2025-04-01T02:00:00.000Z',
      afterPublicityDueAt: dueAfter,
      ...over,
    },
  );
  await createProject(p);
  return p;
};

describe('closing a publicity window parks the step after it', () => {
  it('waits with the next step’s deadline as its timeout, counted from the close', async () => {
    // Prepare
    const p = await inPublicity();
    // Act
    const state = stepStateOf(p, new Date('2025-04-01T02:00:00Z'));
    // Assess
    expect(state.waitUntil).toBe(CLOSES_AT);
    expect(state.dueAt).toBe(dueAfter);
    expect(state.timeoutSeconds).toBe((Date.parse(dueAfter) + 1000 - Date.parse(CLOSES_AT)) / 1000);
  });

  it('closes the window and parks its own token for approval in one write, handing nothing back', async () => {
    // Prepare
    const p = await inPublicity();
    const state = stepStateOf(p, new Date('2025-04-01T02:00:00Z'));
    store.setNow(CLOSES_AT);
    // Act
    await park({ action: 'closePublicity', ...state, continuesWith: 'IN_PROGRESS', token: 'close-token' });
    // Assess
    const after = (await getProject(p.id))!;
    expect(after.status).toBe('AWAITING_APPROVAL');
    expect(after.deadlines.approvalDueAt).toBe(dueAfter);
    expect(after.taskToken).toBe('close-token');
    expect(after.taskStatus).toBe('AWAITING_APPROVAL');
    expect(after.taskContinuesWith).toBe('IN_PROGRESS');
    expect(after.version).toBe(p.version + 1);
    expect(store.signals).toEqual([]);
  });

  it('parks nothing and hands the new state back when the close runs late, so the timeout would end late', async () => {
    // Prepare
    const p = await inPublicity();
    const state = stepStateOf(p, new Date('2025-04-01T02:00:00Z'));
    store.setNow('2025-04-09T03:00:00Z');
    // Act
    await park({ action: 'closePublicity', ...state, continuesWith: 'IN_PROGRESS', token: 'late-token' });
    // Assess: the task's Next expects IN_PROGRESS, so approval is reached through Route
    const after = (await getProject(p.id))!;
    expect(after.status).toBe('AWAITING_APPROVAL');
    expect(after.taskToken).toBeUndefined();
    expect(store.signals).toHaveLength(1);
    expect(store.signals[0]).toMatchObject({
      token: 'late-token',
      error: REROUTE_ERROR,
      output: { status: 'AWAITING_APPROVAL' },
    });
  });

  it('parks nothing for a window opened without the next deadline (before this release)', async () => {
    // Prepare
    const p = await inPublicity({ afterPublicityDueAt: undefined });
    const state = stepStateOf(p, new Date('2025-04-01T02:00:00Z'));
    store.setNow(CLOSES_AT);
    // Act
    await park({ action: 'closePublicity', ...state, token: 'old-token' });
    // Assess
    expect((await getProject(p.id))!.taskToken).toBeUndefined();
    expect(store.signals).toHaveLength(1);
    expect(store.signals[0]!.output).toMatchObject({ status: 'AWAITING_APPROVAL', dueAt: dueAfter });
  });

  it('still closes for executions of the previous definition, whose close task parks nothing', async () => {
    // Prepare
    const p = await inPublicity();
    const state = stepStateOf(p, new Date('2025-04-01T02:00:00Z'));
    store.setNow(CLOSES_AT);
    // Act: the previous definition invokes the step function to close, then parks approval itself.
    const next = await runStep({ action: 'closePublicity', ...state });
    // Assess
    expect(next).toMatchObject({ status: 'AWAITING_APPROVAL', dueAt: dueAfter });
    expect((await getProject(p.id))!.taskToken).toBeUndefined();
    await park({ ...next, token: 'old-definition-token' });
    expect((await getProject(p.id))!).toMatchObject({
      taskToken: 'old-definition-token',
      taskStatus: 'AWAITING_APPROVAL',
    });
    expect(store.signals).toEqual([]);
  });

  it('escalates the parked step when the closing task times out at its deadline', async () => {
    // Prepare
    const p = await inPublicity();
    const state = stepStateOf(p, new Date('2025-04-01T02:00:00Z'));
    store.setNow(CLOSES_AT);
    await park({ action: 'closePublicity', ...state, token: 'close-token' });
    store.setNow(new Date(Date.parse(dueAfter) + 1000).toISOString());
    // Act: the timeout's catch hands the closing task's own input (IN_PUBLICITY) to Escalate.
    const next = await runStep({ action: 'escalate', ...state });
    // Assess
    const after = (await getProject(p.id))!;
    expect(after.escalation).toMatchObject({ status: 'AWAITING_APPROVAL', level: 1 });
    expect(after.history.filter((e) => e.action === 'escalated')).toHaveLength(1);
    expect(next).toMatchObject({ status: 'AWAITING_APPROVAL', escalations: 1 });
  });
});

describe('a contract that keeps the deadline keeps the parked step', () => {
  const COMPLETION = '2025-12-31T23:59:59+08:00';
  const implementing = async (over: Partial<Project> = {}): Promise<Project> =>
    inPublicity({
      status: 'IN_PROGRESS',
      delivery: 'social_org',
      deadlines: { completionDueAt: COMPLETION },
      taskToken: 'approved-token',
      taskStatus: 'APPROVED',
      ...over,
    });

  it('shares the wait only between human steps with one deadline, none escalated', () => {
    // Prepare
    const same = { deadlines: { completionDueAt: COMPLETION } };
    const withStart = { deadlines: { startDueAt: '2025-05-31T23:59:59+08:00', completionDueAt: COMPLETION } };
    // Act, Assess
    expect(sharesWait('APPROVED', 'IN_PROGRESS', same)).toBe(true);
    expect(sharesWait('APPROVED', 'IN_PROGRESS', withStart)).toBe(false);
    expect(sharesWait('APPROVED', 'IN_PROGRESS', { ...same, escalation: { status: 'APPROVED' } })).toBe(false);
    expect(sharesWait('APPROVED', 'COMPLETION_PUBLICITY', same)).toBe(false);
  });

  it('does not wake the workflow at the contract, and wakes the same token at the last acceptance', async () => {
    // Prepare
    const signed = await implementing();
    // Act
    await wakeWorkflow(signed, 'APPROVED', new Date());
    const accepted = { ...signed, status: 'COMPLETION_PUBLICITY' as const };
    await wakeWorkflow(accepted, 'IN_PROGRESS', new Date());
    // Assess
    expect(store.signals).toHaveLength(1);
    expect(store.signals[0]).toMatchObject({ token: 'approved-token', output: { status: 'COMPLETION_PUBLICITY' } });
  });

  it('wakes the workflow at the contract when the start deadline ends the parked step’s wait', async () => {
    // Prepare
    const signed = await implementing({
      deadlines: { startDueAt: '2025-05-31T23:59:59+08:00', completionDueAt: COMPLETION },
    });
    // Act
    await wakeWorkflow(signed, 'APPROVED', new Date());
    // Assess
    expect(store.signals).toHaveLength(1);
    expect(store.signals[0]!.output).toMatchObject({ status: 'IN_PROGRESS', dueAt: COMPLETION });
  });

  it('escalates the implementation when the step parked for the contract times out at their deadline', async () => {
    // Prepare
    const signed = await implementing();
    const parkedState = stepStateOf({ ...signed, status: 'APPROVED' }, new Date('2025-04-01T02:00:00Z'));
    store.setNow('2025-12-31T16:00:00Z');
    // Act
    const next = await runStep({ action: 'escalate', ...parkedState });
    // Assess
    expect((await getProject(signed.id))!.escalation).toMatchObject({ status: 'IN_PROGRESS', level: 1 });
    expect(next).toMatchObject({ status: 'IN_PROGRESS', escalations: 1 });
  });
});

/*
 * The usual path passes no Choice: each parked step names the status its Next state
 * expects (continuesWith), and whoever sends its token back sends success for that status
 * only; any other comes back as the failure Project.Reroute, whose cause is the step
 * state, and goes through Reroute to Route. Executions of the definition before this one
 * (every Next is Route, no step names a status) must keep working with this code.
 */
interface AslState {
  Type: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  Resource?: string;
  Choices?: { Variable: string; StringEquals?: string; IsPresent?: boolean; Next: string }[];
  Parameters?: { Payload?: { continuesWith?: Status } };
  Catch?: { ErrorEquals: string[]; Next: string }[];
}
const definition = JSON.parse(
  readFileSync(new URL('../../workflows/project-lifecycle.asl.json', import.meta.url), 'utf8'),
) as { StartAt: string; States: Record<string, AslState> };

/**
 * The states an execution enters (each a billed transition) when its parked steps come
 * back, in turn, with `statuses`: what the definition does, read from the file as Step
 * Functions would (a waitForTaskToken task goes to its Next, or by its Project.Reroute catch).
 */
const walk = (statuses: Status[], start: Status = 'UNDER_REVIEW'): string[] => {
  const entered: string[] = [];
  const queue = [...statuses];
  let status: Status = start;
  let name: string | undefined = definition.StartAt;
  while (name) {
    entered.push(name);
    const state: AslState = definition.States[name];
    if (entered.length > 40) throw new Error(`no end: ${entered.join(' ')}`);
    if (state.Type === 'Choice') {
      const hit = state.Choices!.find((c) => c.StringEquals !== undefined && c.StringEquals === status);
      name = hit?.Next ?? state.Default;
    } else if (state.Type === 'Task' && state.Resource!.endsWith('.waitForTaskToken')) {
      // Nothing more comes back: the execution waits here.
      if (!queue.length) break;
      status = queue.shift()!;
      const expected = state.Parameters?.Payload?.continuesWith;
      name =
        !expected || expected === status
          ? state.End
            ? undefined
            : state.Next
          : state.Catch!.find((c) => c.ErrorEquals.includes(REROUTE_ERROR))!.Next;
    } else name = state.End || state.Type === 'Succeed' ? undefined : state.Next;
  }
  return entered;
};

describe('the usual path passes no Choice', () => {
  it('runs a self-run project from review to CLOSED in 7 transitions, entering Route only at the start', () => {
    // 12 when every step went back to Route: one Choice after each of the five steps.
    // Prepare: review passes; the close parks approval, which starts the work; acceptance; the completion close
    const usual: Status[] = ['IN_PUBLICITY', 'IN_PROGRESS', 'COMPLETION_PUBLICITY', 'CLOSED'];
    // Act
    const entered = walk(usual);
    // Assess
    expect(entered).toEqual([
      'Route',
      'AwaitReview',
      'PublicityWindow',
      'ClosePublicity',
      'AwaitAcceptance',
      'CompletionPublicityWindow',
      'CloseCompletionPublicity',
    ]);
  });

  it('reroutes through Route when a step comes back with a status its Next does not expect', () => {
    // Prepare: returned at review, then resubmitted; an upheld objection returns it after publicity
    const returned: Status[] = ['RETURNED', 'UNDER_REVIEW', 'IN_PUBLICITY'];
    const objection: Status[] = ['IN_PUBLICITY', 'OBJECTION_REVIEW'];
    // Act
    const afterReturn = walk(returned);
    const afterObjection = walk(objection);
    // Assess
    expect(afterReturn).toEqual([
      'Route',
      'AwaitReview',
      'Reroute',
      'Route',
      'AwaitResubmission',
      'AwaitReview',
      'PublicityWindow',
      'ClosePublicity',
    ]);
    expect(afterObjection).toEqual([
      'Route',
      'AwaitReview',
      'PublicityWindow',
      'ClosePublicity',
      'Reroute',
      'Route',
      'AwaitObjectionReview',
    ]);
  });
});

describe('a parked step goes on to its Next or is rerouted', () => {
  const underReview = async (over: Partial<Project> = {}) =>
    inPublicity({
      status: 'UNDER_REVIEW',
      deadlines: { reviewDueAt: '2025-04-10T23:59:59+08:00' },
      afterPublicityDueAt: undefined,
      ...over,
    });
  const parked = async (p: Project, continuesWith?: Status) => {
    await park({ ...stepStateOf(p, new Date('2025-04-01T02:00:00Z')), continuesWith, token: `${p.id}-token` });
    return (await getProject(p.id))!;
  };

  it('keeps what the step continues with beside its token', async () => {
    // Prepare
    const p = await underReview();
    // Act
    const after = await parked(p, 'IN_PUBLICITY');
    // Assess
    expect(after).toMatchObject({
      taskToken: `${p.id}-token`,
      taskStatus: 'UNDER_REVIEW',
      taskContinuesWith: 'IN_PUBLICITY',
    });
    expect(store.signals).toEqual([]);
  });

  it('sends success for the status the step continues with, and Project.Reroute with the state for any other', async () => {
    // Prepare
    const passing = await parked(await underReview(), 'IN_PUBLICITY');
    const returning = await parked(await underReview(), 'IN_PUBLICITY');
    // Act
    await wakeWorkflow({ ...passing, status: 'IN_PUBLICITY' }, 'UNDER_REVIEW', new Date());
    await wakeWorkflow({ ...returning, status: 'RETURNED' }, 'UNDER_REVIEW', new Date());
    // Assess
    expect(store.signals).toEqual([
      { token: `${passing.id}-token`, output: expect.objectContaining({ status: 'IN_PUBLICITY' }) },
      {
        token: `${returning.id}-token`,
        error: REROUTE_ERROR,
        output: expect.objectContaining({ projectId: returning.id, status: 'RETURNED' }),
      },
    ]);
  });

  it('wakes a step parked by an execution of the previous definition with success, whatever the status', async () => {
    // Prepare: a step of the new definition parked first, then the old execution's park takes its place
    const p = await underReview();
    await parked(p, 'IN_PUBLICITY');
    const old = await parked(p);
    // Act
    await wakeWorkflow({ ...old, status: 'RETURNED' }, 'UNDER_REVIEW', new Date());
    // Assess
    expect(old.taskContinuesWith).toBeUndefined();
    expect(store.signals).toEqual([
      { token: `${p.id}-token`, output: expect.objectContaining({ status: 'RETURNED' }) },
    ]);
  });

  it('hands a project that moved on before the park straight back: on the path, or rerouted', async () => {
    // Prepare: the step was scheduled for review, but the project is already past it
    const passed = await inPublicity();
    const returned = await inPublicity({ status: 'RETURNED' });
    const step = (p: Project) => ({
      ...stepStateOf({ ...p, status: 'UNDER_REVIEW' }, new Date()),
      continuesWith: 'IN_PUBLICITY' as const,
    });
    // Act
    await park({ ...step(passed), token: 'passed-token' });
    await park({ ...step(returned), token: 'returned-token' });
    // Assess
    expect(store.signals).toEqual([
      { token: 'passed-token', output: expect.objectContaining({ status: 'IN_PUBLICITY' }) },
      { token: 'returned-token', error: REROUTE_ERROR, output: expect.objectContaining({ status: 'RETURNED' }) },
    ]);
    expect((await getProject(passed.id))!.taskToken).toBeUndefined();
  });

  it('closes the completion publicity and ends the execution when CLOSED, and reroutes while the window is open', async () => {
    // Prepare
    const over = {
      status: 'COMPLETION_PUBLICITY' as const,
      deadlines: { completionPublicityEndsAt: ENDS_AT },
      afterPublicityDueAt: undefined,
    };
    const ended = await inPublicity(over);
    const open = await inPublicity(over);
    const close = (p: Project, token: string) =>
      park({
        action: 'closeCompletionPublicity',
        ...stepStateOf(p, new Date('2025-04-01T02:00:00Z')),
        continuesWith: 'CLOSED',
        token,
      });
    // Act
    store.setNow('2025-04-08T03:00:00Z');
    await close(open, 'open-token');
    store.setNow(CLOSES_AT);
    await close(ended, 'ended-token');
    // Assess
    expect((await getProject(ended.id))!.status).toBe('CLOSED');
    expect((await getProject(open.id))!.status).toBe('COMPLETION_PUBLICITY');
    expect(store.signals).toEqual([
      {
        token: 'open-token',
        error: REROUTE_ERROR,
        output: expect.objectContaining({ status: 'COMPLETION_PUBLICITY', waitUntil: CLOSES_AT }),
      },
      { token: 'ended-token', output: expect.objectContaining({ status: 'CLOSED' }) },
    ]);
  });

  it('clears what an earlier step expected when an old execution’s close parks the next step', async () => {
    // Prepare: a token parked by the new definition's review is still on the project
    const p = await inPublicity({
      taskToken: 'review-token',
      taskStatus: 'UNDER_REVIEW',
      taskContinuesWith: 'IN_PUBLICITY',
    });
    const state = stepStateOf(p, new Date('2025-04-01T02:00:00Z'));
    store.setNow(CLOSES_AT);
    // Act: the previous definition's close names no continuesWith
    await park({ action: 'closePublicity', ...state, token: 'old-close-token' });
    const after = (await getProject(p.id))!;
    await wakeWorkflow({ ...after, status: 'APPROVED' }, 'AWAITING_APPROVAL', new Date());
    // Assess
    expect(after).toMatchObject({ taskToken: 'old-close-token', taskStatus: 'AWAITING_APPROVAL' });
    expect(after.taskContinuesWith ?? undefined).toBeUndefined();
    expect(store.signals).toEqual([
      { token: 'old-close-token', output: expect.objectContaining({ status: 'APPROVED' }) },
    ]);
  });
});

describe('a close decides on the copy of the project this process last read or wrote', () => {
  /** The project keys read with GetItem while it is set. */
  let gets: string[] | undefined;
  beforeAll(() =>
    watchSends((command) => {
      if (command.constructor.name === 'GetCommand') gets?.push((command.input as { Key: { pk: string } }).Key.pk);
    }),
  );
  // The reads counted here are the close's own: the tests' check of each copy against the store is off.
  beforeEach(() => vi.stubEnv('STORE_CHECK_DERIVED', '0'));
  afterEach(() => {
    gets = undefined;
    vi.unstubAllEnvs();
  });

  it('reads no project to close a window it knows, and writes what a read would have', async () => {
    // Prepare
    const p = await inPublicity();
    await getProject(p.id);
    const state = stepStateOf(p, new Date('2025-04-01T02:00:00Z'));
    store.setNow(CLOSES_AT);
    gets = [];

    // Act
    await park({ action: 'closePublicity', ...state, continuesWith: 'IN_PROGRESS', token: 'copy-token' });

    // Assess
    expect(gets).toEqual([]);
    const after = (await getProject(p.id))!;
    expect(after.status).toBe('AWAITING_APPROVAL');
    expect(after.taskToken).toBe('copy-token');
    expect(after.version).toBe(p.version + 1);
    expect(store.signals).toEqual([]);
  });

  it('decides again on a fresh read when the project moved on behind its copy', async () => {
    // Prepare: another process changed the project after this one last read it
    const p = await inPublicity();
    await getProject(p.id);
    await runtime().ddb.send(
      new UpdateCommand({
        TableName: TABLE_NAME,
        Key: { pk: `PROJECT#${p.id}`, sk: 'PROJECT' },
        UpdateExpression: 'SET #v = #v + :one, measures = :m',
        ExpressionAttributeNames: { '#v': 'version' },
        ExpressionAttributeValues: { ':one': 1, ':m': '另一进程修改的实施方案' },
      }),
    );
    const state = stepStateOf(p, new Date('2025-04-01T02:00:00Z'));
    store.setNow(CLOSES_AT);
    gets = [];

    // Act
    await park({ action: 'closePublicity', ...state, continuesWith: 'IN_PROGRESS', token: 'fresh-token' });

    // Assess
    expect(gets).toEqual([`PROJECT#${p.id}`]);
    const after = (await getProject(p.id))!;
    expect(after.status).toBe('AWAITING_APPROVAL');
    expect(after.measures).toBe('另一进程修改的实施方案');
    expect(after.taskToken).toBe('fresh-token');
    expect(after.version).toBe(p.version + 2);
    expect(store.signals).toEqual([]);
  });
});

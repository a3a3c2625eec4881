import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { embeddedStore } from '../support/embeddedStore.ts';
import { OrgTreeSchema, seedOrg } from '../../functions/store/config.ts';
import { createProject, getProject } from '../../functions/store/projects.ts';
import { SYSTEM, type Project } from '../../functions/domain/project.ts';
import { sharesWait, stepStateOf } from '../../functions/domain/lifecycle.ts';
import { afterPublicityDueAt } from '../../functions/domain/decisions/workflow.ts';
import { decisionContext } from '../../functions/executor/context.ts';
import { park, runStep } from '../../functions/tasks/lifecycleSteps.ts';
import { wakeWorkflow } from '../../functions/executor/workflow.ts';

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
  const tree = OrgTreeSchema.parse(
    JSON.parse(readFileSync(new URL('../../functions/policies/org/demo-district.json', import.meta.url), 'utf8')),
  );
  await seedOrg(tree);
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
  const p: Project = {
    id: `PUB${String(++n).padStart(3, '0')}`,
    communityId: COMMUNITY,
    streetId: STREET,
    year: 2025,
    title: '楼道照明改造',
    category: 'property_service',
    type: 'works',
    amountFen: 1_000_000,
    cofunding: [],
    delivery: 'self',
    measures: '更换楼道灯具',
    plannedEnd: '2025-11-30',
    needIds: [],
    status: 'IN_PUBLICITY',
    version: 1,
    createdAt: '2025-03-01T00:00:00.000Z',
    updatedAt: '2025-03-01T00:00:00.000Z',
    createdBy: { sub: 'c1', role: 'community', orgUnitId: COMMUNITY },
    deadlines: { reviewDueAt: '2025-03-31T23:59:59+08:00', publicityEndsAt: ENDS_AT },
    publicityRound: 1,
    publicityOpenedAt: '2025-04-01T02:00:00.000Z',
    afterPublicityDueAt: dueAfter,
    deliberations: {},
    tranches: [],
    progress: [],
    history: [],
    ...over,
  };
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
    await park({ action: 'closePublicity', ...state, token: 'close-token' });
    // Assess
    const after = (await getProject(p.id))!;
    expect(after.status).toBe('AWAITING_APPROVAL');
    expect(after.deadlines.approvalDueAt).toBe(dueAfter);
    expect(after.taskToken).toBe('close-token');
    expect(after.taskStatus).toBe('AWAITING_APPROVAL');
    expect(after.version).toBe(p.version + 1);
    expect(store.signals).toEqual([]);
  });

  it('parks nothing and hands the new state back when the close runs late, so the timeout would end late', async () => {
    // Prepare
    const p = await inPublicity();
    const state = stepStateOf(p, new Date('2025-04-01T02:00:00Z'));
    store.setNow('2025-04-09T03:00:00Z');
    // Act
    await park({ action: 'closePublicity', ...state, token: 'late-token' });
    // Assess
    const after = (await getProject(p.id))!;
    expect(after.status).toBe('AWAITING_APPROVAL');
    expect(after.taskToken).toBeUndefined();
    expect(store.signals).toHaveLength(1);
    expect(store.signals[0]).toMatchObject({ token: 'late-token', output: { status: 'AWAITING_APPROVAL' } });
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

import { describe, expect, it } from 'vitest';
import { loadBuiltInCalendars, loadProfile } from '../../functions/policies/index.ts';
import type { DecisionContext } from '../../functions/domain/decisions/context.ts';
import { decideApproval, decideSubmit, decideWithdraw } from '../../functions/domain/decisions/workflow.ts';
import { decideAcceptance, decideContract } from '../../functions/domain/decisions/implementation.ts';
import { dutyOf } from '../../functions/domain/reminders.ts';
import { isRefusal, type Refusal, type Transition } from '../../functions/domain/transition.ts';
import type { Deliberation, Project } from '../../functions/domain/project.ts';
import type { PolicyProfile } from '../../functions/domain/policy.ts';

/*
 * The decisions are pure: a project, a command, the profile and the time in; a
 * Transition (what the executor writes, the money it moves) or a Refusal naming the rule
 * out. These tests read the decision itself, with no store and no server.
 */
const now = new Date('2025-10-09T02:00:00Z');
const calendars = new Map(loadBuiltInCalendars());
const ctx = (profile: PolicyProfile, role: string): DecisionContext => ({
  profile,
  calendars,
  now,
  actor: { sub: `${role}-1`, role },
});

const passed = (...steps: string[]): Record<string, Deliberation> =>
  Object.fromEntries(steps.map((step, i) => [`d${i}`, { step, passed: true } as unknown as Deliberation]));

const SUBMIT_STEPS = [
  'party_branch_proposal',
  'two_committees_consultation',
  'party_members_review',
  'residents_resolution',
  'residents_raise',
  'two_committees_deliberation',
  'residents_representatives_decision',
  'motion',
  'consultation',
  'review',
  'resolution',
];

const project = (over: Partial<Project> = {}): Project =>
  ({
    id: 'p1',
    communityId: 'c1',
    streetId: 's1',
    year: 2025,
    title: 't',
    category: 'property_service',
    type: 'works',
    amountFen: 3_000_000,
    cofunding: [],
    delivery: 'social_org',
    measures: 'm',
    plannedEnd: '2025-12-15',
    needIds: [],
    status: 'AWAITING_APPROVAL',
    version: 7,
    createdAt: '2025-09-01T00:00:00Z',
    updatedAt: '2025-09-01T00:00:00Z',
    createdBy: { sub: 'c', role: 'community' },
    deadlines: {},
    // Every step the three profiles here require before submission (fengtai's commitment comes later).
    deliberations: passed(...SUBMIT_STEPS),
    tranches: [],
    progress: [],
    history: [],
    ...over,
  }) as Project;

const transition = (x: Transition | Refusal): Transition => {
  if (isRefusal(x)) throw new Error(`refused: ${x.detail}`);
  return x;
};
const refusal = (x: unknown): Refusal => {
  if (!isRefusal(x)) throw new Error('expected a refusal');
  return x;
};

const guandu = loadProfile('guandu');
const liuzhou = loadProfile('liuzhou');
const fengtai = loadProfile('fengtai');

describe('approval', () => {
  it('reserves the whole amount in an operation guarded by the version read, and splits the tranches', () => {
    // Prepare
    const p = project();
    // Act
    const t = transition(decideApproval(p, { decision: 'approve', comment: 'ok' }, ctx(guandu, 'street')));
    // Assess
    expect(t.expectedVersion).toBe(7);
    expect(t.operation?.steps).toEqual([{ kind: 'reserve', fen: 3_000_000 }]);
    expect(t.write.to).toBe('APPROVED');
    expect(((t.write.set ?? {}).tranches as { amountFen: number }[]).map((x) => x.amountFen)).toEqual([
      1_500_000, 900_000, 600_000,
    ]);
  });

  it('starts a self-run project at once, so the implementation gate applies at approval', () => {
    // Prepare
    const without = project({ delivery: 'self' });
    const withCommitment = project({ delivery: 'self', deliberations: passed(...SUBMIT_STEPS, 'commitment') });
    // Act
    const refused = refusal(decideApproval(without, { decision: 'approve', comment: '' }, ctx(fengtai, 'street')));
    const t = transition(decideApproval(withCommitment, { decision: 'approve', comment: '' }, ctx(fengtai, 'street')));
    // Assess
    expect(refused.refused).toBe(409);
    expect(refused.extra?.missingSteps).toEqual(['commitment']);
    expect(t.write.to).toBe('IN_PROGRESS');
  });

  it('lets the community approve a fast-path amount, and the reminders name the same approver', () => {
    // Prepare
    const small = project({ amountFen: 5_000_000, deadlines: { approvalDueAt: '2025-10-20T23:59:59+08:00' } });
    const large = project({ amountFen: 5_000_001, deadlines: { approvalDueAt: '2025-10-20T23:59:59+08:00' } });
    // Act
    const byCommunity = decideApproval(small, { decision: 'approve', comment: '' }, ctx(liuzhou, 'community'));
    const refusedToCommunity = refusal(
      decideApproval(large, { decision: 'approve', comment: '' }, ctx(liuzhou, 'community')),
    );
    // Assess
    expect(isRefusal(byCommunity)).toBe(false);
    expect(dutyOf(small, liuzhou)?.holder).toBe('community');
    expect(refusedToCommunity).toEqual({ refused: 403, detail: 'This project is approved by the street' });
    expect(dutyOf(large, liuzhou)?.holder).toBe('street');
  });

  it('answers a refused reservation with the money available and needed', () => {
    // Prepare
    const t = transition(decideApproval(project(), { decision: 'approve', comment: '' }, ctx(guandu, 'street')));
    // Act
    const r = t.whenStepRefused?.({ step: 'reserve', reason: 'INSUFFICIENT_FUNDS', availableFen: 10 });
    // Assess
    expect(r).toEqual({
      refused: 409,
      detail: 'The allocation has 10 fen available; this project needs 3000000',
      extra: { availableFen: 10, requiredFen: 3_000_000 },
    });
  });
});

describe('the deliberation gate', () => {
  it('refuses a submission and a contract with the same rule, naming the missing steps', () => {
    // Prepare
    const draft = project({ status: 'DRAFT', deliberations: passed('motion') });
    const approved = project({
      status: 'APPROVED',
      tranches: [{ n: 1, amountFen: 3_000_000, paidFen: 0, attempts: [] }],
    });
    const undertaker = { id: 'u1', kind: 'social_org' };
    // Act
    const atSubmit = refusal(decideSubmit(draft, ctx(fengtai, 'community')));
    const atContract = refusal(
      decideContract(
        approved,
        { undertakerId: 'u1', signedOn: '2025-10-09', amountFen: 3_000_000 },
        undertaker,
        ctx(fengtai, 'community'),
      ),
    );
    // Assess
    expect(atSubmit.extra?.missingSteps).toEqual(['consultation', 'review', 'resolution']);
    expect(atSubmit.detail).toMatch(/^Required deliberation missing or not passed before submit: /);
    expect(atContract.extra?.missingSteps).toEqual(['commitment']);
    expect(atContract.detail).toMatch(/^Required deliberation missing or not passed before implementation: /);
  });
});

describe('acceptance', () => {
  const inProgress = project({
    status: 'IN_PROGRESS',
    tranches: [
      { n: 1, amountFen: 600, paidFen: 0, attempts: [] },
      { n: 2, amountFen: 400, paidFen: 0, attempts: [] },
    ],
  });
  const command = { attemptId: 'a1', passed: true, comment: 'ok' };

  it('pays the tranche in an operation when the ledger holds enough', () => {
    // Act
    const t = transition(
      decideAcceptance(
        inProgress,
        inProgress.tranches[0],
        command,
        { reservedFen: 1000, paidFen: 0 },
        ctx(guandu, 'street'),
      ),
    );
    // Assess
    expect(t.operation?.steps).toEqual([{ kind: 'pay', n: 1, fen: 600 }]);
    expect(t.write.to).toBeUndefined();
  });

  it('refuses to pay beyond what the project holds on the ledger', () => {
    // Act
    const r = refusal(
      decideAcceptance(
        inProgress,
        inProgress.tranches[0],
        command,
        { reservedFen: 1000, paidFen: 401 },
        ctx(guandu, 'street'),
      ),
    );
    // Assess
    expect(r).toEqual({
      refused: 409,
      detail: 'Paying 600 fen would exceed the 1000 fen reserved for this project',
      extra: { reservedFen: 1000, paidFen: 401 },
    });
  });
});

describe('withdrawal', () => {
  it('is refused once approval has committed money, naming the current status', () => {
    // Act
    const r = refusal(decideWithdraw(project({ status: 'APPROVED' }), { reason: 'x' }, ctx(guandu, 'community')));
    // Assess
    expect(r).toEqual({
      refused: 409,
      detail: 'A APPROVED project can no longer be withdrawn',
      extra: { currentStatus: 'APPROVED' },
    });
  });
});

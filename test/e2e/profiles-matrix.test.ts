import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../support/scenario.ts';
import {
  allocation,
  approveAs,
  create,
  draft,
  draftBody,
  expectStatus,
  project,
  putAllocation,
  recordStep,
  recordSteps,
  reviewAs,
  startProfile,
  submit,
  toAwaitingApproval,
  wrongRoleFor,
  type ProfileRun,
  type Role,
  type Step,
} from '../support/profileScenario.ts';

/*
 * One scenario, five districts. The expectations are written out per profile rather
 * than read from GET /v1/public/policy, so that a profile edited by mistake fails here.
 * Every product starts at 2025-09-01 09:00 (inside Gaoming's second call window); the
 * publicity window closes on 09-08, so approval happens on 2025-09-09.
 */

const CLOCK = '2025-09-01T09:00:00+08:00';
const ALLOCATION_FEN = 30_000_000;
const POOL_FEN = 1_000_000_000;
const AMOUNT_FEN = 6_000_000;
const YEAR_END = '2025-12-31T23:59:59+08:00';
const TYPES = ['service', 'goods', 'works'] as const;
type ProjectType = (typeof TYPES)[number];
type Deadlines = { startDueAt?: string; completionDueAt: string };

const community = (id: string): Step => ({ id, heldBy: 'community' });
const noTypeDeadlines: Record<ProjectType, Deadlines> = {
  service: { completionDueAt: YEAR_END },
  goods: { completionDueAt: YEAR_END },
  works: { completionDueAt: YEAR_END },
};

const member = (i: number, vote: 'for' | 'against') => ({ member: `委员${i}`, vote });
const committeeVote = (votesFor: number, votesAgainst: number) => ({
  attendance: votesFor + votesAgainst,
  votesFor,
  votesAgainst,
  abstentions: 0,
  memberVotes: [
    ...Array.from({ length: votesFor }, (_, i) => member(i, 'for')),
    ...Array.from({ length: votesAgainst }, (_, i) => member(votesFor + i, 'against')),
  ],
});

interface Case {
  profile: string;
  /** A category of this profile, and one of another district that this one lacks. */
  category: string;
  foreignCategory: string;
  submitSteps: Step[];
  /** What a self-run project still lacks at approval once its submit steps are in. */
  approvalSteps: Step[];
  approver: Role;
  pool: boolean;
  deadlines: Record<ProjectType, Deadlines>;
  more?: (run: () => ProfileRun, c: Case) => void;
}

const CASES: Case[] = [
  {
    profile: 'guandu',
    category: 'livelihood',
    foreignCategory: 'safety',
    submitSteps: [
      'party_branch_proposal',
      'two_committees_consultation',
      'party_members_review',
      'residents_resolution',
    ].map(community),
    approvalSteps: [],
    approver: 'street',
    pool: false,
    deadlines: noTypeDeadlines,
  },
  {
    profile: 'fengtai',
    category: 'community_activities',
    foreignCategory: 'livelihood',
    submitSteps: ['motion', 'consultation', 'review', 'resolution'].map(community),
    approvalSteps: [community('commitment')],
    approver: 'street',
    pool: false,
    deadlines: noTypeDeadlines,
    more: (run) => {
      it('admits a restricted category only with restrictedUse, and refuses a use that has another fund', async () => {
        // Prepare
        const restricted = draftBody({
          category: 'old_estate_improvement',
          title: '老旧小区环境整治',
          measures: '清理楼道堆物，修补破损路面',
        });
        const justified = {
          ...restricted,
          restrictedUse: { rule: 'restricted.old_estate', justification: '该小区无物业管理，环境脏乱差，居民反映强烈' },
        };
        const otherFund = draftBody({ category: 'service_support', measures: '维修小区内的市政设施' });

        // Act
        const bare = await create(run(), restricted);
        const withRule = await create(run(), justified);
        const notEncouraged = await create(run(), otherFund);

        // Assess
        expectStatus(bare, 422);
        expect(bare.body.rule).toBe('restricted.old_estate');
        expect(bare.body.errors[0].path).toBe('restrictedUse');
        expectStatus(withRule, 201);
        expect(withRule.body.restrictedUse.rule).toBe('restricted.old_estate');
        expectStatus(notEncouraged, 422);
        expect(notEncouraged.body.rule).toBe('not_encouraged.other_fund_available');
      });
    },
  },
  {
    profile: 'liuzhou',
    category: 'livelihood_service',
    foreignCategory: 'culture_sport',
    submitSteps: ['residents_raise', 'two_committees_deliberation', 'residents_representatives_decision'].map(
      community,
    ),
    approvalSteps: [],
    approver: 'street',
    pool: false,
    deadlines: noTypeDeadlines,
    more: (run, c) => {
      it('lets the community approve up to 50,000 yuan itself, leaves a larger one to the street, and reserves only the fund share', async () => {
        // Prepare
        const cofunding = [{ source: '驻区单位赞助', amountFen: 1_100_000 }];
        const small = await draft(run(), draftBody({ category: c.category, amountFen: 5_000_000, cofunding }));
        const large = await draft(run(), draftBody({ category: c.category, amountFen: 5_000_001, cofunding }));
        await toAwaitingApproval(run(), [small, large], c.submitSteps, 'street');
        const before = await allocation(run(), 2025, DEMO.community);

        // Act
        const smallByStreet = await approveAs(run(), 'street', small);
        const largeByCommunity = await approveAs(run(), 'community', large);
        const smallByCommunity = await approveAs(run(), 'community', small);
        const largeByStreet = await approveAs(run(), 'street', large);
        const after = await allocation(run(), 2025, DEMO.community);

        // Assess
        expectStatus(smallByStreet, 403);
        expectStatus(largeByCommunity, 403);
        expectStatus(smallByCommunity, 200);
        expectStatus(largeByStreet, 200);
        expect(smallByCommunity.body.cofunding).toEqual(cofunding);
        expect(largeByStreet.body.cofunding).toEqual(cofunding);
        expect(after.reservedFen - before.reservedFen).toBe(5_000_000 + 5_000_001);
      });
    },
  },
  {
    profile: 'qiaoxi',
    category: 'safety',
    foreignCategory: 'livelihood_service',
    submitSteps: ['proposal', 'consultation'].map(community),
    approvalSteps: [{ id: 'street_review', heldBy: 'street' }, community('residents_vote')],
    approver: 'street',
    pool: false,
    deadlines: {
      service: { startDueAt: '2025-10-09T23:59:59+08:00', completionDueAt: YEAR_END },
      goods: { completionDueAt: '2025-10-09T23:59:59+08:00' },
      works: { completionDueAt: '2026-03-09T23:59:59+08:00' },
    },
  },
  {
    profile: 'gaoming',
    category: 'party_mass_positions',
    foreignCategory: 'safety',
    submitSteps: [community('village_self_recommendation')],
    approvalSteps: [
      { id: 'town_prescreen', heldBy: 'street' },
      { id: 'district_committee_vote', heldBy: 'district', tally: committeeVote(3, 2) },
    ],
    approver: 'district',
    pool: true,
    deadlines: noTypeDeadlines,
    more: (run, c) => {
      it('passes the district committee only on per-member votes with a majority of the votes cast', async () => {
        // Prepare
        const id = await draft(run(), draftBody({ category: c.category }));
        await toAwaitingApproval(run(), [id], c.submitSteps, 'street');
        await recordSteps(run(), id, [c.approvalSteps[0]]);
        const { memberVotes: _, ...countsOnly } = committeeVote(3, 2);

        // Act
        const unnamed = await recordStep(run(), 'district', id, 'district_committee_vote', countsOnly);
        const failing = await recordStep(run(), 'district', id, 'district_committee_vote', committeeVote(2, 3));
        const refused = await approveAs(run(), 'district', id);
        const passing = await recordStep(run(), 'district', id, 'district_committee_vote', committeeVote(3, 2));
        const approved = await approveAs(run(), 'district', id);

        // Assess
        expect(unnamed.status).toBe(400);
        expect(unnamed.body.errors[0].path).toBe('memberVotes');
        expectStatus(failing, 201);
        expect(failing.body.passed).toBe(false);
        expectStatus(refused, 409);
        expect(refused.body.missingSteps).toEqual(['district_committee_vote']);
        expect(passing.body.passed).toBe(true);
        expectStatus(approved, 200);
      });

      it('refuses submission once the call window has closed', async () => {
        // Prepare
        const id = await draft(run(), draftBody({ category: c.category }));
        await recordSteps(run(), id, c.submitSteps);
        expectStatus(await run().api.setClock('2025-10-01T09:00:00+08:00'), 200);

        // Act
        const late = await submit(run(), id);

        // Assess
        expectStatus(late, 409);
        expect(late.body.missingSteps).toBeUndefined();
        expect(late.body.batches.map((b: { id: string }) => b.id)).toEqual(['first', 'second']);
        expect((await project(run(), id)).status).toBe('DRAFT');
      });
    },
  },
];

for (const c of CASES) {
  describe(`under the ${c.profile} profile`, () => {
    let run: ProfileRun;
    const ids = {} as Record<ProjectType, string>;
    let needIds: string[] = [];

    beforeAll(async () => {
      run = await startProfile(c.profile, CLOCK);
      expectStatus(await putAllocation(run, 2025, DEMO.community, ALLOCATION_FEN), 200);
      if (c.pool) expectStatus(await putAllocation(run, 2025, 'POOL', POOL_FEN), 200);
    });

    afterAll(async () => run?.server.stop());

    it('publishes itself as the active policy', async () => {
      // Act
      const r = await run.api.call('GET', '/v1/public/policy');

      // Assess
      expectStatus(r, 200);
      expect(r.body.id).toBe(c.profile);
    });

    it('refuses a prohibited use and another district’s category with 422 naming the rule', async () => {
      // Prepare
      const prohibited = draftBody({
        category: c.category,
        title: '社区办公设备更新',
        measures: '采购办公电脑和打印机',
      });
      const foreign = draftBody({ category: c.foreignCategory });

      // Act
      const r1 = await create(run, prohibited);
      const r2 = await create(run, foreign);
      const list = await run.api.call('GET', `/v1/projects?communityId=${DEMO.community}&year=2025`, {
        token: run.tokens.community,
      });

      // Assess
      expectStatus(r1, 422);
      expect(r1.headers.get('content-type')).toContain('application/problem+json');
      expect(r1.body.rule).toBe('prohibited.office_equipment');
      expectStatus(r2, 422);
      expect(r2.body.rule).toBe('category.unknown');
      expect(list.body.items).toEqual([]);
    });

    it('keeps a needs list that staff and residents add to, and refuses a link to an unknown need', async () => {
      // Prepare
      const staff = { title: '楼道照明不足', description: '3栋楼道夜间无灯', channel: 'visit' };
      const resident = { title: '希望增设老年食堂', description: '独居老人吃饭不便', contact: '13800000000' };

      // Act
      const recorded = await run.api.call('POST', `/v1/communities/${DEMO.community}/needs`, {
        token: run.tokens.community,
        body: staff,
      });
      const raised = await run.api.call('POST', `/v1/public/communities/${DEMO.community}/needs`, { body: resident });
      const list = await run.api.call('GET', `/v1/communities/${DEMO.community}/needs?year=2025`, {
        token: run.tokens.street,
      });
      const unknown = await create(
        run,
        draftBody({ category: c.category, needIds: ['2025-01K00000000000000000000Z'] }),
      );

      // Assess
      expectStatus(recorded, 201);
      expectStatus(raised, 201);
      needIds = [recorded.body.id, raised.body.id];
      expect(list.body.items.map((n: { id: string }) => n.id).sort()).toEqual([...needIds].sort());
      expect(JSON.stringify(list.body)).not.toContain('13800000000');
      expectStatus(unknown, 422);
      expect(unknown.body.errors[0].path).toBe('needIds');
    });

    it('refuses submission until its own deliberations are in, each recorded only by its holder', async () => {
      // Prepare
      for (const type of TYPES)
        ids[type] = await draft(
          run,
          draftBody({ category: c.category, type, needIds: type === 'service' ? needIds : [] }),
        );

      // Act
      const early = await submit(run, ids.service);
      const byWrongRole = await Promise.all(
        c.submitSteps.map((s) => recordStep(run, wrongRoleFor(s.heldBy), ids.service, s.id)),
      );
      for (const type of TYPES) await recordSteps(run, ids[type], c.submitSteps);
      const submitted = await Promise.all(TYPES.map((type) => submit(run, ids[type])));

      // Assess
      expectStatus(early, 409);
      expect(early.body.missingSteps).toEqual(c.submitSteps.map((s) => s.id));
      expect(byWrongRole.map((r) => r.status)).toEqual(c.submitSteps.map(() => 403));
      for (const r of submitted) expectStatus(r, 200);
      expect(submitted[0].body.needIds).toEqual(needIds);
    });

    it(`is reviewed by the street and approved by the ${c.approver}, once the steps before approval are in`, async () => {
      // Prepare
      const wrongReviewer = await reviewAs(run, 'district', ids.service);
      for (const type of TYPES) expectStatus(await reviewAs(run, 'street', ids[type]), 200);
      await run.api.advance('P8D');

      // Act
      const wrongApprovers = (['community', 'street', 'district'] as const).filter((r) => r !== c.approver);
      const byWrongApprover = await Promise.all(wrongApprovers.map((r) => approveAs(run, r, ids.service)));
      const tooEarly = c.approvalSteps.length ? await approveAs(run, c.approver, ids.service) : undefined;
      const stepByWrongRole = await Promise.all(
        c.approvalSteps.map((s) => recordStep(run, wrongRoleFor(s.heldBy), ids.service, s.id, s.tally)),
      );
      for (const type of TYPES) await recordSteps(run, ids[type], c.approvalSteps);
      const approved = await Promise.all(TYPES.map((type) => approveAs(run, c.approver, ids[type])));

      // Assess
      expectStatus(wrongReviewer, 403);
      expect(byWrongApprover.map((r) => r.status)).toEqual(wrongApprovers.map(() => 403));
      if (tooEarly) {
        expectStatus(tooEarly, 409);
        expect(tooEarly.body.missingSteps).toEqual(c.approvalSteps.map((s) => s.id));
      }
      expect(stepByWrongRole.map((r) => r.status)).toEqual(c.approvalSteps.map(() => 403));
      for (const r of approved) expectStatus(r, 200);
      for (const type of TYPES) expect((await project(run, ids[type])).status).toBe('IN_PROGRESS');
    });

    it('gives each project type the deadlines of this profile', async () => {
      // Act
      const got = await Promise.all(TYPES.map(async (type) => (await project(run, ids[type])).deadlines));

      // Assess
      for (const [i, type] of TYPES.entries()) {
        expect(got[i].startDueAt, type).toBe(c.deadlines[type].startDueAt);
        expect(got[i].completionDueAt, type).toBe(c.deadlines[type].completionDueAt);
      }
    });

    it(`draws the money from ${c.pool ? 'the district pool' : 'the community’s allocation'}`, async () => {
      // Act
      const own = await allocation(run, 2025, DEMO.community);
      const pool = await run.api.call('GET', '/v1/allocations/2025/POOL', { token: run.tokens.district });

      // Assess
      const reserved = AMOUNT_FEN * TYPES.length;
      if (c.pool) {
        expect(pool.body.reservedFen).toBe(reserved);
        expect(pool.body.availableFen).toBe(POOL_FEN - reserved);
        expect(own.reservedFen).toBe(0);
        expect(own.availableFen).toBe(ALLOCATION_FEN);
      } else {
        expect(own.reservedFen).toBe(reserved);
        expect(own.availableFen).toBe(ALLOCATION_FEN - reserved);
        expect(pool.status).toBe(404);
      }
    });

    c.more?.(() => run, c);
  });
}

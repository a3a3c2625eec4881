import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { STATUSES, type Status } from '../../functions/domain/lifecycle.ts';
import {
  type YearEndAllocation,
  type YearEndInput,
  type YearEndPolicy,
  type YearEndProject,
  buildYearEndReport,
  planYearEnd,
} from '../../functions/domain/yearEnd.ts';

const policy = (over: Partial<YearEndPolicy['sanctions']> = {}, unfinishedFails = true): YearEndPolicy => ({
  yearEnd: { unfinishedFails },
  sanctions: { undertakerDisqualifyYears: 1, communityCutPercent: 10, ...over },
});

const project = (
  id: string,
  communityId: string,
  status: Status,
  amountFen: number,
  paidFen: number,
  undertakerId?: string,
): YearEndProject => ({
  id,
  title: `project ${id}`,
  communityId,
  status,
  amountFen,
  paidFen,
  ...(undertakerId ? { undertakerId } : {}),
});

// What the ledger would hold for these projects: finished and failed ones only their paid part.
const allocationFor = (
  communityId: string,
  amountFen: number,
  projects: readonly YearEndProject[],
): YearEndAllocation => {
  const mine = projects.filter((p) => p.communityId === communityId);
  const holds = (p: YearEndProject) =>
    ['APPROVED', 'IN_PROGRESS', 'COMPLETION_PUBLICITY', 'CLOSED'].includes(p.status)
      ? p.amountFen
      : p.status === 'FAILED'
        ? p.paidFen
        : 0;
  return {
    communityId,
    streetId: 's1',
    amountFen,
    reservedFen: mine.reduce((a, p) => a + holds(p), 0),
    paidFen: mine.reduce((a, p) => a + p.paidFen, 0),
  };
};

// Two communities: c1 closes one project and leaves one half-paid; c2 finishes everything.
const example = (): YearEndInput => {
  const projects = [
    project('p1', 'c1', 'CLOSED', 8_000_000, 8_000_000, 'u1'),
    project('p2', 'c1', 'IN_PROGRESS', 6_000_000, 3_000_000, 'u2'),
    project('p3', 'c1', 'UNDER_REVIEW', 2_000_000, 0),
    project('p4', 'c2', 'COMPLETION_PUBLICITY', 15_000_000, 15_000_000, 'u2'),
    project('p5', 'c2', 'WITHDRAWN', 1_000_000, 0),
  ];
  return {
    year: 2025,
    allocations: [allocationFor('c2', 20_000_000, projects), allocationFor('c1', 20_000_000, projects)],
    projects,
    policy: policy(),
  };
};

// Marks the planned projects FAILED and releases their unpaid money, as the caller would.
const applyPlan = (input: YearEndInput): YearEndInput => {
  const plan = planYearEnd(input);
  const failing = new Map(plan.toFail.map((p) => [p.id, p]));
  return {
    ...input,
    projects: input.projects.map((p) => (failing.has(p.id) ? { ...p, status: 'FAILED' as const } : p)),
    allocations: input.allocations.map((a) => ({
      ...a,
      reservedFen:
        a.reservedFen -
        plan.toFail.filter((p) => p.communityId === a.communityId).reduce((s, p) => s + p.releaseFen, 0),
    })),
  };
};

describe('planYearEnd', () => {
  it('fails approved but unfinished projects, with the unpaid money each releases', () => {
    // Prepare
    const input = example();
    // Act
    const plan = planYearEnd(input);
    // Assess
    expect(plan.toFail).toEqual([
      { id: 'p2', title: 'project p2', communityId: 'c1', undertakerId: 'u2', releaseFen: 3_000_000 },
    ]);
    expect(plan.lapsed).toEqual([{ id: 'p3', title: 'project p3', communityId: 'c1', status: 'UNDER_REVIEW' }]);
  });

  it('plans nothing more once the failures are applied', () => {
    // Prepare
    const after = applyPlan(example());
    // Act
    const plan = planYearEnd(after);
    // Assess
    expect(plan.toFail).toEqual([]);
  });

  it('leaves unfinished projects open when the profile does not fail them', () => {
    // Prepare
    const input = { ...example(), policy: policy({}, false) };
    // Act
    const plan = planYearEnd(input);
    const report = buildYearEndReport(input);
    // Assess
    expect(plan.toFail).toEqual([]);
    expect(plan.unfinished.map((p) => p.id)).toEqual(['p2']);
    expect(report.failedProjects).toEqual([]);
    expect(report.communities.find((c) => c.communityId === 'c1')).toMatchObject({
      reservedFen: 14_000_000,
      carriedOverFen: 3_000_000,
      surplusFen: 6_000_000,
    });
  });
});

describe('buildYearEndReport', () => {
  it('returns unspent and released money as surplus and lists the failed project', () => {
    // Prepare
    const input = example();
    // Act
    const report = buildYearEndReport(input);
    // Assess
    expect(report.communities).toEqual([
      {
        communityId: 'c1',
        streetId: 's1',
        allocatedFen: 20_000_000,
        reservedFen: 11_000_000,
        paidFen: 11_000_000,
        carriedOverFen: 0,
        surplusFen: 9_000_000,
      },
      {
        communityId: 'c2',
        streetId: 's1',
        allocatedFen: 20_000_000,
        reservedFen: 15_000_000,
        paidFen: 15_000_000,
        carriedOverFen: 0,
        surplusFen: 5_000_000,
      },
    ]);
    expect(report.failedProjects).toEqual([{ id: 'p2', title: 'project p2', communityId: 'c1' }]);
    expect(report.totals).toEqual({
      allocatedFen: 40_000_000,
      reservedFen: 26_000_000,
      paidFen: 26_000_000,
      carriedOverFen: 0,
      surplusFen: 14_000_000,
    });
  });

  it('proposes disqualifying the failed project undertaker and cutting the community', () => {
    // Prepare
    const input = { ...example(), policy: policy({ undertakerDisqualifyYears: 2, communityCutPercent: 15 }) };
    // Act
    const { sanctions } = buildYearEndReport(input);
    // Assess
    expect(sanctions.undertakers).toEqual([
      {
        undertakerId: 'u2',
        reason: expect.stringContaining('p2'),
        projectIds: ['p2'],
        disqualifiedYears: [2026, 2027],
      },
    ]);
    expect(sanctions.communities).toEqual([
      {
        communityId: 'c1',
        cutPercent: 15,
        reason: expect.stringContaining('p2'),
        projectIds: ['p2'],
        appliesToYear: 2026,
      },
    ]);
  });

  it('counts projects that failed earlier in the year in the report and the sanctions', () => {
    // Prepare
    const projects = [project('p9', 'c1', 'FAILED', 5_000_000, 2_500_000, 'u9')];
    const input: YearEndInput = {
      year: 2025,
      allocations: [allocationFor('c1', 20_000_000, projects)],
      projects,
      policy: policy(),
    };
    // Act
    const report = buildYearEndReport(input);
    // Assess
    expect(report.failedProjects.map((p) => p.id)).toEqual(['p9']);
    expect(report.sanctions.undertakers.map((u) => u.undertakerId)).toEqual(['u9']);
    expect(report.communities[0].surplusFen).toBe(17_500_000);
  });

  it('proposes no sanction a profile sets to zero', () => {
    // Prepare
    const input = { ...example(), policy: policy({ undertakerDisqualifyYears: 0, communityCutPercent: 0 }) };
    // Act
    const { sanctions } = buildYearEndReport(input);
    // Assess
    expect(sanctions).toEqual({ undertakers: [], communities: [] });
  });

  it('gives the same report before and after the failures are applied, so running twice is safe', () => {
    // Prepare
    const input = example();
    // Act
    const first = buildYearEndReport(input);
    const second = buildYearEndReport(applyPlan(input));
    // Assess
    expect(second).toEqual(first);
  });

  it('refuses two allocations for one community', () => {
    // Prepare
    const input = example();
    const doubled = { ...input, allocations: [...input.allocations, input.allocations[0]] };
    // Act
    const act = () => buildYearEndReport(doubled);
    // Assess
    expect(act).toThrow(/more than one allocation/);
  });
});

const statuses: readonly Status[] = STATUSES;

// A consistent year: paid never exceeds a project's amount, finished ones are fully paid,
// and each community's allocation covers what its projects hold.
const year = fc
  .array(
    fc.record({
      communityId: fc.constantFrom('c1', 'c2', 'c3'),
      status: fc.constantFrom(...statuses),
      amountFen: fc.integer({ min: 0, max: 5_000_000 }),
      paidShare: fc.integer({ min: 0, max: 100 }),
      undertakerId: fc.option(fc.constantFrom('u1', 'u2', 'u3'), { nil: undefined }),
    }),
    { maxLength: 25 },
  )
  .chain((rows) =>
    fc.tuple(
      fc.constant(rows),
      fc.array(fc.integer({ min: 0, max: 5_000_000 }), { minLength: 3, maxLength: 3 }),
      fc.boolean(),
    ),
  )
  .map(([rows, spare, unfinishedFails]): YearEndInput => {
    const projects = rows.map((r, i) => {
      const paid = ['COMPLETION_PUBLICITY', 'CLOSED'].includes(r.status)
        ? r.amountFen
        : ['APPROVED', 'IN_PROGRESS', 'FAILED'].includes(r.status)
          ? Math.floor((r.amountFen * r.paidShare) / 100)
          : 0;
      return project(`p${i}`, r.communityId, r.status, r.amountFen, paid, r.undertakerId);
    });
    const allocations = ['c1', 'c2', 'c3'].map((c, i) => {
      const a = allocationFor(c, 0, projects);
      return { ...a, amountFen: a.reservedFen + spare[i] };
    });
    return { year: 2025, allocations, projects, policy: policy({}, unfinishedFails) };
  });

describe('year-end reconciliation', () => {
  it('adds up: communities sum to the totals and allocated = paid + carried over + surplus', () => {
    fc.assert(
      fc.property(year, (input) => {
        // Act
        const r = buildYearEndReport(input);
        // Assess
        for (const k of ['allocatedFen', 'reservedFen', 'paidFen', 'carriedOverFen', 'surplusFen'] as const) {
          expect(r.communities.reduce((a, c) => a + c[k], 0)).toBe(r.totals[k]);
        }
        for (const c of [...r.communities, r.totals]) {
          expect(c.allocatedFen).toBe(c.paidFen + c.carriedOverFen + c.surplusFen);
          expect(c.surplusFen).toBeGreaterThanOrEqual(0);
        }
        if (input.policy.yearEnd.unfinishedFails) {
          expect(r.totals.carriedOverFen).toBe(0);
          expect(r.totals.allocatedFen).toBe(r.totals.paidFen + r.totals.surplusFen);
        }
        const allocated = input.allocations.reduce((a, x) => a + x.amountFen, 0);
        const paid = input.projects.reduce((a, p) => a + p.paidFen, 0);
        expect(r.totals.allocatedFen).toBe(allocated);
        expect(r.totals.paidFen).toBe(paid);
      }),
    );
  });

  it('is the same report before and after the plan is applied', () => {
    fc.assert(
      fc.property(year, (input) => {
        // Act
        const first = buildYearEndReport(input);
        const second = buildYearEndReport(applyPlan(input));
        // Assess
        expect(second).toEqual(first);
      }),
    );
  });

  it('fails exactly the approved, unfinished projects and sanctions only where a project failed', () => {
    fc.assert(
      fc.property(year, (input) => {
        // Act
        const plan = planYearEnd(input);
        const r = buildYearEndReport(input);
        // Assess
        const open = input.projects
          .filter((p) => p.status === 'APPROVED' || p.status === 'IN_PROGRESS')
          .map((p) => p.id);
        expect(plan.toFail.map((p) => p.id).sort()).toEqual(input.policy.yearEnd.unfinishedFails ? open.sort() : []);
        const failed = new Set(r.failedProjects.map((p) => p.id));
        for (const u of r.sanctions.undertakers) u.projectIds.forEach((id) => expect(failed.has(id)).toBe(true));
        for (const c of r.sanctions.communities) {
          expect(r.failedProjects.some((p) => p.communityId === c.communityId)).toBe(true);
        }
        expect(new Set(r.sanctions.communities.map((c) => c.communityId))).toEqual(
          new Set(r.failedProjects.map((p) => p.communityId)),
        );
      }),
    );
  });
});

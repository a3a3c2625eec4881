import { BenchClient, pool, round, type Reply } from './client.ts';
import type { BenchOrg } from './org.ts';
import type { Product } from './product.ts';
import type { Progress } from './progress.ts';
import type { KnownProject } from './load.ts';
import type { LocalStatsSnapshot } from '../infra/local/stats.ts';

/*
 * One fund year of a district, driven over HTTP on the simulated clock under the Liuzhou
 * profile (it has a fast path: small projects are approved by the community itself).
 * Every project goes through its whole life; 5 % get an objection in publicity, two in
 * five of those are upheld and the project is resubmitted; a few are refused for lack of
 * money and then rejected. The year ends with the year-end check.
 */

const YEAR = 2025;
const START = '2025-03-03T09:00:00+08:00';
const YEAR_END = '2025-12-31T00:10:00+08:00';
const STEPS = ['residents_raise', 'two_committees_deliberation', 'residents_representatives_decision'];
const FAST_PATH_MAX_FEN = 5_000_000;

export interface PlannedProject {
  communityId: string;
  streetId: string;
  amountFen: number;
  delivery: 'self' | 'social_org';
  objection: boolean;
  upheld: boolean;
  id?: string;
  outcome?: 'CLOSED' | 'REJECTED';
  /** Set when a step of this project got an answer it should not have: it is dropped from the later steps. */
  failed?: string;
}

/** Deterministic: project i is the same in every run of the same size. */
export const planYear = (
  org: BenchOrg,
  n: number,
): { projects: PlannedProject[]; allocations: Map<string, number> } => {
  const communities = org.streets.flatMap((s) => s.communities.map((c) => ({ communityId: c.id, streetId: s.id })));
  const projects = Array.from({ length: n }, (_, i): PlannedProject => {
    const fast = i % 5 === 0;
    const objection = i % 20 === 7;
    return {
      ...communities[i % communities.length],
      amountFen: fast ? 3_000_000 + (i % 7) * 100_000 : 6_000_000 + (i % 11) * 250_000,
      delivery: i % 5 === 2 || i % 5 === 4 ? 'social_org' : 'self',
      objection,
      upheld: objection && i % 40 === 7,
    };
  });
  // Each community gets what its projects ask for, except where one project in fifty is
  // marked: that community is short by that project's amount, so one approval there fails.
  const allocations = new Map<string, number>();
  projects.forEach((p, i) => {
    const short = i % 50 === 49;
    allocations.set(p.communityId, (allocations.get(p.communityId) ?? 0) + (short ? 0 : p.amountFen));
  });
  for (const [c, a] of allocations) if (a === 0) allocations.set(c, 1_000_000);
  return { projects, allocations };
};

export interface DistrictYearResult {
  projects: number;
  wallMs: number;
  msPerProject: number;
  requests: number;
  outcomes: Record<string, number>;
  objections: number;
  upheld: number;
  refusedForMoney: number;
  fastPath: number;
  /** Projects dropped because a step was refused or failed unexpectedly (first messages kept). */
  failures: { count: number; first: string[] };
  yearEnd: { communities: number; reservedFen: number; paidFen: number; allocatedFen: number };
  peakRssMb: number;
  /** Operation counts of the product during the year (GET /local/stats). */
  stats: LocalStatsSnapshot;
  /** The projects made, for the load that follows on the same stack. */
  projectIds: KnownProject[];
}

type Tokens = { district: string; streets: Map<string, string>; communities: Map<string, string> };

export const runDistrictYear = async (
  product: Product,
  org: BenchOrg,
  n: number,
  concurrency: number,
  progress: Progress,
): Promise<DistrictYearResult & { client: BenchClient }> => {
  const api = new BenchClient('127.0.0.1', product.port);
  const { projects, allocations } = planYear(org, n);
  const t0 = performance.now();
  await api.must('clock', 'POST', '/local/clock', { body: { set: START } });
  const token = async (sub: string, role: string, orgUnitId: string) =>
    (await api.must('token', 'POST', '/local/token', { body: { sub, role, orgUnitId } })).body.token as string;
  const tokens: Tokens = {
    district: await token('bench-district', 'district', org.district.id),
    streets: new Map(),
    communities: new Map(),
  };
  for (const s of org.streets) {
    tokens.streets.set(s.id, await token(`bench-${s.id}`, 'street', s.id));
    for (const c of s.communities) tokens.communities.set(c.id, await token(`bench-${c.id}`, 'community', c.id));
  }
  const street = (p: PlannedProject) => tokens.streets.get(p.streetId)!;
  const community = (p: PlannedProject) => tokens.communities.get(p.communityId)!;
  const approver = (p: PlannedProject) => (p.amountFen <= FAST_PATH_MAX_FEN ? community(p) : street(p));
  const advance = async (days: number) => {
    for (let d = 0; d < days; d++) await api.must('clock', 'POST', '/local/clock', { body: { advance: 'P1D' } });
  };

  progress.phase('allocations', allocations.size);
  await pool(
    [...allocations],
    concurrency,
    async ([communityId, amountFen]) => {
      await api.must('allocation', 'PUT', `/v1/allocations/${YEAR}/${communityId}`, {
        token: tokens.district,
        body: { amountFen, sources: [{ funder: '市财政', amountFen }] },
      });
    },
    progress.tick,
  );
  const undertaker = (
    await api.must('undertaker', 'POST', '/v1/undertakers', {
      token: tokens.district,
      body: { name: '基准社工服务中心', kind: 'social_org', creditCode: '52450200MJ0000099A' },
    })
  ).body.id as string;

  const failures: string[] = [];
  /** One project's step: an unexpected answer drops that project, not the whole run. */
  const step = (work: (p: PlannedProject, i: number) => Promise<void>) => async (p: PlannedProject, i: number) => {
    if (p.failed) return;
    try {
      await work(p, i);
    } catch (e) {
      p.failed = (e as Error).message.slice(0, 300);
      // What the project went through, so that a dropped project can be explained afterwards.
      const history = p.id
        ? await api
            .call('check', 'GET', `/v1/projects/${p.id}/history`, { token: tokens.district })
            .catch(() => undefined)
        : undefined;
      const trail = (
        (history?.body?.items ?? []) as { action: string; fromStatus: string | null; toStatus: string | null }[]
      )
        .map((h) => `${h.action}:${h.fromStatus}>${h.toStatus}`)
        .join(' ');
      failures.push(`${p.failed} | history: ${trail}`.slice(0, 2000));
    }
  };
  const alive = (list: PlannedProject[]) => list.filter((p) => !p.failed);

  const submitAndReview = async (p: PlannedProject) => {
    await api.must('submit', 'POST', `/v1/projects/${p.id}/submit`, { token: community(p) });
    await api.must('review', 'POST', `/v1/projects/${p.id}/review`, {
      token: street(p),
      body: { decision: 'pass', comment: '同意公示' },
    });
  };

  progress.phase('draft, deliberate, submit, review', n);
  await pool(
    projects,
    concurrency,
    step(async (p, i) => {
      const created = await api.must('create', 'POST', '/v1/projects', {
        token: community(p),
        body: {
          communityId: p.communityId,
          year: YEAR,
          title: `基准项目${i + 1}`,
          category: p.delivery === 'self' ? 'public_construction' : 'livelihood_service',
          type: p.delivery === 'self' ? 'works' : 'service',
          amountFen: p.amountFen,
          delivery: p.delivery,
          measures: '按居民议定方案实施，分阶段验收',
          plannedEnd: '2025-11-30',
          needIds: [],
        },
      });
      p.id = created.body.id;
      for (const step of STEPS)
        await api.must('deliberation', 'POST', `/v1/projects/${p.id}/deliberations`, {
          token: community(p),
          body: {
            step,
            heldOn: '2025-03-01',
            body: '居民代表会议',
            attendance: 20,
            votesFor: 18,
            votesAgainst: 1,
            abstentions: 1,
            minutes: '与会人员同意',
          },
        });
      await submitAndReview(p);
      await api.must('read', 'GET', `/v1/projects/${p.id}`, { token: street(p) });
      await api.must('public read', 'GET', `/v1/public/projects/${p.id}`);
    }),
    progress.tick,
  );

  const objected = alive(projects).filter((p) => p.objection);
  progress.phase('objections from residents', objected.length);
  await pool(
    objected,
    concurrency,
    step(async (p, i) => {
      await api.must('objection', 'POST', `/v1/public/projects/${p.id}/objections`, {
        body: { content: '建议调整实施地点' },
        from: `127.0.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`,
      });
    }),
    progress.tick,
  );

  progress.phase('publicity (8 simulated days)', 8);
  for (let d = 0; d < 8; d++) {
    await advance(1);
    progress.tick();
  }

  progress.phase('objections resolved, upheld ones resubmitted', objected.length);
  await pool(
    objected,
    concurrency,
    step(async (p) => {
      const full = await api.must('read', 'GET', `/v1/projects/${p.id}`, { token: street(p) });
      for (const o of full.body.objections)
        await api.must('resolution', 'POST', `/v1/projects/${p.id}/objections/${o.id}/resolution`, {
          token: street(p),
          body: { upheld: p.upheld, reply: p.upheld ? '意见合理，退回修改' : '经核实，方案合理' },
        });
      if (p.upheld) await submitAndReview(p);
    }),
    progress.tick,
  );

  let refusedForMoney = 0;
  const decide = async (p: PlannedProject) => {
    const r: Reply = await api.call('approval', 'POST', `/v1/projects/${p.id}/approval`, {
      token: approver(p),
      body: { decision: 'approve', comment: '同意' },
      expect: [200, 409],
    });
    if (r.status !== 200 && r.status !== 409)
      throw new Error(`approval ${p.id}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
    if (r.status === 409) {
      if (r.body.availableFen === undefined) throw new Error(`approval ${p.id}: ${JSON.stringify(r.body)}`);
      refusedForMoney++;
      await api.must('approval', 'POST', `/v1/projects/${p.id}/approval`, {
        token: approver(p),
        body: { decision: 'reject', comment: '资金不足，不予批准' },
      });
      p.outcome = 'REJECTED';
      return;
    }
    if (p.delivery === 'social_org')
      await api.must('contract', 'POST', `/v1/projects/${p.id}/contract`, {
        token: community(p),
        body: { undertakerId: undertaker, signedOn: '2025-03-20', amountFen: p.amountFen },
      });
  };

  const firstRound = alive(projects).filter((p) => !p.upheld);
  progress.phase('approval and contracts', firstRound.length);
  await pool(firstRound, concurrency, step(decide), progress.tick);

  const resubmitted = alive(projects).filter((p) => p.upheld);
  progress.phase('second publicity (8 simulated days)', 8);
  for (let d = 0; d < 8; d++) {
    await advance(1);
    progress.tick();
  }
  progress.phase('approval of resubmitted projects', resubmitted.length);
  await pool(resubmitted, concurrency, step(decide), progress.tick);

  const running = alive(projects).filter((p) => p.outcome !== 'REJECTED');
  progress.phase('progress and three accepted tranches', running.length);
  await pool(
    running,
    concurrency,
    step(async (p) => {
      await api.must('progress', 'POST', `/v1/projects/${p.id}/progress`, {
        token: community(p),
        body: { percent: 60, note: '按计划推进' },
      });
      for (const n of [1, 2, 3])
        await api.must('acceptance', 'POST', `/v1/projects/${p.id}/tranches/${n}/acceptance`, {
          token: street(p),
          body: { passed: true, comment: '验收合格', satisfaction: 95 },
        });
    }),
    progress.tick,
  );

  progress.phase('completion publicity (8 simulated days)', 8);
  for (let d = 0; d < 8; d++) {
    await advance(1);
    progress.tick();
  }

  progress.phase('to 31 December, one reminder sweep a day', 1);
  await api.must('clock', 'POST', '/local/clock', { body: { set: YEAR_END } });
  progress.tick();

  progress.phase('year-end check and reports', 1);
  const report = (await api.must('year-end', 'POST', `/v1/year-end/${YEAR}`, { token: tokens.district })).body;
  await api.must('report', 'GET', `/v1/reports/summary?year=${YEAR}`, { token: tokens.district });
  progress.tick();
  const wallMs = performance.now() - t0;
  // The counts of the year itself, before the reads below that only check the outcome.
  const stats = (await (await fetch(`http://127.0.0.1:${product.port}/local/stats`)).json()) as LocalStatsSnapshot;

  // Counts that must add up, read back from the product rather than from the plan.
  const outcomes: Record<string, number> = {};
  await pool(projects, concurrency, async (p) => {
    const status = (await api.must('check', 'GET', `/v1/projects/${p.id}`, { token: tokens.district })).body
      .status as string;
    outcomes[status] = (outcomes[status] ?? 0) + 1;
  });
  const communities = report.communities as { allocatedFen: number; reservedFen: number; paidFen: number }[];
  return {
    client: api,
    projects: n,
    wallMs: round(wallMs, 0),
    msPerProject: round(wallMs / n, 2),
    // Every call of the year, without the reads that only check or explain the outcome.
    requests: [...api.groups].filter(([g]) => g !== 'check').reduce((t, [, g]) => t + g.count, 0),
    stats,
    outcomes,
    objections: objected.length,
    upheld: resubmitted.length,
    refusedForMoney,
    fastPath: projects.filter((p) => p.amountFen <= FAST_PATH_MAX_FEN).length,
    failures: { count: failures.length, first: failures.slice(0, 10) },
    yearEnd: {
      communities: communities.length,
      allocatedFen: communities.reduce((s, c) => s + c.allocatedFen, 0),
      reservedFen: communities.reduce((s, c) => s + c.reservedFen, 0),
      paidFen: communities.reduce((s, c) => s + c.paidFen, 0),
    },
    peakRssMb: product.peakRssMb(),
    projectIds: projects.map((p) => ({ id: p.id!, streetId: p.streetId })),
  };
};

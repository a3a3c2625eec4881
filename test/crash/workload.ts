import type { CrashClient, Reply } from './client.ts';
import { PUBLIC_LIMITS } from '../../functions/api/problem.ts';

/*
 * The concurrent workload: N projects of the demo district (guandu profile) driven
 * through their whole life over HTTP, in phases separated by moves of the simulated
 * clock: draft, deliberate, submit, review (some get a resident's objection); the
 * publicity windows close; objections dismissed, then approve (or reject, or withdraw),
 * progress and three accepted tranches; the completion windows close.
 */

export const YEAR = 2025;
export const START = '2025-03-03T09:00:00+08:00';
const DAY = 86_400_000;
const STREET_OF: Record<string, string> = {};
const COMMUNITIES = [
  ['gd-gdjd', 'gd-gdjd-xh'],
  ['gd-gdjd', 'gd-gdjd-ld'],
  ['gd-gdjd', 'gd-gdjd-fs'],
  ['gd-gjjd', 'gd-gjjd-gx'],
  ['gd-gjjd', 'gd-gjjd-dc'],
  ['gd-gjjd', 'gd-gjjd-hy'],
] as const;
for (const [s, c] of COMMUNITIES) STREET_OF[c] = s;
const STEPS = ['party_branch_proposal', 'two_committees_consultation', 'party_members_review', 'residents_resolution'];

export type Outcome = 'CLOSED' | 'REJECTED' | 'WITHDRAWN';

export interface PlannedProject {
  n: number;
  title: string;
  communityId: string;
  streetId: string;
  amountFen: number;
  objection: boolean;
  outcome: Outcome;
  id?: string;
  /** The first step that got a definite answer it should not have: the project is driven no further. */
  refused?: { step: string; status: number; body: unknown; attempts?: number };
}

/** Deterministic in n and the run's tag: the same plan for the same seed. */
export const plan = (count: number, tag: string): { projects: PlannedProject[]; allocations: Map<string, number> } => {
  const projects = Array.from({ length: count }, (_, n): PlannedProject => {
    const [streetId, communityId] = COMMUNITIES[n % COMMUNITIES.length];
    return {
      n,
      title: `崩溃测试项目 ${tag}-${n}`,
      communityId,
      streetId,
      amountFen: 1_000_000 + (n % 5) * 200_000,
      // The harness is one resident on one address: it stays within the per-address hourly limit.
      objection: n % 4 === 1 && Math.floor(n / 4) < PUBLIC_LIMITS.objectionsPerClientPerHour,
      outcome: n % 7 === 3 ? 'REJECTED' : n % 9 === 4 ? 'WITHDRAWN' : 'CLOSED',
    };
  });
  const allocations = new Map<string, number>();
  for (const p of projects) allocations.set(p.communityId, (allocations.get(p.communityId) ?? 500_000) + p.amountFen);
  return { projects, allocations };
};

export interface Tokens {
  district: string;
  street: (p: PlannedProject) => string;
  community: (p: PlannedProject) => string;
}

export const tokensFor = async (api: CrashClient): Promise<Tokens> => {
  const streets = new Map<string, string>();
  const communities = new Map<string, string>();
  for (const [s, c] of COMMUNITIES) {
    if (!streets.has(s)) streets.set(s, await api.token(`crash-${s}`, 'street', s));
    communities.set(c, await api.token(`crash-${c}`, 'community', c));
  }
  return {
    district: await api.token('crash-district', 'district', 'gd'),
    street: (p) => streets.get(p.streetId)!,
    community: (p) => communities.get(p.communityId)!,
  };
};

/** Runs `work` over `items`, `concurrency` at a time. */
const pool = async <T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> => {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
};

class Refused extends Error {}

/** A write that must succeed for the plan to go on; any other definite answer stops this project. */
const must = async (p: PlannedProject, step: string, call: Promise<Reply>): Promise<Reply> => {
  const r = await call;
  if (r.status < 200 || r.status >= 300) {
    p.refused = { step, status: r.status, body: r.body, attempts: r.attempts };
    throw new Refused(step);
  }
  return r;
};

const eachProject = (projects: PlannedProject[], concurrency: number, work: (p: PlannedProject) => Promise<void>) =>
  pool(
    projects.filter((p) => !p.refused),
    concurrency,
    async (p) => {
      try {
        await work(p);
      } catch (e) {
        if (!(e instanceof Refused)) throw e;
      }
    },
  );

/** Moves the clock a day at a time (every day's reminders and deadlines fire in their own move). */
const advanceDays = async (api: CrashClient, days: number, onDay: () => void) => {
  for (let d = 0; d < days; d++) {
    await api.setClock(new Date(Date.parse(api.clock) + DAY).toISOString());
    onDay();
  }
};

export type Phase = (name: string) => void;

/** Drives every project through its life; refusals are recorded on the project, not thrown. */
export const runWorkload = async (
  api: CrashClient,
  projects: PlannedProject[],
  allocations: Map<string, number>,
  concurrency: number,
  phase: Phase,
): Promise<Tokens> => {
  phase('clock and tokens');
  await api.setClock(START);
  const t = await tokensFor(api);

  phase('allocations');
  await pool([...allocations], concurrency, async ([communityId, amountFen]) => {
    const r = await api.write('PUT', `/v1/allocations/${YEAR}/${communityId}`, {
      token: t.district,
      body: { amountFen, sources: [{ funder: '官渡区财政', amountFen }] },
    });
    if (r.status !== 200 && r.status !== 201)
      throw new Error(`allocation ${communityId}: ${r.status} ${JSON.stringify(r.body)}`);
  });

  phase('draft, deliberate, submit, review, objections');
  await eachProject(projects, concurrency, async (p) => {
    const created = await must(
      p,
      'create',
      api.write('POST', '/v1/projects', {
        token: t.community(p),
        body: {
          communityId: p.communityId,
          year: YEAR,
          title: p.title,
          category: 'property_service',
          type: 'works',
          amountFen: p.amountFen,
          delivery: 'self',
          measures: '更换小区内损坏路灯',
          plannedEnd: '2025-11-30',
          needIds: [],
        },
      }),
    );
    p.id = created.body.id;
    for (const step of STEPS)
      await must(
        p,
        `deliberation ${step}`,
        api.write('POST', `/v1/projects/${p.id}/deliberations`, {
          token: t.community(p),
          body: {
            step,
            heldOn: '2025-03-01',
            body: '社区会议',
            attendance: 20,
            votesFor: 18,
            votesAgainst: 1,
            abstentions: 1,
            minutes: `与会人员同意（${step}）`,
          },
        }),
      );
    await must(p, 'submit', api.write('POST', `/v1/projects/${p.id}/submit`, { token: t.community(p) }));
    await must(
      p,
      'review',
      api.write('POST', `/v1/projects/${p.id}/review`, {
        token: t.street(p),
        body: { decision: 'pass', comment: '同意公示' },
      }),
    );
    if (p.objection)
      await must(
        p,
        'objection',
        api.write('POST', `/v1/public/projects/${p.id}/objections`, {
          body: { content: `建议调整实施地点（${p.title}）` },
        }),
      );
  });

  phase('publicity windows close (9 simulated days)');
  await advanceDays(api, 9, () => undefined);

  phase('objections dismissed; approve, reject or withdraw; progress; three acceptances');
  await eachProject(projects, concurrency, async (p) => {
    if (p.objection) {
      // Every page of the project's objections (the project's own view carries only the first).
      const open: string[] = [];
      let next: string | undefined;
      do {
        const page = (
          await api.read(
            `/v1/projects/${p.id}/objections${next ? `?nextToken=${encodeURIComponent(next)}` : ''}`,
            t.street(p),
          )
        ).body;
        for (const o of page.items ?? []) if (!o.resolution) open.push(o.id);
        next = page.nextToken ?? undefined;
      } while (next);
      for (const id of open)
        await must(
          p,
          'objection resolution',
          api.write('POST', `/v1/projects/${p.id}/objections/${id}/resolution`, {
            token: t.street(p),
            body: { upheld: false, reply: '经核实，方案合理' },
          }),
        );
    }
    if (p.outcome === 'WITHDRAWN') {
      await must(
        p,
        'withdraw',
        api.write('POST', `/v1/projects/${p.id}/withdraw`, { token: t.community(p), body: { reason: '居民另有安排' } }),
      );
      return;
    }
    if (p.outcome === 'REJECTED') {
      await must(
        p,
        'rejection',
        api.write('POST', `/v1/projects/${p.id}/approval`, {
          token: t.street(p),
          body: { decision: 'reject', comment: '不予批准' },
        }),
      );
      return;
    }
    await must(
      p,
      'approval',
      api.write('POST', `/v1/projects/${p.id}/approval`, {
        token: t.street(p),
        body: { decision: 'approve', comment: '同意' },
      }),
    );
    await must(
      p,
      'progress',
      api.write('POST', `/v1/projects/${p.id}/progress`, {
        token: t.community(p),
        body: { percent: 60, note: `按计划推进（${p.title}）` },
      }),
    );
    for (const n of [1, 2, 3])
      await must(
        p,
        `acceptance ${n}`,
        api.write('POST', `/v1/projects/${p.id}/tranches/${n}/acceptance`, {
          token: t.street(p),
          body: { passed: true, comment: '验收合格', satisfaction: 95 },
        }),
      );
  });

  phase('completion windows close (9 simulated days)');
  await advanceDays(api, 9, () => undefined);
  return t;
};

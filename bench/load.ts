import { BenchClient, Latencies, round, type Exchange } from './client.ts';
import type { BenchOrg } from './org.ts';
import type { Product } from './product.ts';
import type { Progress } from './progress.ts';
import { cpuMsOf, storeCallsIn, type LocalStatsSnapshot } from '../infra/local/stats.ts';

/*
 * Requests as a district's day has them, against a stack that already holds a year:
 * public reads (the notice board), staff reads, and staff writes (drafts, their
 * deliberations, needs).
 */

interface Actors {
  streets: { id: string; token: string }[];
  communities: { id: string; streetId: string; token: string }[];
}

export interface KnownProject {
  id: string;
  streetId: string;
}

/**
 * The kinds of request in the mix, by their slot of ten: each one alone is what
 * `runClosedLoad` measures with `only` (slots 1 and 3 repeat 0 and 2; 8 records the
 * deliberation of a draft made by slot 7, or reads a history when no draft waits, as it
 * always does alone).
 */
export const REQUEST_KINDS: Record<number, string> = {
  0: 'publicity list (public)',
  2: 'project (public)',
  4: 'project (street staff)',
  5: 'project list (community staff)',
  6: 'allocation (community staff)',
  7: 'draft created (community staff)',
  8: 'history (street staff)',
  9: 'need recorded (community staff)',
};

const mixOf = (api: BenchClient, a: Actors, projects: KnownProject[], only?: number) => {
  const streetToken = new Map(a.streets.map((s) => [s.id, s.token]));
  let n = 0;
  const drafts: { id: string; token: string }[] = [];
  return async (): Promise<number> => {
    const i = n++;
    const c = a.communities[i % a.communities.length];
    const p = projects[i % projects.length];
    const pid = p.id;
    switch (only ?? i % 10) {
      case 0:
      case 1:
        return (await api.call('public read', 'GET', `/v1/public/publicity?communityId=${c.id}&year=2025`)).status;
      case 2:
      case 3:
        return (await api.call('public read', 'GET', `/v1/public/projects/${pid}`)).status;
      case 4:
        return (
          await api.call('staff read', 'GET', `/v1/projects/${pid}`, {
            token: streetToken.get(p.streetId),
            expect: [200, 404],
          })
        ).status;
      case 5:
        return (
          await api.call('staff read', 'GET', `/v1/projects?communityId=${c.id}&year=2025&limit=20`, { token: c.token })
        ).status;
      case 6:
        // In a small district year not every community has an allocation: its 404 is the right answer.
        return (
          await api.call('staff read', 'GET', `/v1/allocations/2025/${c.id}`, { token: c.token, expect: [200, 404] })
        ).status;
      case 7: {
        const r = await api.call('staff write', 'POST', '/v1/projects', {
          token: c.token,
          body: {
            communityId: c.id,
            year: 2025,
            title: `负载项目${i}`,
            category: 'public_welfare',
            type: 'service',
            amountFen: 1_000_000,
            delivery: 'self',
            measures: '负载测试草稿',
            plannedEnd: '2025-12-20',
            needIds: [],
          },
        });
        if (r.status === 201) drafts.push({ id: r.body.id, token: c.token });
        return r.status;
      }
      case 8: {
        const d = drafts.shift();
        if (!d)
          return (
            await api.call('staff read', 'GET', `/v1/projects/${pid}/history`, {
              token: streetToken.get(p.streetId),
              expect: [200, 404],
            })
          ).status;
        return (
          await api.call('staff write', 'POST', `/v1/projects/${d.id}/deliberations`, {
            token: d.token,
            body: {
              step: 'residents_raise',
              heldOn: '2025-12-30',
              body: '居民会议',
              attendance: 20,
              votesFor: 18,
              votesAgainst: 1,
              abstentions: 1,
              minutes: '同意',
            },
          })
        ).status;
      }
      default:
        return (
          await api.call('staff write', 'POST', `/v1/communities/${c.id}/needs`, {
            token: c.token,
            body: { title: '楼道照明', description: '楼道灯不亮', channel: 'meeting' },
          })
        ).status;
    }
  };
};

const actorsFor = async (api: BenchClient, org: BenchOrg): Promise<Actors> => {
  const token = async (sub: string, role: string, orgUnitId: string) =>
    (await api.must('token', 'POST', '/local/token', { body: { sub, role, orgUnitId } })).body.token as string;
  const a: Actors = { streets: [], communities: [] };
  for (const s of org.streets) {
    a.streets.push({ id: s.id, token: await token(`load-${s.id}`, 'street', s.id) });
    for (const c of s.communities)
      a.communities.push({ id: c.id, streetId: s.id, token: await token(`load-${c.id}`, 'community', c.id) });
  }
  return a;
};

export interface LoadResult {
  mode: 'open' | 'closed';
  target?: number;
  clients?: number;
  seconds: number;
  requests: number;
  perSecond: number;
  errors: number;
  p50: number;
  p99: number;
  groups: Record<string, ReturnType<Latencies['summary']>>;
  /** What the product spent on the load (GET /local/stats): its store calls, its CPU and its store's, in ms. */
  spent?: {
    storeCalls: number;
    productCpuMs: number;
    storeCpuMs: number;
    benchCpuMs: number;
    /** By command and the kind of item (`PutItem AUDIT`), as `storeByKey` of /local/stats. */
    storeCallsByKey: Record<string, number>;
    /** Writes refused on their condition, by the same keys: not among `storeCalls`. */
    storeRefusedByKey: Record<string, number>;
  };
}

const summarize = (
  api: BenchClient,
  mode: 'open' | 'closed',
  seconds: number,
  extra: Partial<LoadResult>,
): LoadResult => {
  const all = new Latencies();
  const groups: LoadResult['groups'] = {};
  let errors = 0;
  for (const [name, g] of api.groups) {
    if (name === 'token') continue;
    groups[name] = g.summary();
    errors += g.errors;
  }
  // Quantiles over all groups together: merge by re-adding the groups' samples.
  for (const [name, g] of api.groups) if (name !== 'token') all.merge(g);
  return {
    mode,
    seconds,
    requests: all.count,
    perSecond: round(all.count / seconds, 0),
    errors,
    p50: round(all.quantile(0.5)),
    p99: round(all.quantile(0.99)),
    groups,
    ...extra,
  };
};

/** Requests started at a fixed rate whatever the replies do (open loop), for `seconds`. */
export const runOpenLoad = async (
  product: Product,
  org: BenchOrg,
  projects: KnownProject[],
  rate: number,
  seconds: number,
  progress: Progress,
): Promise<LoadResult> => {
  const setup = new BenchClient('127.0.0.1', product.port);
  const a = await actorsFor(setup, org);
  setup.close();
  const api = new BenchClient('127.0.0.1', product.port);
  const next = mixOf(api, a, projects);
  progress.phase(`open loop: ${rate} requests/s for ${seconds} s`, rate * seconds);
  const inFlight: Promise<unknown>[] = [];
  const t0 = performance.now();
  for (let i = 0; i < rate * seconds; i++) {
    const at = t0 + (i * 1000) / rate;
    const wait = at - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(
      next()
        .catch(() => 0)
        .finally(progress.tick),
    );
  }
  await Promise.all(inFlight);
  const r = summarize(api, 'open', seconds, { target: rate });
  api.close();
  return r;
};

/**
 * `clients` callers, each sending its next request as soon as the last one is answered:
 * the whole mix, or `only` one kind of request (a key of REQUEST_KINDS).
 */
export const runClosedLoad = async (
  product: Product,
  org: BenchOrg,
  projects: KnownProject[],
  clients: number,
  seconds: number,
  progress: Progress,
  only?: number,
  /** Called once the clients are ready, just before the loop starts. */
  beforeStart?: () => Promise<void>,
  /** Where to keep each request with the product's answer, by the request's number. */
  keep?: Map<string, Exchange>,
): Promise<LoadResult> => {
  const setup = new BenchClient('127.0.0.1', product.port);
  const a = await actorsFor(setup, org);
  const api = new BenchClient('127.0.0.1', product.port);
  api.exchanges = keep;
  const next = mixOf(api, a, projects, only);
  const what = only === undefined ? '' : ` of ${REQUEST_KINDS[only]} only`;
  progress.phase(`closed loop: ${clients} clients${what} for ${seconds} s`, seconds);
  await setup.must('stats', 'POST', '/local/stats');
  await beforeStart?.();
  const benchCpu = process.cpuUsage();
  const timer = setInterval(progress.tick, 1000);
  const until = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < until) await next().catch(() => 0);
    }),
  );
  clearInterval(timer);
  const seconds1 = (performance.now() - t0) / 1000;
  const benchCpuMs = cpuMsOf(process.cpuUsage(benchCpu));
  const used = (await setup.must('stats', 'GET', '/local/stats')).body as LocalStatsSnapshot;
  setup.close();
  const spent = {
    storeCalls: storeCallsIn(used),
    productCpuMs: round(used.cpu?.productMs ?? 0, 0),
    storeCpuMs: round(used.cpu?.storeMs ?? 0, 0),
    benchCpuMs: round(benchCpuMs, 0),
    storeCallsByKey: Object.fromEntries(Object.entries(used.storeByKey).map(([k, c]) => [k, c.calls])),
    storeRefusedByKey: Object.fromEntries(Object.entries(used.storeByKey).map(([k, c]) => [k, c.refused ?? 0])),
  };
  const r = summarize(api, 'closed', seconds1, { clients, spent });
  api.close();
  return r;
};

/**
 * The district home's figures, from what the API returns: money per street and per
 * community, projects per status, and the open deadlines per coming week. Pure.
 */
import type { components } from '../../../../functions/openapi/api-types.ts';
import { shanghaiIsoDay } from '../format.ts';
import { CURRENT_DEADLINE } from '../workQueue.ts';

type Allocation = components['schemas']['AllocationView'];
type Org = components['schemas']['GetOrgResponse'];
type Project = components['schemas']['ProjectView'];

export interface MoneyRow {
  label: string;
  allocatedFen: number;
  reservedFen: number;
  paidFen: number;
}

/** Allocated, reserved and paid per community, in the tree's order; the pool (if any) last. */
export const moneyByCommunity = (org: Org, allocations: Allocation[]): MoneyRow[] => {
  const byId = new Map(allocations.map((a) => [a.communityId, a]));
  const rows = org.streets.flatMap((s) =>
    s.communities.map((c) => {
      const a = byId.get(c.id);
      return {
        label: c.name,
        allocatedFen: a?.amountFen ?? 0,
        reservedFen: a?.reservedFen ?? 0,
        paidFen: a?.paidFen ?? 0,
      };
    }),
  );
  const pool = byId.get('POOL');
  if (pool)
    rows.push({
      label: '区级统筹',
      allocatedFen: pool.amountFen,
      reservedFen: pool.reservedFen,
      paidFen: pool.paidFen,
    });
  return rows;
};

/** The same figures summed per street. */
export const moneyByStreet = (org: Org, allocations: Allocation[]): MoneyRow[] =>
  org.streets.map((s) => {
    const mine = allocations.filter((a) => a.streetId === s.id && a.communityId !== 'POOL');
    const sum = (k: 'amountFen' | 'reservedFen' | 'paidFen') => mine.reduce((n, a) => n + a[k], 0);
    return { label: s.name, allocatedFen: sum('amountFen'), reservedFen: sum('reservedFen'), paidFen: sum('paidFen') };
  });

/** How many projects are in each status, in lifecycle order, statuses with none left out. */
export const projectsByStatus = (
  projects: Pick<Project, 'status'>[],
  order: readonly string[],
): { status: string; count: number }[] =>
  order
    .map((status) => ({ status, count: projects.filter((p) => p.status === status).length }))
    .filter((r) => r.count > 0);

/** The deadline a project is waiting on now (ISO instant), if it is waiting on one. */
export const nextDeadline = (p: Pick<Project, 'deadlines' | 'status'>): string | undefined => {
  const key = CURRENT_DEADLINE[p.status];
  return key ? (p.deadlines as Record<string, string | undefined> | undefined)?.[key] : undefined;
};

/**
 * Open deadlines falling in each of the `weeks` weeks from `now` (week 1 starts on now's
 * Shanghai day), plus those already past: what the coming weeks hold at a glance.
 */
export const deadlinesByWeek = (
  projects: Pick<Project, 'deadlines' | 'status'>[],
  now: Date,
  weeks: number,
): { label: string; count: number }[] => {
  const today = Date.parse(`${shanghaiIsoDay(now)}T00:00:00+08:00`);
  const counts = new Array(weeks + 1).fill(0) as number[];
  for (const p of projects) {
    const due = nextDeadline(p);
    if (!due) continue;
    const t = Date.parse(due);
    if (t < now.getTime()) counts[0]++;
    else {
      const week = Math.floor((t - today) / (7 * 86_400_000));
      if (week < weeks) counts[week + 1]++;
    }
  }
  return counts.map((count, i) => ({ label: i === 0 ? '已逾期' : i === 1 ? '本周' : `第${i}周`, count }));
};

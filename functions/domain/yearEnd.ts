/**
 * The year-end check as pure computation: which projects fail, what money goes back to
 * district finance, and which sanctions to propose. The caller marks projects FAILED and
 * releases their money; both functions give the same answer before and after it does, so
 * running the check twice is safe.
 */
import { BEFORE_APPROVAL, type Status } from './lifecycle.ts';

/** Approved and holding money, but the work is not done. */
export const UNFINISHED: readonly Status[] = ['APPROVED', 'IN_PROGRESS'];
/** Delivered: the last tranche is paid, so the project holds nothing unpaid. */
export const FINISHED: readonly Status[] = ['COMPLETION_PUBLICITY', 'CLOSED'];
/** Never approved within the year: these hold no money and simply lapse. */
export { BEFORE_APPROVAL };

/** The first instant at which the check for `year` may run: 31 December, 00:00 Shanghai. */
export const yearEndOpensAt = (year: number): Date => new Date(`${year}-12-31T00:00:00+08:00`);

export interface YearEndAllocation {
  communityId: string;
  streetId: string;
  amountFen: number;
  reservedFen: number;
  paidFen: number;
}

export interface YearEndProject {
  id: string;
  title: string;
  communityId: string;
  status: Status;
  undertakerId?: string;
  /** The fund's share, which is what the project reserves. */
  amountFen: number;
  paidFen: number;
}

/** The parts of a policy profile the year end reads; a whole profile fits. */
export interface YearEndPolicy {
  yearEnd: { unfinishedFails: boolean };
  sanctions: { undertakerDisqualifyYears: number; communityCutPercent: number };
}

export interface YearEndInput {
  year: number;
  allocations: readonly YearEndAllocation[];
  /** The projects of that year, in any status. */
  projects: readonly YearEndProject[];
  policy: YearEndPolicy;
}

export interface ProjectRef {
  id: string;
  title: string;
  communityId: string;
}

export interface YearEndPlan {
  year: number;
  /** Projects to mark FAILED, each with the unpaid money its release frees. */
  toFail: (ProjectRef & { undertakerId?: string; releaseFen: number })[];
  /** Projects never approved; they hold no money and are listed only. */
  lapsed: (ProjectRef & { status: Status })[];
  /** Approved projects left open because the profile does not fail them. */
  unfinished: (ProjectRef & { status: Status })[];
}

export interface CommunityYearEnd {
  communityId: string;
  streetId: string;
  allocatedFen: number;
  /** Still held by projects after the release of failed projects' unpaid money. */
  reservedFen: number;
  paidFen: number;
  /** Reserved but unpaid money of projects that stay open (only when the profile does not fail them). */
  carriedOverFen: number;
  /** Goes back to district finance: allocated − reserved. */
  surplusFen: number;
}

export interface UndertakerSanction {
  undertakerId: string;
  reason: string;
  projectIds: string[];
  /** The years it is barred from, starting with the next one. */
  disqualifiedYears: number[];
}

export interface CommunitySanction {
  communityId: string;
  cutPercent: number;
  reason: string;
  projectIds: string[];
  /** The year whose allocation is cut. */
  appliesToYear: number;
}

export interface YearEndReport {
  year: number;
  communities: CommunityYearEnd[];
  failedProjects: ProjectRef[];
  lapsed: (ProjectRef & { status: Status })[];
  unfinished: (ProjectRef & { status: Status })[];
  sanctions: { undertakers: UndertakerSanction[]; communities: CommunitySanction[] };
  totals: { allocatedFen: number; reservedFen: number; paidFen: number; carriedOverFen: number; surplusFen: number };
}

const ref = (p: YearEndProject): ProjectRef => ({ id: p.id, title: p.title, communityId: p.communityId });

// Sorted output makes the report identical however the store happened to page the input.
const byId = <T extends { id: string }>(a: T, b: T): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

const unpaidOf = (p: YearEndProject): number => Math.max(0, p.amountFen - p.paidFen);

/**
 * Decides what the year end must change: the approved but unfinished projects to mark
 * FAILED (when the profile says unfinished projects fail), with the money each frees.
 * Projects already FAILED are not listed again, so a second run plans nothing new.
 */
export function planYearEnd(input: YearEndInput): YearEndPlan {
  const fails = input.policy.yearEnd.unfinishedFails;
  const open = input.projects.filter((p) => UNFINISHED.includes(p.status)).sort(byId);
  return {
    year: input.year,
    toFail: fails
      ? open.map((p) => ({
          ...ref(p),
          ...(p.undertakerId ? { undertakerId: p.undertakerId } : {}),
          releaseFen: unpaidOf(p),
        }))
      : [],
    lapsed: input.projects
      .filter((p) => BEFORE_APPROVAL.includes(p.status))
      .sort(byId)
      .map((p) => ({ ...ref(p), status: p.status })),
    unfinished: fails ? [] : open.map((p) => ({ ...ref(p), status: p.status })),
  };
}

/**
 * Builds the year-end report: per community allocated, reserved, paid and surplus to
 * return; failed projects; proposed sanctions. Projects the plan would fail are counted
 * as failed and released even if the caller has not yet done so.
 *
 * Reconciles by construction: per community and in total,
 * `allocatedFen = paidFen + carriedOverFen + surplusFen`; when unfinished projects fail,
 * `carriedOverFen` is 0, so `allocatedFen = paidFen + surplusFen`.
 *
 * @throws Error when a community appears twice among the allocations
 */
export function buildYearEndReport(input: YearEndInput): YearEndReport {
  const { year, policy } = input;
  const plan = planYearEnd(input);

  const releaseBy = new Map<string, number>();
  for (const p of plan.toFail) releaseBy.set(p.communityId, (releaseBy.get(p.communityId) ?? 0) + p.releaseFen);

  const seen = new Set<string>();
  const communities: CommunityYearEnd[] = [...input.allocations]
    .sort((a, b) => (a.communityId < b.communityId ? -1 : a.communityId > b.communityId ? 1 : 0))
    .map((a) => {
      if (seen.has(a.communityId))
        throw new Error(`community ${a.communityId} has more than one allocation for ${year}`);
      seen.add(a.communityId);
      // Never below paid: paid money is spent and cannot be returned, whatever the inputs say.
      const reservedFen = Math.max(a.paidFen, a.reservedFen - (releaseBy.get(a.communityId) ?? 0));
      return {
        communityId: a.communityId,
        streetId: a.streetId,
        allocatedFen: a.amountFen,
        reservedFen,
        paidFen: a.paidFen,
        carriedOverFen: reservedFen - a.paidFen,
        surplusFen: a.amountFen - reservedFen,
      };
    });

  const failing = new Set(plan.toFail.map((p) => p.id));
  const failed = input.projects.filter((p) => p.status === 'FAILED' || failing.has(p.id)).sort(byId);

  return {
    year,
    communities,
    failedProjects: failed.map(ref),
    lapsed: plan.lapsed,
    unfinished: plan.unfinished,
    sanctions: proposeSanctions(year, failed, policy.sanctions),
    totals: {
      allocatedFen: sum(communities, 'allocatedFen'),
      reservedFen: sum(communities, 'reservedFen'),
      paidFen: sum(communities, 'paidFen'),
      carriedOverFen: sum(communities, 'carriedOverFen'),
      surplusFen: sum(communities, 'surplusFen'),
    },
  };
}

const sum = <K extends string>(rows: readonly Record<K, number>[], k: K): number => rows.reduce((a, r) => a + r[k], 0);

function proposeSanctions(
  year: number,
  failed: readonly YearEndProject[],
  rules: YearEndPolicy['sanctions'],
): YearEndReport['sanctions'] {
  const group = (key: (p: YearEndProject) => string | undefined): Map<string, string[]> => {
    const m = new Map<string, string[]>();
    for (const p of failed) {
      const k = key(p);
      if (k) m.set(k, [...(m.get(k) ?? []), p.id]);
    }
    return new Map([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  };

  const years = Math.max(0, Math.floor(rules.undertakerDisqualifyYears));
  // A rule of 0 years or 0 percent means the district does not sanction that way.
  const undertakers: UndertakerSanction[] =
    years === 0
      ? []
      : [...group((p) => p.undertakerId)].map(([undertakerId, projectIds]) => ({
          undertakerId,
          reason: `failed to deliver ${projectIds.length} project(s) of ${year}: ${projectIds.join(', ')}`,
          projectIds,
          disqualifiedYears: Array.from({ length: years }, (_, i) => year + 1 + i),
        }));

  const communities: CommunitySanction[] =
    rules.communityCutPercent <= 0
      ? []
      : [...group((p) => p.communityId)].map(([communityId, projectIds]) => ({
          communityId,
          cutPercent: rules.communityCutPercent,
          reason: `${projectIds.length} project(s) of ${year} failed: ${projectIds.join(', ')}`,
          projectIds,
          appliesToYear: year + 1,
        }));

  return { undertakers, communities };
}

import { activeProfile } from '../store/config.ts';
import { getProject, getProjects, projectSummariesOfYear } from '../store/projects.ts';
import { listAllocations, releaseUnpaid, fundOf, paidOf, type Allocation } from '../store/allocations.ts';
import { saveYearEndReport, type StoredYearEndReport } from '../store/yearEndReports.ts';
import { buildYearEndReport, planYearEnd, type YearEndProject } from '../domain/yearEnd.ts';
import { decideYearEndFailure } from '../domain/decisions/implementation.ts';
import type { Actor, Project } from '../domain/project.ts';
import { settleIfOrphaned } from './operations.ts';
import { decisionContext } from './context.ts';
import { execute } from './execute.ts';

const ledgerPaid = (a: Allocation | undefined, projectId: string) => (a ? paidOf(a, projectId) : 0);

/**
 * The year-end check for one year: fails the unfinished projects where the profile says
 * so, gives their unpaid money back to the allocation, and stores the report. Every step
 * is conditional or idempotent, so a second run (or a run resumed after a crash) changes
 * nothing that the first already changed and returns the same report.
 */
export const runYearEnd = async (
  year: number,
  actor: Actor,
  now: Date,
  opts: { pageSize?: number } = {},
): Promise<StoredYearEndReport> => {
  const profile = activeProfile();
  const projects = await settledProjectsOf(year, now, opts.pageSize ?? YEAR_END_PAGE);

  const plan = planYearEnd({ year, allocations: [], projects: projects.map((p) => p.input), policy: profile });
  const failing = new Set(plan.toFail.map((p) => p.id));
  const ctx = await decisionContext(actor, now);
  for (const entry of projects.filter((x) => failing.has(x.input.id))) {
    const p = await getProject(entry.input.id);
    if (!p) continue;
    const r = await execute(p, decideYearEndFailure(p, year, ctx), now);
    // A project that moved on meanwhile (its last stage accepted, a step in flight) is simply not failed.
    entry.input = toInput(r.ok ? r.project : p, 0);
  }

  // Also the projects failed by an earlier run that stopped before releasing their money.
  for (const p of projects.filter((x) => x.input.status === 'FAILED')) await releaseUnpaid(p.fund, p.input.id, now);

  const allocations = await listAllocations(year);
  const byFund = new Map(allocations.map((a) => [`${a.streetId}#${a.communityId}`, a]));
  const report = buildYearEndReport({
    year,
    allocations: allocations.map((a) => ({
      communityId: a.communityId,
      streetId: a.streetId,
      amountFen: a.amountFen,
      reservedFen: a.reservedFen,
      paidFen: a.paidFen,
    })),
    projects: projects.map(({ input, fund }) => ({
      ...input,
      paidFen: ledgerPaid(byFund.get(`${fund.streetId}#${fund.communityId}`), input.id),
    })),
    policy: profile,
  });

  return saveYearEndReport(report, now);
};

/** Whole projects are read a page at a time and only what the check needs is kept: a city's year fits in little memory. */
const YEAR_END_PAGE = 100;

interface CheckedProject {
  input: YearEndProject;
  fund: ReturnType<typeof fundOf>;
}

/**
 * Every project of the year as the check needs it, after an operation a crash left
 * unfinished is completed, so that the check sees settled money.
 */
const settledProjectsOf = async (year: number, now: Date, pageSize: number): Promise<CheckedProject[]> => {
  const ids = (await projectSummariesOfYear(year)).map((p) => p.id);
  const out: CheckedProject[] = [];
  for (let i = 0; i < ids.length; i += pageSize) {
    const page = await getProjects(ids.slice(i, i + pageSize));
    for (const p of await Promise.all(page.map((x) => settleIfOrphaned(x, now))))
      out.push({ input: toInput(p, 0), fund: fundOf(p) });
  }
  return out;
};

const toInput = (p: Project, paidFen: number): YearEndProject => ({
  id: p.id,
  title: p.title,
  communityId: p.communityId,
  status: p.status,
  ...(p.undertakerId && p.delivery !== 'self' ? { undertakerId: p.undertakerId } : {}),
  amountFen: p.amountFen,
  paidFen,
});

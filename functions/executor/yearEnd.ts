import { activeProfile } from '../store/config.ts';
import { projectsOfYear } from '../store/projects.ts';
import {
  listAllocations,
  releaseUnpaid,
  getAllocation,
  fundOf,
  paidOf,
  type Allocation,
} from '../store/allocations.ts';
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
export const runYearEnd = async (year: number, actor: Actor, now: Date): Promise<StoredYearEndReport> => {
  const profile = activeProfile();
  // An operation a crash left unfinished is completed first, so the check sees settled money.
  let projects = await Promise.all((await projectsOfYear(year)).map((p) => settleIfOrphaned(p, now)));

  const plan = planYearEnd({ year, allocations: [], projects: projects.map((p) => toInput(p, 0)), policy: profile });
  const failing = new Set(plan.toFail.map((p) => p.id));
  const updated = new Map<string, Project>();
  const ctx = await decisionContext(actor, now);
  for (const p of projects.filter((x) => failing.has(x.id))) {
    const r = await execute(p, decideYearEndFailure(p, year, ctx), now);
    // A project that moved on meanwhile (its last stage accepted, a step in flight) is simply not failed.
    if (r.ok) updated.set(r.project.id, r.project);
  }
  projects = projects.map((p) => updated.get(p.id) ?? p);

  // Also the projects failed by an earlier run that stopped before releasing their money.
  for (const p of projects.filter((x) => x.status === 'FAILED')) await releaseUnpaid(fundOf(p), p.id, now);

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
    projects: projects.map((p) => {
      const f = fundOf(p);
      return toInput(p, ledgerPaid(byFund.get(`${f.streetId}#${f.communityId}`), p.id));
    }),
    policy: profile,
  });

  return saveYearEndReport(report, now);
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

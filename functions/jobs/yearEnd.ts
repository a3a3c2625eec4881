import { runtime } from '../runtime.ts';
import type { FunctionPorts } from '../ports.ts';
import { activeProfile, getOrg } from '../store/config.ts';
import { getProjects, listStreetProjects, type ProjectSummary } from '../store/projects.ts';
import { listAllocations, releaseUnpaid, getAllocation, fundOf, type Allocation } from '../store/allocations.ts';
import { saveYearEndReport, type StoredYearEndReport } from '../store/yearEndReports.ts';
import { buildYearEndReport, planYearEnd, type YearEndProject } from '../domain/yearEnd.ts';
import { paidForProject } from '../domain/money.ts';
import { fundYearOf } from '../domain/fundYear.ts';
import { SYSTEM, type Actor, type Project } from '../domain/project.ts';
import { event, wakeWorkflow } from '../api/projectCommands.ts';
import { beginOperation, settleIfOrphaned, settleOperation } from '../api/pendingOps.ts';
import { operationId } from '../domain/pendingOp.ts';

/** The first instant at which the check for `year` may run: 31 December, 00:00 Shanghai. */
export const yearEndOpensAt = (year: number): Date => new Date(`${year}-12-31T00:00:00+08:00`);

/** Every project of the year as its summary, street by street through the street index (never a Scan). */
export const projectsOfYear = async (year: number, streetIds?: readonly string[]): Promise<ProjectSummary[]> => {
  const streets = streetIds ?? [...(await getOrg()).streets.keys()];
  const out: ProjectSummary[] = [];
  for (const streetId of streets) {
    let nextToken: string | undefined;
    do {
      const page = await listStreetProjects(streetId, year, { limit: 100, nextToken });
      out.push(...page.items);
      nextToken = page.nextToken;
    } while (nextToken);
  }
  return out;
};

const ledgerPaid = (a: Allocation | undefined, projectId: string) =>
  a
    ? paidForProject(
        {
          amountFen: a.amountFen,
          reservedFen: a.reservedFen,
          paidFen: a.paidFen,
          reservations: a.reservations ?? {},
          payments: a.payments ?? {},
        },
        projectId,
      )
    : 0;

/**
 * The year-end check for one year: fails the unfinished projects where the profile says
 * so, gives their unpaid money back to the allocation, and stores the report. Every step
 * is conditional or idempotent, so a second run (or a run resumed after a crash) changes
 * nothing that the first already changed and returns the same report.
 */
export const runYearEnd = async (year: number, actor: Actor, now: Date): Promise<StoredYearEndReport> => {
  const profile = activeProfile();
  // An operation a crash left unfinished is completed first, so the check sees settled money.
  // The index gives summaries; the check needs each whole project (its operation, version and tranches).
  const whole = await getProjects((await projectsOfYear(year)).map((p) => p.id));
  let projects = await Promise.all(whole.map((p) => settleIfOrphaned(p, now)));
  const allocationOf = async (p: Project) => {
    const f = fundOf(p);
    return getAllocation(f.year, f.streetId, f.communityId);
  };

  const plan = planYearEnd({ year, allocations: [], projects: projects.map((p) => toInput(p, 0)), policy: profile });
  const failing = new Set(plan.toFail.map((p) => p.id));
  const updated = new Map<string, Project>();
  for (const p of projects.filter((x) => failing.has(x.id))) {
    // Failing and giving the unpaid money back are two items: the failure carries the intent
    // to release, so a crash in between is completed by the recovery pass or the next run.
    const begun = await beginOperation(
      p,
      {
        id: operationId('fail-year-end', p.version),
        startedAt: now.toISOString(),
        steps: [{ kind: 'releaseUnpaid' }],
        finish: { from: ['FAILED'], events: [] },
      },
      {
        from: ['APPROVED', 'IN_PROGRESS'],
        to: 'FAILED',
        events: [
          event(now, actor, 'failed_at_year_end', p.status, 'FAILED', { year, rule: 'yearEnd.unfinishedFails' }),
        ],
      },
      now,
    );
    // A project that moved on meanwhile (its last stage accepted, a step in flight) is simply not failed.
    if (!begun) continue;
    const settled = await settleOperation(begun, now, { wake: false });
    const after = settled.project ?? begun;
    updated.set(after.id, after);
    await wakeWorkflow(after, p.status, now);
  }
  projects = projects.map((p) => updated.get(p.id) ?? p);

  // Also the projects failed by an earlier run that stopped before releasing their money.
  for (const p of projects.filter((x) => x.status === 'FAILED')) {
    const f = fundOf(p);
    await releaseUnpaid(f.year, f.streetId, f.communityId, p.id, ledgerPaid(await allocationOf(p), p.id), now);
  }

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

/**
 * The yearly check fired by EventBridge Scheduler (locally by the simulated clock) on the
 * profile's `yearEnd.checkOn`. It checks the year that is ending: the current Shanghai
 * year from 31 December on, the previous one on an earlier date (a January check).
 */
export const runYearEndSchedule = async (): Promise<void> => {
  const now = runtime().clock.now();
  const thisYear = fundYearOf(now);
  const year = now.getTime() >= yearEndOpensAt(thisYear).getTime() ? thisYear : thisYear - 1;
  const report = await runYearEnd(year, SYSTEM, now);
  runtime().logger.info('year-end check done', {
    year,
    failed: report.failedProjects.length,
    surplusFen: report.totals.surplusFen,
  });
};

/** Failing an unfinished project wakes its parked step (wakeWorkflow). */
export const ports: FunctionPorts = { table: 'readWrite', workflow: { taskTokens: true } };

/** Lambda entry for the scheduled year-end check. */
export const handler = async (): Promise<void> => runYearEndSchedule();

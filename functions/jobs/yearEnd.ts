import { runtime } from '../runtime.ts';
import type { FunctionPorts } from '../ports.ts';
import { fundYearOf } from '../domain/fundYear.ts';
import { SYSTEM } from '../domain/project.ts';
import { yearEndOpensAt } from '../domain/yearEnd.ts';
import { runYearEnd } from '../executor/yearEnd.ts';

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

import { badRequest } from './problem.ts';
import { apiHandler, fieldErrors, route } from './http.ts';
import { actorOf } from './projectCommands.ts';
import { conflict, notFound } from './problem.ts';
import { year } from './schemas.ts';
import { runYearEnd } from '../executor/yearEnd.ts';
import { yearEndOpensAt } from '../domain/yearEnd.ts';
import { getYearEndReport, YearEndReportContention } from '../store/yearEndReports.ts';
import type { FunctionPorts } from '../ports.ts';

const yearParam = (raw: string) => {
  const y = year.safeParse(raw);
  if (!y.success) throw badRequest('year must be a year', fieldErrors(y.error, 'year'));
  return y.data;
};

/** What this module's function reaches in AWS (infra/stacks/ports.ts derives its wiring from this). */
// Failing an unfinished project wakes its parked step (runYearEnd → wakeWorkflow).
export const ports: FunctionPorts = { table: 'readWrite', workflow: { taskTokens: true } };

/** Lambda entry of the year-end check (年底专项检查): run by hand, and read its report. */
export const handler = apiHandler({
  'POST /v1/year-end/{year}': route({}, async ({ caller, params, now }) => {
    const y = yearParam(params.year);
    const opens = yearEndOpensAt(y);
    // Before the last day the year's projects still have time to finish; failing them would be wrong.
    if (now.getTime() < opens.getTime())
      throw conflict(`The year-end check for ${y} may run from ${y}-12-31T00:00:00+08:00`, {
        opensAt: `${y}-12-31T00:00:00+08:00`,
      });
    try {
      return { status: 200, body: await runYearEnd(y, actorOf(caller), now) };
    } catch (e) {
      if (e instanceof YearEndReportContention)
        throw conflict('Other year-end runs kept rewriting the report; run the check again', {});
      throw e;
    }
  }),

  'GET /v1/year-end/{year}': route({}, async ({ params }) => {
    const report = await getYearEndReport(yearParam(params.year));
    if (!report) throw notFound('year-end report');
    return { status: 200, body: report };
  }),
});

import * as z from '../zod.ts';
import { HolidayCalendarSchema } from '../domain/calendar.ts';
import { getCalendars, putCalendar } from '../store/config.ts';
import { apiHandler, fieldErrors, route } from './http.ts';
import { notFound, unprocessable, badRequest } from './problem.ts';
import { year } from './schemas.ts';
import type { FunctionPorts } from '../ports.ts';

const CalendarBody = z.strictObject({
  holidays: z.array(z.string()).check(z.maxLength(80)),
  workdays: z.array(z.string()).check(z.maxLength(30)),
  source: z.string().check(z.minLength(1), z.maxLength(300)),
  year: z.optional(z.int()),
});

/** What this module's function reaches in AWS (infra/stacks/ports.ts derives its wiring from this). */
export const ports: FunctionPorts = { table: 'readWrite' };

export const handler = apiHandler({
  'GET /v1/calendar/{year}': route({}, async ({ params }) => {
    const y = year.safeParse(params.year);
    if (!y.success) throw badRequest('year must be a year', fieldErrors(y.error, 'year'));
    const c = (await getCalendars()).get(y.data);
    if (!c) throw notFound(`calendar for ${y.data}; load the State Council notice with PUT /v1/calendar/${y.data}`);
    return { status: 200, body: c };
  }),
  'PUT /v1/calendar/{year}': route({ body: CalendarBody }, async ({ params, body }) => {
    const y = year.safeParse(params.year);
    if (!y.success) throw badRequest('year must be a year', fieldErrors(y.error, 'year'));
    if (body.year !== undefined && body.year !== y.data)
      throw unprocessable('The body is for another year', [{ path: 'year', message: `must be ${y.data}` }]);
    const parsed = HolidayCalendarSchema.safeParse({ ...body, year: y.data });
    if (!parsed.success) throw unprocessable('The calendar breaks a rule', fieldErrors(parsed.error));
    await putCalendar(parsed.data);
    return { status: 200, body: parsed.data };
  }),
});

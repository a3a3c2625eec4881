/** The reads several screens share: all projects of a scope and year, with the clock and calendars. */
import { type Project, type ProjectSummary, type Schemas, allPages, api, ok } from './api.ts';
import { loadCalendars, loadPolicy, serverNow } from './data.ts';
import type { HolidayCalendar } from './workdays.ts';
import type { ApproverOf } from './workQueue.ts';
import { yearsSpanned } from './workdays.ts';

/** The fund year of an instant: its calendar year in Shanghai. */
export const fundYear = (now: Date): number => new Date(now.getTime() + 8 * 3600_000).getUTCFullYear();

/** Every project of a scope (street or community) and year, as the list returns it (summaries). */
export const loadProjects = (
  scope: { streetId?: string; communityId?: string },
  year: number,
): Promise<ProjectSummary[]> =>
  allPages((nextToken) =>
    ok(api().GET('/v1/projects', { params: { query: { ...scope, year, limit: 100, nextToken } } })),
  );

// A work queue needs what summaries leave out (tranches, progress, objections) only while a project is under way.
const FINISHED: readonly string[] = ['CLOSED', 'FAILED', 'WITHDRAWN', 'REJECTED'];

/** The whole projects of a scope and year not yet finished (the list gives summaries; each is then read by id). */
export const loadOpenProjects = async (
  scope: { streetId?: string; communityId?: string },
  year: number,
): Promise<Project[]> => {
  const list = await loadProjects(scope, year);
  return Promise.all(
    list
      .filter((p) => !FINISHED.includes(p.status))
      .map((p) => ok(api().GET('/v1/projects/{id}', { params: { path: { id: p.id } } }))),
  );
};

export interface QueueContext {
  now: Date;
  year: number;
  projects: Project[];
  calendars: Map<number, HolidayCalendar>;
  approverOf: ApproverOf;
}

/** Projects of the scope in the current fund year, and the calendars their deadlines need. */
export const loadQueueContext = async (scope: { streetId?: string; communityId?: string }): Promise<QueueContext> => {
  const now = await serverNow();
  const year = fundYear(now);
  const [projects, policy] = await Promise.all([loadOpenProjects(scope, year), loadPolicy()]);
  const dueAts = projects.flatMap((p) => Object.values(p.deadlines ?? {}));
  const calendars = await loadCalendars(yearsSpanned(now, dueAts));
  const fast = policy.fastPath;
  const approverOf: ApproverOf = (p) =>
    fast && p.amountFen <= fast.maxFen ? fast.approver : (policy.approval?.by ?? 'street');
  return { now, year, projects, calendars, approverOf };
};

/** A community's three lists, as JSON (the route also answers CSV, which the console does not ask for). */
export const loadLists = async (communityId: string, year: number): Promise<Schemas['Lists']> =>
  (await ok(
    api().GET('/v1/reports/lists', {
      params: { query: { communityId, year } },
      headers: { accept: 'application/json' },
    }),
  )) as Schemas['Lists'];

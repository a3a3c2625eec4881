import * as z from '../zod.ts';
import { getOrg } from '../store/config.ts';
import { allNeeds } from '../store/needs.ts';
import { maskText } from '../domain/privacy.ts';
import { allCommunityProjects, getProjects } from '../store/projects.ts';
import { getAllocation, listAllocations } from '../store/allocations.ts';
import { getUndertaker } from '../store/undertakers.ts';
import { projectSummariesOfYear } from '../store/projects.ts';
import { HOLDS_RESERVATION, type Status } from '../domain/lifecycle.ts';
import type { Project } from '../domain/project.ts';
import { fundYearOf } from '../domain/fundYear.ts';
import { apiHandler, publicRoute, route } from './http.ts';
import { notFound } from './problem.ts';
import { inScope, readableStreets } from './scope.ts';
import { id, year } from './schemas.ts';
import type { FunctionPorts } from '../ports.ts';

/** Reached approval: money was reserved for these, whatever happened next. */
/** Approved once: every status that holds a reservation. */
const APPROVED_ONCE = HOLDS_RESERVATION;
const COMPLETED: readonly Status[] = ['COMPLETION_PUBLICITY', 'CLOSED'];

/**
 * Counts of one year over the caller's streets: `needs` raised; `proposed` projects
 * submitted at least once (everything but DRAFT); `approved` those that reached approval
 * (FAILED included, since money was reserved for them); `completed` those whose last
 * stage was accepted; `failed`; and the allocations' money.
 */
const summary = route(
  { query: z.strictObject({ year: z.optional(year), streetId: z.optional(id) }) },
  async ({ caller, query, now }) => {
    const org = await getOrg();
    const y = query.year ?? fundYearOf(now);
    const allowed = readableStreets(caller, org);
    if (query.streetId && (!org.streets.has(query.streetId) || (allowed && !allowed.includes(query.streetId))))
      throw notFound('street');
    const streets = query.streetId ? [query.streetId] : (allowed ?? [...org.streets.keys()]);
    const [projects, allocations] = await Promise.all([projectSummariesOfYear(y, streets), listAllocations(y)]);
    const communities = [...org.communities.values()].filter((c) => streets.includes(c.streetId));
    const needs = (await Promise.all(communities.map((c) => allNeeds(c.id, y)))).reduce((a, l) => a + l.length, 0);
    const ours = allocations.filter((a) => streets.includes(a.streetId));
    const count = (statuses: readonly Status[]) => projects.filter((p) => statuses.includes(p.status)).length;
    return {
      status: 200,
      body: {
        year: y,
        streetId: query.streetId ?? (streets.length === 1 ? streets[0] : null),
        needs,
        proposed: projects.filter((p) => p.status !== 'DRAFT').length,
        approved: count(APPROVED_ONCE),
        completed: count(COMPLETED),
        failed: count(['FAILED']),
        allocatedFen: ours.reduce((a, x) => a + x.amountFen, 0),
        reservedFen: ours.reduce((a, x) => a + x.reservedFen, 0),
        paidFen: ours.reduce((a, x) => a + x.paidFen, 0),
        availableFen: ours.reduce((a, x) => a + x.availableFen, 0),
      },
    };
  },
);

/** One row of the CSV: every list in one file, told apart by the `list` column. */
const CSV_COLUMNS = ['list', 'kind', 'id', 'title', 'detail', 'amountFen', 'status', 'date'] as const;
type CsvRow = Partial<Record<(typeof CSV_COLUMNS)[number], string | number | undefined>>;

// Quotes every cell, and defuses cells a spreadsheet would run as a formula (CSV injection).
const cell = (v: string | number | undefined): string => {
  const s = v === undefined ? '' : String(v);
  const safe = /^[=+\-@\t\r]/.test(s) && typeof v !== 'number' ? `'${s}` : s;
  return `"${safe.replace(/"/g, '""')}"`;
};

/** CSV with a BOM, so that spreadsheet software opens the Chinese text as UTF-8. */
export const toCsv = (rows: CsvRow[]): string =>
  '\uFEFF' +
  [CSV_COLUMNS.join(','), ...rows.map((r) => CSV_COLUMNS.map((c) => cell(r[c])).join(','))].join('\r\n') +
  '\r\n';

/** The three lists' content for one community and year, shared by the staff and public reads. */
const listsOf = async (community: { id: string; streetId: string }, y: number) => {
  const [needs, projects, allocation] = await Promise.all([
    allNeeds(community.id, y),
    // The lists show co-funding and undertakers: the whole projects, fetched by id.
    allCommunityProjects(community.id, y).then((list) => getProjects(list.map((p) => p.id))),
    getAllocation(y, community.streetId, community.id),
  ]);
  const services = projects.filter((p) => APPROVED_ONCE.includes(p.status));
  const undertakerIds = [...new Set(services.map((p) => p.undertakerId).filter((u): u is string => !!u))];
  const undertakers = (await Promise.all(undertakerIds.map(getUndertaker))).filter((u) => !!u);

  return {
    year: y,
    communityId: community.id,
    needs: needs
      .sort((a, b) => a.raisedAt.localeCompare(b.raisedAt))
      .map((n) => ({ id: n.id, title: n.title, description: n.description, channel: n.channel, raisedAt: n.raisedAt })),
    resources: [
      ...(allocation
        ? [
            {
              kind: 'allocation' as const,
              amountFen: allocation.amountFen,
              reservedFen: allocation.reservedFen,
              paidFen: allocation.paidFen,
              availableFen: allocation.availableFen,
            },
            ...allocation.sources.map((s) => ({ kind: 'source' as const, funder: s.funder, amountFen: s.amountFen })),
          ]
        : []),
      ...services.flatMap((p) =>
        (p.cofunding ?? []).map((c) => ({
          kind: 'cofunding' as const,
          projectId: p.id,
          source: c.source,
          amountFen: c.amountFen,
        })),
      ),
      ...undertakers.map((u) => ({
        kind: 'undertaker' as const,
        undertakerId: u.id,
        name: u.name,
        undertakerKind: u.kind,
        projectIds: services.filter((p) => p.undertakerId === u.id).map((p) => p.id),
      })),
    ],
    services: services.map((p) => ({
      id: p.id,
      title: p.title,
      category: p.category,
      type: p.type,
      delivery: p.delivery,
      undertakerId: p.undertakerId ?? null,
      amountFen: p.amountFen,
      cofundingFen: (p.cofunding ?? []).reduce((a, c) => a + c.amountFen, 0),
      paidFen: (p.tranches ?? []).reduce((a, t) => a + t.paidFen, 0),
      status: p.status,
      plannedEnd: p.plannedEnd,
    })),
  };
};

/**
 * The three lists of one community and year (三个清单): needs (需求清单); resources
 * (资源清单: the allocation, its funding sources, co-funding of projects, undertakers
 * engaged); services (服务清单: the projects that reached approval).
 */
const lists = route(
  { query: z.strictObject({ year: z.optional(year), communityId: z.optional(id) }) },
  async ({ caller, query, headers, now }) => {
    const org = await getOrg();
    const y = query.year ?? fundYearOf(now);
    const communityId = query.communityId ?? (caller.role === 'community' ? caller.orgUnitId : undefined);
    const community = communityId ? org.communities.get(communityId) : undefined;
    if (!community || !inScope(caller, { communityId: community.id }, org)) throw notFound('community');
    const body = await listsOf(community, y);

    if (!(headers.accept ?? '').toLowerCase().includes('text/csv')) return { status: 200, body };
    const rows: CsvRow[] = [
      ...body.needs.map((n) => ({
        list: 'needs',
        kind: n.channel,
        id: n.id,
        title: n.title,
        detail: n.description,
        date: n.raisedAt,
      })),
      ...body.resources.map((r): CsvRow => {
        switch (r.kind) {
          case 'allocation':
            return {
              list: 'resources',
              kind: r.kind,
              amountFen: r.amountFen,
              detail: `reserved ${r.reservedFen}; paid ${r.paidFen}; available ${r.availableFen}`,
            };
          case 'source':
            return { list: 'resources', kind: r.kind, title: r.funder, amountFen: r.amountFen };
          case 'cofunding':
            return { list: 'resources', kind: r.kind, id: r.projectId, title: r.source, amountFen: r.amountFen };
          default:
            return {
              list: 'resources',
              kind: r.kind,
              id: r.undertakerId,
              title: r.name,
              detail: `${r.undertakerKind}: ${r.projectIds.join(' ')}`,
            };
        }
      }),
      ...body.services.map((s) => ({
        list: 'services',
        kind: s.category,
        id: s.id,
        title: s.title,
        detail: `${s.type}; ${s.delivery}; paid ${s.paidFen}`,
        amountFen: s.amountFen,
        status: s.status,
        date: s.plannedEnd,
      })),
    ];
    return {
      status: 200,
      body: toCsv(rows),
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="lists-${community.id}-${y}.csv"`,
      },
    };
  },
);

/**
 * The three lists as residents see them on the notice board: a need shows its title,
 * channel and date, never its text or who raised it. Residents type needs in freely, and
 * some put a phone number or email into the title: masked here, on the way out, so that
 * staff still see what was typed. `asOf` is the server's clock.
 */
const publicLists = publicRoute(
  { query: z.strictObject({ communityId: id, year: z.optional(year) }) },
  async ({ query, now }) => {
    const community = (await getOrg()).communities.get(query.communityId);
    if (!community) throw notFound('community');
    const body = await listsOf(community, query.year ?? fundYearOf(now));
    return {
      status: 200,
      body: {
        ...body,
        needs: body.needs.map(({ description: _text, ...need }) => ({ ...need, title: maskText(need.title) })),
        asOf: now.toISOString(),
      },
    };
  },
);

/** What this module's function reaches in AWS (infra/stacks/ports.ts derives its wiring from this). */
export const ports: FunctionPorts = { table: 'readAppend' };

/** Lambda entry of the reports: the yearly summary and the three lists (staff and public). */
export const handler = apiHandler({
  'GET /v1/reports/summary': summary,
  'GET /v1/reports/lists': lists,
  'GET /v1/public/lists': publicLists,
});

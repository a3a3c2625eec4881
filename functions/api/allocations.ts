import * as z from '../zod.ts';
import { activeProfile, getOrg } from '../store/config.ts';
import { allocationView, getAllocation, listAllocations, setAllocation, POOL_ID } from '../store/allocations.ts';
import { sourcesSumTo } from '../domain/money.ts';
import { apiHandler, fieldErrors, route } from './http.ts';
import { badRequest, conflict, notFound, unprocessable } from './problem.ts';
import { inScope, readableStreets } from './scope.ts';
import { fen, id, text, year } from './schemas.ts';
import type { FunctionPorts } from '../ports.ts';

const AllocationBody = z.strictObject({
  amountFen: fen,
  sources: z.array(z.strictObject({ funder: text(100), amountFen: fen })).check(z.minLength(1), z.maxLength(10)),
});

const yearParam = (raw: string) => {
  const y = year.safeParse(raw);
  if (!y.success) throw badRequest('year must be a year', fieldErrors(y.error, 'year'));
  return y.data;
};

/** Where a community's allocation lives; in a pool profile the district pool stands for every community. */
const locate = async (communityId: string) => {
  const org = await getOrg();
  if (communityId === POOL_ID && activeProfile().allocation.mode === 'district_pool')
    return { streetId: 'DISTRICT', communityId: POOL_ID, org };
  const c = org.communities.get(communityId);
  return c ? { streetId: c.streetId, communityId, org } : undefined;
};

/** The profile's floor for an allocation: per community kind, or for the district pool. */
const minimumFor = (communityId: string, org: Awaited<ReturnType<typeof getOrg>>): number | undefined => {
  const rules = activeProfile().allocation;
  if (communityId === POOL_ID) return rules.poolMinimumFen;
  const kind = org.communities.get(communityId)?.kind;
  return kind ? rules.minimumFen[kind] : undefined;
};

/** What this module's function reaches in AWS (infra/stacks/ports.ts derives its wiring from this). */
export const ports: FunctionPorts = { table: 'readWrite' };

export const handler = apiHandler({
  'PUT /v1/allocations/{year}/{communityId}': route({ body: AllocationBody }, async ({ params, body, now }) => {
    const y = yearParam(params.year);
    const where = await locate(params.communityId);
    if (!where) throw notFound('community');
    // The district decides the amount; falling short of the policy's floor is flagged for auditors, not refused.
    const minimum = minimumFor(where.communityId, where.org);
    const warnings =
      minimum !== undefined && body.amountFen < minimum
        ? [`allocation.minimum: this policy sets at least ${minimum} fen for this allocation`]
        : [];
    const mismatch = sourcesSumTo(body.amountFen, body.sources);
    if (mismatch) throw unprocessable(mismatch, [{ path: 'sources', message: mismatch }]);
    const res = await setAllocation(
      {
        year: y,
        communityId: where.communityId,
        streetId: where.streetId,
        amountFen: body.amountFen,
        sources: body.sources,
      },
      now,
    );
    if (!res.ok)
      throw conflict(
        `${res.reservedFen} fen is already reserved by approved projects; the allocation cannot be lower`,
        { reservedFen: res.reservedFen },
      );
    return { status: 200, body: { ...allocationView(res.allocation), ...(warnings.length ? { warnings } : {}) } };
  }),

  'GET /v1/allocations/{year}/{communityId}': route({}, async ({ caller, params }) => {
    const y = yearParam(params.year);
    const where = await locate(params.communityId);
    if (!where || (where.communityId !== POOL_ID && !inScope(caller, { communityId: where.communityId }, where.org)))
      throw notFound('allocation');
    const a = await getAllocation(y, where.streetId, where.communityId);
    if (!a) throw notFound('allocation');
    return { status: 200, body: allocationView(a) };
  }),

  'GET /v1/allocations/{year}': route(
    { query: z.strictObject({ streetId: z.optional(id) }) },
    async ({ caller, params, query }) => {
      const y = yearParam(params.year);
      const org = await getOrg();
      const allowed = readableStreets(caller, org);
      if (query.streetId && (!org.streets.has(query.streetId) || (allowed && !allowed.includes(query.streetId))))
        throw notFound('street');
      const streetId = query.streetId ?? (allowed?.length === 1 ? allowed[0] : undefined);
      const items = (await listAllocations(y, streetId)).filter((a) => !allowed || allowed.includes(a.streetId));
      return { status: 200, body: { year: y, streetId: streetId ?? null, items: items.map(allocationView) } };
    },
  ),
});

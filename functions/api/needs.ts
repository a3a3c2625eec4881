import * as z from '../zod.ts';
import { getOrg } from '../store/config.ts';
import { getNeeds, listNeeds, newNeedId, putNeedOnce, type Need } from '../store/needs.ts';
import { recordId, type IdempotencyScope } from '../domain/recordIds.ts';
import { apiHandler, route, publicRoute } from './http.ts';
import { notFound } from './problem.ts';
import { admitNeed } from './publicLimits.ts';
import { requireScope } from './scope.ts';
import { count, line, pageQuery, text, year } from './schemas.ts';
import { actorOf } from './projectCommands.ts';
import { fundYearOf } from '../domain/fundYear.ts';
import type { FunctionPorts } from '../ports.ts';

const CHANNELS = ['visit', 'walk_in', 'survey', 'suggestion_box', 'wechat', 'meeting', 'hotline'] as const;
const StaffNeed = z.strictObject({
  title: line(100),
  description: text(2000),
  channel: z.enum(CHANNELS),
  year: z.optional(count(2000, 2100)),
});
const PublicNeed = z.strictObject({ title: line(100), description: text(2000), contact: z.optional(line(100)) });

/** Staff see that a resident left a contact, never the contact itself in a list. */
const needView = (n: Need) => {
  const { contact, ...rest } = n;
  return { ...rest, hasContact: !!contact };
};

/** A keyed command re-run after a crash finds the need it added the first time. */
const earlierNeed = async (
  communityId: string,
  id: string,
  scope: IdempotencyScope | undefined,
): Promise<Need | undefined> => (scope ? (await getNeeds(communityId, [id]))[0] : undefined);

const receipt = (n: Need) => ({ id: n.id, receipt: n.id, communityId: n.communityId, raisedAt: n.raisedAt });

const knownCommunity = async (communityId: string) => {
  const org = await getOrg();
  if (!org.communities.has(communityId)) throw notFound('community');
  return org;
};

/** What this module's function reaches in AWS (infra/stacks/ports.ts derives its wiring from this). */
export const ports: FunctionPorts = { table: 'readWrite' };

export const handler = apiHandler({
  'POST /v1/communities/{communityId}/needs': route(
    { body: StaffNeed },
    async ({ caller, params, body, now, idempotency }) => {
      const org = await knownCommunity(params.communityId);
      requireScope(caller, { communityId: params.communityId }, org, 'community');
      const y = body.year ?? fundYearOf(now);
      const id = newNeedId(y, recordId(idempotency));
      const earlier = await earlierNeed(params.communityId, id, idempotency);
      if (earlier) return { status: 201, body: needView(earlier) };
      const need: Need = {
        id,
        communityId: params.communityId,
        year: y,
        title: body.title,
        description: body.description,
        channel: body.channel,
        raisedAt: now.toISOString(),
        raisedBy: actorOf(caller).sub,
      };
      return { status: 201, body: needView(await putNeedOnce(need)) };
    },
  ),

  'POST /v1/public/communities/{communityId}/needs': publicRoute(
    { body: PublicNeed },
    async ({ params, body, now, sourceIp, idempotency }) => {
      await knownCommunity(params.communityId);
      const y = fundYearOf(now);
      const id = newNeedId(y, recordId(idempotency));
      // Looked up before the limits, so that a retry neither spends the client's quota nor adds a need.
      const earlier = await earlierNeed(params.communityId, id, idempotency);
      if (earlier) return { status: 201, body: receipt(earlier) };
      await admitNeed(params.communityId, sourceIp, now);
      const need: Need = {
        id,
        communityId: params.communityId,
        year: y,
        title: body.title,
        description: body.description,
        channel: 'public',
        raisedAt: now.toISOString(),
        raisedBy: 'public',
        contact: body.contact,
      };
      return { status: 201, body: receipt(await putNeedOnce(need)) };
    },
  ),

  'GET /v1/communities/{communityId}/needs': route(
    { query: z.strictObject({ year: z.optional(year), ...pageQuery }) },
    async ({ caller, params, query, now }) => {
      const org = await knownCommunity(params.communityId);
      requireScope(caller, { communityId: params.communityId }, org, 'community');
      const res = await listNeeds(params.communityId, query.year ?? fundYearOf(now), {
        limit: query.limit,
        nextToken: query.nextToken,
      });
      return { status: 200, body: { items: res.items.map(needView), nextToken: res.nextToken } };
    },
  ),
});

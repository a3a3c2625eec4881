import * as z from '../zod.ts';
import { ulid } from 'ulid';
import { getOrg } from '../store/config.ts';
import { listNeeds, newNeedId, putNeed, type Need } from '../store/needs.ts';
import { apiHandler, route } from './http.ts';
import { notFound } from './problem.ts';
import { admitNeed } from './publicLimits.ts';
import { requireScope } from './scope.ts';
import { count, id, pageQuery, text, year } from './schemas.ts';
import { actorOf } from './projectCommands.ts';
import { fundYearOf } from '../domain/fundYear.ts';
import type { FunctionPorts } from '../ports.ts';

const CHANNELS = ['visit', 'walk_in', 'survey', 'suggestion_box', 'wechat', 'meeting', 'hotline'] as const;
const StaffNeed = z.strictObject({ title: text(100), description: text(2000), channel: z.enum(CHANNELS), year: z.optional(count(2000, 2100)) });
const PublicNeed = z.strictObject({ title: text(100), description: text(2000), contact: z.optional(text(100)) });

/** Staff see that a resident left a contact, never the contact itself in a list. */
const needView = (n: Need) => {
  const { contact, pk: _pk, sk: _sk, ...rest } = n as Need & { pk?: string; sk?: string };
  return { ...rest, hasContact: !!contact };
};

const knownCommunity = async (communityId: string) => {
  const org = await getOrg();
  if (!org.communities.has(communityId)) throw notFound('community');
  return org;
};

/** What this module's function reaches in AWS (infra/stacks/ports.ts derives its wiring from this). */
export const ports: FunctionPorts = { table: 'readWrite' };

export const handler = apiHandler({
  'POST /v1/communities/{communityId}/needs': route({ body: StaffNeed }, async ({ caller, params, body, now }) => {
    const org = await knownCommunity(params.communityId);
    requireScope(caller!, { communityId: params.communityId }, org, 'community');
    const y = body.year ?? fundYearOf(now);
    const need: Need = { id: newNeedId(y, ulid()), communityId: params.communityId, year: y, title: body.title, description: body.description, channel: body.channel, raisedAt: now.toISOString(), raisedBy: actorOf(caller!).sub };
    await putNeed(need);
    return { status: 201, body: needView(need) };
  }),

  'POST /v1/public/communities/{communityId}/needs': route({ body: PublicNeed }, async ({ params, body, now, sourceIp }) => {
    await knownCommunity(params.communityId);
    await admitNeed(params.communityId, sourceIp, now);
    const y = fundYearOf(now);
    const need: Need = { id: newNeedId(y, ulid()), communityId: params.communityId, year: y, title: body.title, description: body.description, channel: 'public', raisedAt: now.toISOString(), raisedBy: 'public', contact: body.contact };
    await putNeed(need);
    return { status: 201, body: { id: need.id, receipt: need.id, communityId: need.communityId, raisedAt: need.raisedAt } };
  }),

  'GET /v1/communities/{communityId}/needs': route({ query: z.strictObject({ year: z.optional(year), ...pageQuery }) }, async ({ caller, params, query, now }) => {
    const org = await knownCommunity(params.communityId);
    requireScope(caller!, { communityId: params.communityId }, org, 'community');
    const res = await listNeeds(params.communityId, query.year ?? fundYearOf(now), { limit: query.limit, nextToken: query.nextToken });
    return { status: 200, body: { items: res.items.map(needView), nextToken: res.nextToken } };
  }),
});


import * as z from '../zod.ts';
import { ulid } from 'ulid';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { runtime } from '../runtime.ts';
import { getOrg } from '../store/config.ts';
import { getProject, listCommunityProjects, changeProject } from '../store/projects.ts';
import { tableName } from '../store/table.ts';
import { PUBLIC, type Project } from '../domain/project.ts';
import { toShanghaiIso } from '../domain/time.ts';
import { apiHandler, route } from './http.ts';
import { event } from './projectCommands.ts';
import { conflict, notFound, tooManyRequests, PUBLIC_LIMITS } from './problem.ts';
import { takeToken } from '../store/rateLimits.ts';
import { getUndertaker } from '../store/undertakers.ts';
import { id, text, year } from './schemas.ts';
import type { FunctionPorts } from '../ports.ts';

const ObjectionBody = z.strictObject({ content: text(2000), contact: z.optional(text(100)) });
const PublicityQuery = z.strictObject({ communityId: id, year: z.optional(year) });

/** What residents may see of a project: no contact details, no internal comments. */
export const publicView = (p: Project) => ({
  id: p.id,
  communityId: p.communityId,
  streetId: p.streetId,
  year: p.year,
  title: p.title,
  category: p.category,
  type: p.type,
  amountFen: p.amountFen,
  cofunding: p.cofunding,
  delivery: p.delivery,
  undertakerId: p.undertakerId,
  measures: p.measures,
  plannedEnd: p.plannedEnd,
  status: p.status,
  deadlines: p.deadlines,
  publicityEndsAt: p.deadlines?.publicityEndsAt,
  objectionCount: Object.keys(p.objections ?? {}).length,
  deliberations: Object.values(p.deliberations ?? {}).map((d) => ({ step: d.step, heldOn: d.heldOn, body: d.body, attendance: d.attendance, votesFor: d.votesFor, votesAgainst: d.votesAgainst, abstentions: d.abstentions, passed: d.passed })),
  history: (p.history ?? []).map((e) => ({ at: e.at, action: e.action, fromStatus: e.fromStatus, toStatus: e.toStatus })),
});

/** What this module's function reaches in AWS (infra/stacks/ports.ts derives its wiring from this). */
export const ports: FunctionPorts = { table: 'readWrite' };

export const handler = apiHandler({
  'GET /v1/public/publicity': route({ query: PublicityQuery }, async ({ query, now }) => {
    const org = await getOrg();
    if (!org.communities.has(query.communityId)) throw notFound('community');
    const y = query.year ?? Number(now.toISOString().slice(0, 4));
    const items: Project[] = [];
    let nextToken: string | undefined;
    do {
      const res = await listCommunityProjects(query.communityId, y, { status: 'IN_PUBLICITY', limit: 100, nextToken });
      items.push(...res.items);
      nextToken = res.nextToken;
    } while (nextToken);
    return { status: 200, body: { communityId: query.communityId, items: items.map(publicView), asOf: now.toISOString() } };
  }),

  'GET /v1/public/projects/{id}': route({}, async ({ params, now }) => {
    const p = await getProject(params.id);
    if (!p || p.status === 'DRAFT') throw notFound('project');
    // An undertaker is an organisation: its name and kind are public, its credit code and contacts are not.
    const u = p.undertakerId ? await getUndertaker(p.undertakerId) : undefined;
    const undertaker = u ? { id: u.id, name: u.name, kind: u.kind } : null;
    return { status: 200, body: { ...publicView(p), undertaker, asOf: now.toISOString() } };
  }),

  'POST /v1/public/projects/{id}/objections': route({ body: ObjectionBody }, async ({ params, body, now, sourceIp }) => {
    const p = await getProject(params.id);
    if (!p || p.status === 'DRAFT') throw notFound('project');
    if (!(await takeToken(`objection-client#${sourceIp}`, PUBLIC_LIMITS.objectionsPerClientPerHour, 3600, now)))
      throw tooManyRequests(`At most ${PUBLIC_LIMITS.objectionsPerClientPerHour} objections an hour from one client`);
    if (!(await takeToken(`objection-project#${p.id}`, PUBLIC_LIMITS.objectionsPerProjectPerDay, 86400, now)))
      throw tooManyRequests('This project has received too many objections today; try again tomorrow');
    const objectionId = ulid();
    const round = p.publicityRound ?? 0;
    const objection = { id: objectionId, content: body.content, receivedAt: now.toISOString(), hasContact: !!body.contact, round };
    // The window is checked in the write itself, so an objection can never land after it closed.
    const after = await changeProject(
      p.id,
      {
        from: ['IN_PUBLICITY'],
        set: { [`objections.${objectionId}`]: objection },
        condition: (b) => `${b.name('deadlines.publicityEndsAt')} >= ${b.value(toShanghaiIso(now))}`,
        events: [event(now, PUBLIC, 'objection_received', 'IN_PUBLICITY', 'IN_PUBLICITY', { objectionId })],
      },
      now,
    );
    if (!after) {
      throw conflict('The publicity window of this project is not open', {
        publicityEndsAt: p.deadlines?.publicityEndsAt ?? null,
        currentStatus: p.status,
      });
    }
    if (body.contact) {
      // Contact details live apart from the project, so no project view can ever carry them.
      await runtime().ddb.send(
        new PutCommand({
          TableName: tableName(),
          Item: { pk: `PROJECT#${p.id}`, sk: `OBJECTION_CONTACT#${objectionId}`, contact: body.contact, sourceIp, receivedAt: now.toISOString() },
        }),
      );
    }
    return { status: 201, body: { id: objectionId, receipt: objectionId, projectId: p.id, receivedAt: objection.receivedAt, publicityEndsAt: p.deadlines.publicityEndsAt } };
  }),

  'GET /v1/public/completions': route({ query: PublicityQuery }, async ({ query, now }) => {
    const org = await getOrg();
    if (!org.communities.has(query.communityId)) throw notFound('community');
    const y = query.year ?? Number(now.toISOString().slice(0, 4));
    const items: Project[] = [];
    for (const status of ['COMPLETION_PUBLICITY', 'CLOSED'] as const) {
      let nextToken: string | undefined;
      do {
        const res = await listCommunityProjects(query.communityId, y, { status, limit: 100, nextToken });
        items.push(...res.items);
        nextToken = res.nextToken;
      } while (nextToken);
    }
    return {
      status: 200,
      body: {
        communityId: query.communityId,
        asOf: now.toISOString(),
        items: items.map((p) => ({
          ...publicView(p),
          paidFen: (p.tranches ?? []).reduce((s, t) => s + t.paidFen, 0),
          acceptances: (p.tranches ?? []).filter((t) => t.acceptedAt).map((t) => ({ n: t.n, acceptedAt: t.acceptedAt, satisfaction: t.attempts.at(-1)?.satisfaction })),
        })),
      },
    };
  }),
});

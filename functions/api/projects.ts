import * as z from '../zod.ts';
import { activeProfile, getOrg } from '../store/config.ts';
import {
  changeProject,
  createProjectOnce,
  getProject,
  listCommunityProjects,
  listStreetProjects,
  type ProjectPage,
  type ProjectSummary,
} from '../store/projects.ts';
import { getNeeds } from '../store/needs.ts';
import { listObjectionsOf } from '../store/objections.ts';
import { checkProjectUse, votePasses } from '../domain/policy.ts';
import { TERMINAL, EDITABLE } from '../domain/lifecycle.ts';
import { eventView, type Deliberation, type Project } from '../domain/project.ts';
import { fundYearOf } from '../domain/fundYear.ts';
import { recordId } from '../domain/recordIds.ts';
import { apiHandler, route } from './http.ts';
import {
  actorOf,
  applyChange,
  event,
  loadProjectFor,
  loadProjectToChange,
  loadProjectViewFor,
  projectResponse,
  projectView,
} from './projectCommands.ts';
import { Problem, conflict, forbidden, notFound, unprocessable, badRequest } from './problem.ts';
import { inScope, readableStreets } from './scope.ts';
import { count, date, delivery, id, pageQuery, line, positiveFen, projectType, status, text, year } from './schemas.ts';
import { buildDossier } from './dossier.ts';
import type { FunctionPorts } from '../ports.ts';

/** How often an edit is re-read and re-checked when other writes to the project keep landing first. */
const MAX_EDIT_ATTEMPTS = 5;

const editable = {
  title: line(100),
  category: z.string().check(z.minLength(1), z.maxLength(64)),
  type: projectType,
  amountFen: positiveFen,
  cofunding: z.array(z.strictObject({ source: line(100), amountFen: positiveFen })).check(z.maxLength(20)),
  delivery,
  undertakerId: z.optional(id),
  measures: text(4000),
  plannedEnd: date,
  needIds: z.array(id).check(z.maxLength(50)),
  restrictedUse: z.optional(z.strictObject({ rule: line(64), justification: text(1000) })),
};

const CreateBody = z.strictObject({
  communityId: id,
  year,
  ...editable,
  cofunding: z._default(editable.cofunding, []),
  needIds: z._default(editable.needIds, []),
});
const PatchBody = z
  .partial(z.strictObject(editable))
  .check(z.refine((b) => Object.keys(b).length > 0, 'nothing to change'));

const DeliberationBody = z.strictObject({
  step: id,
  heldOn: date,
  body: line(200),
  attendance: count(0, 100_000),
  votesFor: count(0, 100_000),
  votesAgainst: count(0, 100_000),
  abstentions: count(0, 100_000),
  minutes: text(8000),
  memberVotes: z.optional(
    z.array(z.strictObject({ member: line(100), vote: z.enum(['for', 'against', 'abstain']) })).check(z.maxLength(200)),
  ),
});

const ListQuery = z.strictObject({
  communityId: z.optional(id),
  streetId: z.optional(id),
  year: z.optional(year),
  status: z.optional(status),
  ...pageQuery,
});

/** Refuses what the profile forbids, naming the rule (422). */
const checkUse = (p: {
  category: string;
  title: string;
  measures: string;
  restrictedUse?: { rule: string; justification: string };
}) => {
  const refusal = checkProjectUse(activeProfile(), p);
  if (refusal)
    throw unprocessable(refusal.message, [{ path: refusal.field, message: refusal.message }], { rule: refusal.rule });
};

const checkNeeds = async (communityId: string, year: number, needIds: string[]) => {
  if (!needIds.length) return;
  const found = await getNeeds(communityId, needIds);
  const missing = needIds.filter((n) => !found.some((f) => f.id === n && f.year === year));
  if (missing.length)
    throw unprocessable(
      'Some linked needs are not in this community’s needs list for that year',
      missing.map((m) => ({ path: 'needIds', message: `unknown need ${m}` })),
    );
};

/** What this module's function reaches in AWS (infra/stacks/ports.ts derives its wiring from this). */
// A command on a project whose earlier operation a crash left unfinished completes it first,
// which may wake the project's parked step.
export const ports: FunctionPorts = { table: 'readWrite', workflow: { taskTokens: true } };

export const handler = apiHandler({
  'POST /v1/projects': route({ body: CreateBody }, async ({ caller, body, now, idempotency }) => {
    const id = recordId(idempotency);
    // A keyed command re-run after a crash answers with the project it created the first time.
    const earlier = idempotency ? await getProject(id) : undefined;
    if (earlier) return created(earlier);
    const org = await getOrg();
    const community = org.communities.get(body.communityId);
    if (!community || !inScope(caller, { communityId: body.communityId }, org)) throw notFound('community');
    checkUse(body);
    await checkNeeds(body.communityId, body.year, body.needIds);
    const at = now.toISOString();
    const project: Project = {
      id,
      ...body,
      streetId: community.streetId,
      status: 'DRAFT',
      version: 1,
      createdAt: at,
      updatedAt: at,
      createdBy: actorOf(caller),
      deadlines: {},
      deliberations: {},
      tranches: [],
      progress: [],
      history: [event(now, actorOf(caller), 'created', null, 'DRAFT')],
    };
    return created((await createProjectOnce(project)).project);
  }),

  'GET /v1/projects': route({ query: ListQuery }, async ({ caller, query, now }) => {
    const org = await getOrg();
    const y = query.year ?? fundYearOf(now);
    const opts = { status: query.status, limit: query.limit, nextToken: query.nextToken };
    let communityId = query.communityId;
    if (caller.role === 'community') communityId ??= caller.orgUnitId;
    if (communityId) {
      if (!org.communities.has(communityId) || !inScope(caller, { communityId }, org)) throw notFound('community');
      return { status: 200, body: page(await listCommunityProjects(communityId, y, opts)) };
    }
    const allowed = readableStreets(caller, org);
    if (query.streetId) {
      if (!org.streets.has(query.streetId) || (allowed && !allowed.includes(query.streetId))) throw notFound('street');
      return { status: 200, body: page(await listStreetProjects(query.streetId, y, opts)) };
    }
    // The whole district: one street after another, the page token remembering where it was.
    const streets = allowed ?? [...org.streets.keys()];
    const cursor = decodeCursor(query.nextToken);
    for (let i = cursor.street; i < streets.length; i++) {
      const res = await listStreetProjects(streets[i], y, {
        ...opts,
        nextToken: i === cursor.street ? cursor.inner : undefined,
      });
      const next = res.nextToken
        ? encodeCursor(i, res.nextToken)
        : i + 1 < streets.length
          ? encodeCursor(i + 1, undefined)
          : undefined;
      if (res.items.length || !next)
        return { status: 200, body: { items: res.items.map(summaryView), nextToken: next } };
    }
    return { status: 200, body: { items: [] } };
  }),

  'GET /v1/projects/{id}': route({}, async ({ caller, params }) => ({
    status: 200,
    body: await projectResponse(await loadProjectViewFor(caller, params.id)),
  })),

  'GET /v1/projects/{id}/objections': route(
    { query: z.strictObject({ ...pageQuery }) },
    async ({ caller, params, query }) => {
      const p = await loadProjectViewFor(caller, params.id);
      return { status: 200, body: await listObjectionsOf(p, { limit: query.limit, nextToken: query.nextToken }) };
    },
  ),

  'GET /v1/projects/{id}/history': route({}, async ({ caller, params }) => {
    const p = await loadProjectFor(caller, params.id, { read: true });
    return { status: 200, body: { projectId: p.id, items: p.history.map(eventView) } };
  }),

  'GET /v1/projects/{id}/dossier': route({}, async ({ caller, params }) => ({
    status: 200,
    body: await buildDossier(await loadProjectFor(caller, params.id, { read: true })),
  })),

  'PATCH /v1/projects/{id}': route({ body: PatchBody }, async ({ caller, params, body, now }) => {
    // The edit is checked against the whole project, so it is written only over the version
    // it was checked against; another write in between (an edit of other fields, a
    // deliberation) makes it read, check and write again instead of refusing.
    for (let attempt = 1; ; attempt++) {
      const p = await loadProjectToChange(caller, params.id);
      if (!EDITABLE.includes(p.status))
        throw conflict(`A ${p.status} project cannot be edited; only DRAFT or RETURNED`, { currentStatus: p.status });
      const merged = { ...p, ...body };
      checkUse(merged);
      if (body.needIds) await checkNeeds(p.communityId, p.year, body.needIds);
      const after = await changeProject(
        p.id,
        {
          from: EDITABLE,
          set: body,
          expectedVersion: p.version,
          events: [event(now, actorOf(caller), 'edited', p.status, p.status, { fields: Object.keys(body) })],
        },
        now,
        p,
      );
      if (after) return { status: 200, body: await projectResponse(after) };
      if (attempt >= MAX_EDIT_ATTEMPTS)
        throw conflict('The project kept changing while this edit was applied; read it again and retry', {
          currentStatus: p.status,
        });
    }
  }),

  'POST /v1/projects/{id}/deliberations': route(
    { body: DeliberationBody },
    async ({ caller, params, body, now, idempotency }) => {
      const p = await loadProjectToChange(caller, params.id);
      const id = recordId(idempotency);
      // A keyed command re-run after a crash answers with the record it added the first time.
      if (p.deliberations?.[id]) return deliberationRecorded(p.deliberations[id], p);
      const profile = activeProfile();
      const step = profile.deliberation.steps.find((s) => s.id === body.step);
      if (!step)
        throw unprocessable(`"${body.step}" is not a step of ${profile.deliberation.name}`, [
          { path: 'step', message: `one of ${profile.deliberation.steps.map((s) => s.id).join(', ')}` },
        ]);
      if (step.heldBy !== caller.role)
        throw forbidden(`The step "${step.name}" is recorded by the ${step.heldBy}, not the ${caller.role}`);
      if (TERMINAL.has(p.status)) throw conflict(`The project is ${p.status}`, { currentStatus: p.status });
      if (body.votesFor + body.votesAgainst + body.abstentions > body.attendance)
        throw unprocessable('More votes than people present', [
          { path: 'attendance', message: 'votesFor + votesAgainst + abstentions must not exceed attendance' },
        ]);
      if (step.perMemberVotes) {
        const mv = body.memberVotes ?? [];
        const tally = (v: string) => mv.filter((m) => m.vote === v).length;
        if (!mv.length)
          throw badRequest('This step records each member’s vote', [
            { path: 'memberVotes', message: 'required for this step' },
          ]);
        if (
          tally('for') !== body.votesFor ||
          tally('against') !== body.votesAgainst ||
          tally('abstain') !== body.abstentions
        )
          throw unprocessable('The tallies do not match the members’ votes', [
            { path: 'memberVotes', message: 'must add up to votesFor, votesAgainst and abstentions' },
          ]);
      }
      const passed = votePasses(step, body);
      const record: Deliberation = { id, ...body, passed, recordedAt: now.toISOString(), recordedBy: actorOf(caller) };
      const entry = `deliberations.${record.id}`;
      try {
        const after = await applyChange(
          p,
          {
            from: [p.status],
            set: { [entry]: record },
            // The record and its event are one write, so neither can be added twice.
            absentPaths: [entry],
            events: [
              event(now, actorOf(caller), 'deliberation_recorded', p.status, p.status, {
                step: body.step,
                passed,
                deliberationId: record.id,
              }),
            ],
          },
          now,
        );
        return deliberationRecorded(record, after);
      } catch (e) {
        // Two runs of one keyed command raced: the other one's record is this command's answer.
        const current = e instanceof Problem && e.status === 409 ? await getProject(p.id) : undefined;
        if (current?.deliberations?.[id]) return deliberationRecorded(current.deliberations[id], current);
        throw e;
      }
    },
  ),
});

const created = (p: Project) => ({
  status: 201,
  body: projectView(p, { items: [] }),
  headers: { location: `/v1/projects/${p.id}` },
});

const deliberationRecorded = (d: Deliberation, p: Project) => ({
  status: 201,
  body: { ...d, projectStatus: p.status },
});

const page = (res: ProjectPage) => ({ items: res.items.map(summaryView), nextToken: res.nextToken });

/**
 * A list's item: the project's summary as the list index carries it (its plan, status and
 * deadlines). The records (deliberations, tranches, history) are read from the project itself.
 */
const summaryView = (p: ProjectSummary): ProjectSummary => ({ ...p, deadlines: p.deadlines ?? {} });

const encodeCursor = (street: number, inner: string | undefined) =>
  Buffer.from(JSON.stringify({ s: street, i: inner })).toString('base64url');
const decodeCursor = (token: string | undefined): { street: number; inner?: string } => {
  if (!token) return { street: 0 };
  try {
    const c = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (Number.isInteger(c.s) && c.s >= 0) return { street: c.s, inner: typeof c.i === 'string' ? c.i : undefined };
  } catch {
    /* fall through */
  }
  throw badRequest('nextToken is not a token this API gave', [{ path: 'nextToken', message: 'invalid page token' }]);
};

import * as z from '../zod.ts';
import { getOrg } from '../store/config.ts';
import {
  allCommunityProjects,
  changeProject,
  getProject,
  getProjects,
  readProject,
  type ProjectSummary,
} from '../store/projects.ts';
import type { Project } from '../domain/project.ts';
import { toShanghaiIso } from '../domain/time.ts';
import { fundYearOf } from '../domain/fundYear.ts';
import { apiHandler, publicRoute } from './http.ts';
import { conflict, notFound } from './problem.ts';
import { admitObjection } from './publicLimits.ts';
import {
  countAccepted,
  countAcceptedOf,
  decideObjection,
  getObjectionText,
  getReceipt,
  putObjectionContact,
  putObjectionText,
} from '../store/objections.ts';
import { recordId } from '../domain/recordIds.ts';
import { getUndertakerIdentity } from '../store/undertakers.ts';
import { projectsInPublicity } from '../store/publicityIndex.ts';
import { id, text, year } from './schemas.ts';
import type { FunctionPorts } from '../ports.ts';

const ObjectionBody = z.strictObject({ content: text(2000), contact: z.optional(text(100)) });
const PublicityQuery = z.strictObject({ communityId: id, year: z.optional(year) });

/** What residents may see of a project: no contact details, no internal comments. */
export const publicView = (p: Project, objectionCount: number) => ({
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
  objectionCount,
  deliberations: Object.values(p.deliberations ?? {}).map((d) => ({
    step: d.step,
    heldOn: d.heldOn,
    body: d.body,
    attendance: d.attendance,
    votesFor: d.votesFor,
    votesAgainst: d.votesAgainst,
    abstentions: d.abstentions,
    passed: d.passed,
  })),
  history: (p.history ?? []).map((e) => ({
    at: e.at,
    action: e.action,
    fromStatus: e.fromStatus,
    toStatus: e.toStatus,
  })),
});

/**
 * A project in the publicity list: what the board shows of it there (title, category,
 * amount, the window and the objections so far). The whole public view is one read away.
 */
export const publicSummary = (p: ProjectSummary, objectionCount: number) => ({
  id: p.id,
  communityId: p.communityId,
  streetId: p.streetId,
  year: p.year,
  title: p.title,
  category: p.category,
  type: p.type,
  amountFen: p.amountFen,
  delivery: p.delivery,
  plannedEnd: p.plannedEnd,
  status: p.status,
  deadlines: p.deadlines ?? {},
  publicityOpenedAt: p.publicityOpenedAt,
  publicityEndsAt: p.deadlines?.publicityEndsAt,
  objectionCount,
});

/** What this module's function reaches in AWS (infra/stacks/ports.ts derives its wiring from this). */
export const ports: FunctionPorts = { table: 'readWrite' };

export const handler = apiHandler({
  'GET /v1/public/publicity': publicRoute({ query: PublicityQuery }, async ({ query, now }) => {
    const org = await getOrg();
    if (!org.communities.has(query.communityId)) throw notFound('community');
    const y = query.year ?? fundYearOf(now);
    const items = await projectsInPublicity(query.communityId, y);
    return {
      status: 200,
      body: {
        communityId: query.communityId,
        items: await Promise.all(items.map(async (p) => publicSummary(p, await countAccepted(p.id)))),
        asOf: now.toISOString(),
      },
    };
  }),

  'GET /v1/public/projects/{id}': publicRoute({}, async ({ params, now }) => {
    // Residents' reads are not remembered for commands: they are most of the reads and precede none.
    const p = await readProject(params.id);
    if (!p || p.status === 'DRAFT') throw notFound('project');
    // An undertaker is an organisation: its name and kind are public, its credit code and contacts are not.
    const undertaker = (p.undertakerId && (await getUndertakerIdentity(p.undertakerId))) || null;
    return { status: 200, body: { ...publicView(p, await countAcceptedOf(p)), undertaker, asOf: now.toISOString() } };
  }),

  'POST /v1/public/projects/{id}/objections': publicRoute(
    { body: ObjectionBody },
    async ({ params, body, now, sourceIp, idempotency }) => {
      const p = await getProject(params.id);
      if (!p || p.status === 'DRAFT') throw notFound('project');
      const round = p.publicityRound ?? 0;
      // Keyed: the id is derived from the sender's address, the path and the key, so a retry
      // after a crash writes the same objection again instead of adding a second one.
      const objectionId = recordId(idempotency);
      const receipt = (receivedAt: string) => ({
        status: 201,
        body: {
          id: objectionId,
          receipt: objectionId,
          projectId: p.id,
          receivedAt,
          publicityEndsAt: p.deadlines.publicityEndsAt,
        },
      });
      const closed = () =>
        conflict('The publicity window of this project is not open', {
          publicityEndsAt: p.deadlines?.publicityEndsAt ?? null,
          currentStatus: p.status,
        });

      // A retry of a request already decided answers what the first one was answered, and costs no quota.
      const earlier = idempotency ? await getObjectionText(p.id, objectionId) : undefined;
      const earlierReceipt = earlier && (await getReceipt(p.id, earlier.round, objectionId));
      if (earlier && earlierReceipt) {
        if (earlierReceipt.state === 'accepted') return receipt(earlier.receivedAt);
        throw closed();
      }
      if (!earlier) {
        const endsAt = p.deadlines?.publicityEndsAt;
        if (p.status !== 'IN_PUBLICITY' || !endsAt || endsAt < toShanghaiIso(now)) throw closed();
        await admitObjection(p.id, sourceIp, now);
      }

      // 1. The text, beside the project (a retry finds it already written under the same id).
      const text = earlier ?? {
        id: objectionId,
        content: body.content,
        receivedAt: now.toISOString(),
        hasContact: !!body.contact,
        round,
      };
      if (!earlier) await putObjectionText(p.id, text);
      if (body.contact) {
        // Contact details live apart from the project and its objections, so no view can ever carry them.
        await putObjectionContact(p.id, objectionId, { contact: body.contact, sourceIp, receivedAt: text.receivedAt });
      }
      // 2. The window check, in a write on the project that changes only its version and a
      // timestamp: the closing of the window is conditioned on the version, so it either
      // comes after this and sees the text, or this fails.
      const checked = await changeProject(
        p.id,
        {
          from: ['IN_PUBLICITY'],
          set: { lastObjectionAt: now.toISOString() },
          publicityOpenAt: { at: toShanghaiIso(now), round: text.round },
          events: [],
        },
        now,
      );
      // 3. The decision: accepted, unless the closing of the window already lapsed it.
      const decided = await decideObjection(p.id, text.round, objectionId, checked ? 'accepted' : 'lapsed');
      if (decided.state !== 'accepted') throw closed();
      return receipt(text.receivedAt);
    },
  ),

  'GET /v1/public/completions': publicRoute({ query: PublicityQuery }, async ({ query, now }) => {
    const org = await getOrg();
    if (!org.communities.has(query.communityId)) throw notFound('community');
    const y = query.year ?? fundYearOf(now);
    const ids: string[] = [];
    for (const status of ['COMPLETION_PUBLICITY', 'CLOSED'] as const)
      ids.push(...(await allCommunityProjects(query.communityId, y, status)).map((p) => p.id));
    // The completion publicity shows each stage's acceptance and payment: the whole projects, fetched by id.
    const items = await getProjects(ids, { consistent: false });
    return {
      status: 200,
      body: {
        communityId: query.communityId,
        asOf: now.toISOString(),
        items: await Promise.all(
          items.map(async (p) => ({
            ...publicView(p, await countAcceptedOf(p)),
            paidFen: (p.tranches ?? []).reduce((s, t) => s + t.paidFen, 0),
            acceptances: (p.tranches ?? [])
              .filter((t) => t.acceptedAt)
              .map((t) => ({ n: t.n, acceptedAt: t.acceptedAt, satisfaction: t.attempts.at(-1)?.satisfaction })),
          })),
        ),
      },
    };
  }),
});

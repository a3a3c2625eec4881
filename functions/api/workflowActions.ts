import * as z from '../zod.ts';
import { getProject } from '../store/projects.ts';
import { getObjectionText, getReceipt, resolveObjection, roundReceipts } from '../store/objections.ts';
import type { Actor, Project } from '../domain/project.ts';
import {
  checkObjectionRound,
  checkResolver,
  decideApproval,
  decideReview,
  decideRoundOutcome,
  decideSubmit,
  decideWithdraw,
} from '../domain/decisions/workflow.ts';
import { decisionContext } from '../executor/context.ts';
import { execute } from '../executor/execute.ts';
import { executeAnnouncing } from '../notify/openings.ts';
import { currentCommandId } from '../executor/commandContext.ts';
import { apiHandler, route } from './http.ts';
import {
  actorOf,
  decided,
  executed,
  loadProjectFor,
  loadProjectToChange,
  projectResponse,
  replayTransition,
} from './projectCommands.ts';
import { conflict, notFound, problemOf } from './problem.ts';
import { text } from './schemas.ts';
import { acceptanceRoutes } from './acceptance.ts';
import type { FunctionPorts } from '../ports.ts';

const ReviewBody = z.strictObject({ decision: z.enum(['pass', 'return']), comment: text(2000) });
const ResolutionBody = z.strictObject({ upheld: z.boolean(), reply: text(2000) });
const ApprovalBody = z.strictObject({ decision: z.enum(['approve', 'reject']), comment: text(2000) });
const WithdrawBody = z.strictObject({ reason: text(2000) });

/**
 * Once every objection of the round is resolved, moves the project on (domain: any
 * upheld returns it, all dismissed send it to approval). The outcome depends only on
 * resolutions, which never change once written, so concurrent resolvers agree and the
 * first write wins. Returns the project moved on (by this call or a racing one), or
 * undefined while an objection is still open.
 */
const moveOnIfRoundResolved = async (p: Project, actor: Actor, now: Date): Promise<Project | undefined> => {
  const round = (await roundReceipts(p.id, p.publicityRound ?? 0)).filter((r) => r.state === 'accepted');
  const t = decideRoundOutcome(p, round, await decisionContext(actor, now));
  if (!t) return undefined;
  const r = await execute(p, t, now);
  if (r.ok) return r.project;
  return r.current && r.current.status !== 'OBJECTION_REVIEW' ? r.current : undefined;
};

/** What this module's function reaches in AWS (infra/stacks/ports.ts derives its wiring from this). */
// Submitting starts the project's execution; every later decision wakes its parked step. A review
// that opens a publicity window and the acceptance that opens the completion publicity announce it.
export const ports: FunctionPorts = { table: 'readWrite', workflow: { start: true, taskTokens: true }, notify: true };

export const handler = apiHandler(
  {
    'POST /v1/projects/{id}/submit': route({}, async ({ caller, params, now }) => {
      const p = await loadProjectToChange(caller, params.id);
      const t = decided(decideSubmit(p, await decisionContext(actorOf(caller), now)));
      return { status: 200, body: await projectResponse(executed(await execute(p, t, now))) };
    }),

    'POST /v1/projects/{id}/review': route({ body: ReviewBody }, async ({ caller, params, body, now }) => {
      const p = await loadProjectToChange(caller, params.id);
      const t = decided(decideReview(p, body, await decisionContext(actorOf(caller), now)));
      // A pass opens a publicity window: its write records the announcement, queued after it.
      return { status: 200, body: await projectResponse(executed(await executeAnnouncing(p, t, now))) };
    }),

    'POST /v1/projects/{id}/objections/{objectionId}/resolution': route(
      { body: ResolutionBody },
      async ({ caller, params, body, now }) => {
        const p = await loadProjectFor(caller, params.id);
        const ctx = await decisionContext(actorOf(caller), now);
        const notReviewer = checkResolver(ctx);
        if (notReviewer) throw problemOf(notReviewer);
        const text = await getObjectionText(p.id, params.objectionId);
        const receipt = text && (await getReceipt(p.id, text.round, text.id));
        if (!text || receipt?.state !== 'accepted') throw notFound('objection');
        const actor = actorOf(caller);
        const commandId = currentCommandId();
        if (commandId && receipt.resolvedByCommand === commandId) {
          // This very command, re-run after a crash lost its answer: answer as its first run did.
          const moved = p.status === 'OBJECTION_REVIEW' ? await moveOnIfRoundResolved(p, actor, now) : undefined;
          return { status: 200, body: await projectResponse(moved ?? (await getProject(p.id))!) };
        }
        const refused = checkObjectionRound(p, text.round);
        if (refused) throw problemOf(refused);
        const resolution = { upheld: body.upheld, reply: body.reply, at: now.toISOString(), by: actor };
        if (!(await resolveObjection(p.id, text.round, text.id, resolution, commandId))) {
          // Resolved already. If that resolution was the round's last and its request died
          // before moving the project on, this one moves it on instead of leaving it stuck.
          const moved = await moveOnIfRoundResolved(p, actor, now);
          if (moved) return { status: 200, body: await projectResponse(moved) };
          throw conflict('This objection is already resolved', {
            resolution: (await getReceipt(p.id, text.round, text.id))?.resolution,
          });
        }
        const after = (await moveOnIfRoundResolved(p, actor, now)) ?? (await getProject(p.id))!;
        return { status: 200, body: await projectResponse(after) };
      },
    ),

    'POST /v1/projects/{id}/approval': route({ body: ApprovalBody }, async ({ caller, params, body, now }) => {
      const p = await loadProjectToChange(caller, params.id);
      const t = decided(decideApproval(p, body, await decisionContext(actorOf(caller), now)));
      return { status: 200, body: await projectResponse(executed(await execute(p, t, now))) };
    }),

    'POST /v1/projects/{id}/withdraw': route({ body: WithdrawBody }, async ({ caller, params, body, now }) => {
      const p = await loadProjectToChange(caller, params.id);
      const t = decided(decideWithdraw(p, body, await decisionContext(actorOf(caller), now)));
      return { status: 200, body: await projectResponse(executed(await execute(p, t, now))) };
    }),

    ...acceptanceRoutes,
  },
  { replayTransition },
);

import * as z from '../zod.ts';
import { activeProfile } from '../store/config.ts';
import { changeProject, getProject } from '../store/projects.ts';
import { fundOf } from '../store/allocations.ts';
import { operationId } from '../domain/pendingOp.ts';
import { beginOperation, settleOperation } from './pendingOps.ts';
import { missingDeliberations, projectDeadlines } from '../domain/policy.ts';
import { splitTranches } from '../domain/money.ts';
import { SUBMITTABLE, WITHDRAWABLE, type Status } from '../domain/lifecycle.ts';
import { shanghaiDay } from '../domain/calendar.ts';
import { roundOutcome, type Actor, type Project } from '../domain/project.ts';
import { getObjectionText, getReceipt, resolveObjection, roundReceipts } from '../store/objections.ts';
import { apiHandler, route } from './http.ts';
import { currentCommandId } from './commandContext.ts';
import {
  actorOf,
  applyChange,
  event,
  loadProjectFor,
  projectResponse,
  replayTransition,
  wakeWorkflow,
} from './projectCommands.ts';
import { conflict, forbidden, notFound } from './problem.ts';
import { approvalWindow, publicityWindow } from './deadlines.ts';
import { text } from './schemas.ts';
import { acceptanceRoutes } from './acceptance.ts';
import type { FunctionPorts } from '../ports.ts';

const ReviewBody = z.strictObject({ decision: z.enum(['pass', 'return']), comment: text(2000) });
const ResolutionBody = z.strictObject({ upheld: z.boolean(), reply: text(2000) });
const ApprovalBody = z.strictObject({ decision: z.enum(['approve', 'reject']), comment: text(2000) });
const WithdrawBody = z.strictObject({ reason: text(2000) });

const requireDeliberations = (p: Project, gate: 'submit' | 'approval' | 'implementation') => {
  const recorded = Object.values(p.deliberations ?? {}).map((d) => ({ step: d.step, passed: d.passed }));
  const missing = missingDeliberations(activeProfile(), recorded, gate);
  if (missing.length) {
    const names = missing.map((id) => activeProfile().deliberation.steps.find((s) => s.id === id)?.name ?? id);
    throw conflict(`Required deliberation missing or not passed before ${gate}: ${names.join('、')}`, {
      missingSteps: missing,
    });
  }
};

/** Who approves this project: the community itself on the fast path, else the profile's approver. */
export const approverOf = (p: Project): string => {
  const fast = activeProfile().fastPath;
  return fast && p.amountFen <= fast.maxFen ? fast.approver : activeProfile().approval.by;
};

/**
 * Competitive profiles take submissions in batches: the open batch, null when the call
 * is closed, undefined when the profile has no batches.
 */
const openBatch = (now: Date) => {
  const batches = activeProfile().batches;
  if (!batches) return undefined;
  const md = shanghaiDay(now).slice(5);
  return batches.find((b) => b.callOpens <= md && md <= b.callCloses) ?? null;
};

/**
 * Once every objection of the round is resolved, moves the project on: any upheld
 * returns it, all dismissed send it to approval. The outcome depends only on
 * resolutions, which never change once written, so concurrent resolvers agree and the
 * first write wins. Returns the project moved on (by this call or a racing one), or
 * undefined while an objection is still open.
 */
const moveOnIfRoundResolved = async (p: Project, actor: Actor, now: Date): Promise<Project | undefined> => {
  const round = (await roundReceipts(p.id, p.publicityRound ?? 0)).filter((r) => r.state === 'accepted');
  const to = roundOutcome(round);
  if (!to) return undefined;
  const tally = { objections: round.length, upheld: round.filter((r) => r.resolution!.upheld).length };
  const due = to === 'AWAITING_APPROVAL' ? await approvalWindow(now) : undefined;
  const after = await changeProject(
    p.id,
    {
      from: ['OBJECTION_REVIEW'],
      to,
      set: due
        ? { 'deadlines.approvalDueAt': due.dueAt, ...(due.warnings.length ? { warnings: due.warnings } : {}) }
        : {},
      deadlinesAfter: due ? { ...p.deadlines, approvalDueAt: due.dueAt } : p.deadlines,
      events: [
        to === 'RETURNED'
          ? event(now, actor, 'returned_after_objection', 'OBJECTION_REVIEW', 'RETURNED', tally)
          : event(now, actor, 'objections_dismissed', 'OBJECTION_REVIEW', 'AWAITING_APPROVAL', {
              ...tally,
              approvalDueAt: due!.dueAt,
            }),
      ],
    },
    now,
  );
  if (!after) {
    const current = await getProject(p.id);
    return current && current.status !== 'OBJECTION_REVIEW' ? current : undefined;
  }
  await wakeWorkflow(after, 'OBJECTION_REVIEW', now);
  return after;
};

/** What this module's function reaches in AWS (infra/stacks/ports.ts derives its wiring from this). */
// Submitting starts the project's execution; every later decision wakes its parked step.
export const ports: FunctionPorts = { table: 'readWrite', workflow: { start: true, taskTokens: true } };

export const handler = apiHandler(
  {
    'POST /v1/projects/{id}/submit': route({}, async ({ caller, params, now }) => {
      const p = await loadProjectFor(caller, params.id);
      if (!SUBMITTABLE.includes(p.status))
        throw conflict(`A ${p.status} project cannot be submitted`, { currentStatus: p.status });
      requireDeliberations(p, 'submit');
      const batch = openBatch(now);
      if (batch === null)
        throw conflict('Projects are submitted only inside a call window of this policy', {
          batches: activeProfile().batches,
        });
      const review = await approvalWindow(now);
      const after = await applyChange(
        p,
        {
          from: [p.status],
          to: 'UNDER_REVIEW',
          set: {
            'deadlines.reviewDueAt': review.dueAt,
            ...(batch ? { batch: batch.id } : {}),
            ...(review.warnings.length ? { warnings: review.warnings } : {}),
          },
          deadlinesAfter: { ...p.deadlines, reviewDueAt: review.dueAt },
          condition: (b) => `${b.name('version')} = ${b.value(p.version)}`,
          events: [
            event(
              now,
              actorOf(caller),
              p.status === 'RETURNED' ? 'resubmitted' : 'submitted',
              p.status,
              'UNDER_REVIEW',
              { reviewDueAt: review.dueAt },
            ),
          ],
        },
        now,
      );
      return { status: 200, body: await projectResponse(after) };
    }),

    'POST /v1/projects/{id}/review': route({ body: ReviewBody }, async ({ caller, params, body, now }) => {
      const p = await loadProjectFor(caller, params.id);
      const reviewer = activeProfile().review.by;
      if (caller.role !== reviewer) throw forbidden(`Under this policy the ${reviewer} reviews projects`);
      if (p.status !== 'UNDER_REVIEW')
        throw conflict(`A ${p.status} project is not under review`, { currentStatus: p.status });
      const actor = actorOf(caller);
      if (body.decision === 'return') {
        const after = await applyChange(
          p,
          {
            from: ['UNDER_REVIEW'],
            to: 'RETURNED',
            events: [event(now, actor, 'review_returned', 'UNDER_REVIEW', 'RETURNED', { comment: body.comment })],
          },
          now,
        );
        return { status: 200, body: await projectResponse(after) };
      }
      const endsAt = publicityWindow(now);
      const round = (p.publicityRound ?? 0) + 1;
      const after = await applyChange(
        p,
        {
          from: ['UNDER_REVIEW'],
          to: 'IN_PUBLICITY',
          set: { 'deadlines.publicityEndsAt': endsAt, publicityOpenedAt: now.toISOString(), publicityRound: round },
          deadlinesAfter: { ...p.deadlines, publicityEndsAt: endsAt },
          events: [
            event(now, actor, 'review_passed', 'UNDER_REVIEW', 'IN_PUBLICITY', {
              comment: body.comment,
              publicityEndsAt: endsAt,
            }),
          ],
        },
        now,
      );
      return { status: 200, body: await projectResponse(after) };
    }),

    'POST /v1/projects/{id}/objections/{objectionId}/resolution': route(
      { body: ResolutionBody },
      async ({ caller, params, body, now }) => {
        const p = await loadProjectFor(caller, params.id);
        if (caller.role !== activeProfile().review.by)
          throw forbidden(`Under this policy the ${activeProfile().review.by} resolves objections`);
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
        if (p.status !== 'OBJECTION_REVIEW')
          throw conflict(`Objections are resolved in OBJECTION_REVIEW; the project is ${p.status}`, {
            currentStatus: p.status,
          });
        if (text.round !== p.publicityRound)
          throw conflict('This objection belongs to an earlier publicity round', { currentStatus: p.status });
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
      const p = await loadProjectFor(caller, params.id);
      const approver = approverOf(p);
      if (caller.role !== approver) throw forbidden(`This project is approved by the ${approver}`);
      if (p.status !== 'AWAITING_APPROVAL')
        throw conflict(`A ${p.status} project is not awaiting approval`, { currentStatus: p.status });
      const actor = actorOf(caller);
      if (body.decision === 'reject') {
        const after = await applyChange(
          p,
          {
            from: ['AWAITING_APPROVAL'],
            to: 'REJECTED',
            events: [event(now, actor, 'rejected', 'AWAITING_APPROVAL', 'REJECTED', { comment: body.comment })],
          },
          now,
        );
        return { status: 200, body: await projectResponse(after) };
      }
      requireDeliberations(p, 'approval');
      // A self-run project starts at approval, so what must precede implementation must exist now.
      if (p.delivery === 'self') requireDeliberations(p, 'implementation');
      const profile = activeProfile();
      const to: Status = p.delivery === 'self' ? 'IN_PROGRESS' : 'APPROVED';
      const due = projectDeadlines(profile, p.type, shanghaiDay(now), p.year);
      const tranches = splitTranches(p.amountFen, profile.trancheSplit).map((amountFen, i) => ({
        n: i + 1,
        amountFen,
        paidFen: 0,
        attempts: [],
      }));
      const events = [
        event(now, actor, 'approved', 'AWAITING_APPROVAL', 'APPROVED', {
          comment: body.comment,
          reservedFen: p.amountFen,
          ...due,
        }),
      ];
      if (to === 'IN_PROGRESS')
        events.push(event(now, actor, 'implementation_started', 'APPROVED', 'IN_PROGRESS', { delivery: 'self' }));
      // Two items change (the allocation and the project): the intent goes first, so a
      // crash in between leaves something the recovery pass completes, not a lost reservation.
      const begun = await beginOperation(
        p,
        {
          id: operationId('approve', p.version),
          startedAt: now.toISOString(),
          steps: [{ kind: 'reserve', fen: p.amountFen }],
          finish: {
            from: ['AWAITING_APPROVAL'],
            to,
            set: {
              'deadlines.startDueAt': due.startDueAt,
              'deadlines.completionDueAt': due.completionDueAt,
              tranches,
              approvedAt: now.toISOString(),
            },
            deadlinesAfter: { ...p.deadlines, ...due },
            events,
          },
        },
        { from: ['AWAITING_APPROVAL'], condition: (b) => `${b.name('version')} = ${b.value(p.version)}` },
        now,
      );
      if (!begun) {
        const current = await getProject(p.id);
        throw conflict(
          `The project is ${current?.status}${current?.pendingOp ? ' with a step being completed' : ''}; approve it again once it is read afresh`,
          { currentStatus: current?.status },
        );
      }
      const settled = await settleOperation(begun, now);
      if (!settled.ok) {
        const r = settled.refusal;
        if (r.step === 'reserve' && r.reason === 'NO_ALLOCATION')
          throw conflict(`No allocation is set for ${fundOf(p).communityId} in ${fundOf(p).year}`, { availableFen: 0 });
        const availableFen = 'availableFen' in r ? r.availableFen : 0;
        throw conflict(`The allocation has ${availableFen} fen available; this project needs ${p.amountFen}`, {
          availableFen,
          requiredFen: p.amountFen,
        });
      }
      return { status: 200, body: await projectResponse(settled.project) };
    }),

    'POST /v1/projects/{id}/withdraw': route({ body: WithdrawBody }, async ({ caller, params, body, now }) => {
      const p = await loadProjectFor(caller, params.id);
      if (!WITHDRAWABLE.includes(p.status))
        throw conflict(`A ${p.status} project can no longer be withdrawn`, { currentStatus: p.status });
      const after = await applyChange(
        p,
        {
          from: WITHDRAWABLE,
          to: 'WITHDRAWN',
          events: [event(now, actorOf(caller), 'withdrawn', p.status, 'WITHDRAWN', { reason: body.reason })],
        },
        now,
      );
      return { status: 200, body: await projectResponse(after) };
    }),

    ...acceptanceRoutes,
  },
  { replayTransition },
);

import * as z from '../zod.ts';
import { activeProfile } from '../store/config.ts';
import { getProject, changeProject } from '../store/projects.ts';
import { reserve, releaseUnpaid, fundOf } from '../store/allocations.ts';
import { missingDeliberations, projectDeadlines } from '../domain/policy.ts';
import { splitTranches } from '../domain/money.ts';
import { SUBMITTABLE, WITHDRAWABLE, type Status } from '../domain/lifecycle.ts';
import { shanghaiDay } from '../domain/calendar.ts';
import { currentRoundObjections, type Project } from '../domain/project.ts';
import { apiHandler, route } from './http.ts';
import { actorOf, applyChange, event, loadProjectFor, projectView, wakeWorkflow } from './projectCommands.ts';
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
    throw conflict(`Required deliberation missing or not passed before ${gate}: ${names.join('、')}`, { missingSteps: missing });
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


/** What this module's function reaches in AWS (infra/stacks/ports.ts derives its wiring from this). */
// Submitting starts the project's execution; every later decision wakes its parked step.
export const ports: FunctionPorts = { table: 'readWrite', workflow: { start: true, taskTokens: true } };

export const handler = apiHandler({
  'POST /v1/projects/{id}/submit': route({}, async ({ caller, params, now }) => {
    const p = await loadProjectFor(caller!, params.id);
    if (!SUBMITTABLE.includes(p.status)) throw conflict(`A ${p.status} project cannot be submitted`, { currentStatus: p.status });
    requireDeliberations(p, 'submit');
    const batch = openBatch(now);
    if (batch === null) throw conflict('Projects are submitted only inside a call window of this policy', { batches: activeProfile().batches });
    const review = await approvalWindow(now);
    const after = await applyChange(
      p,
      {
        from: [p.status],
        to: 'UNDER_REVIEW',
        set: { 'deadlines.reviewDueAt': review.dueAt, ...(batch ? { batch: batch.id } : {}), ...(review.warnings.length ? { warnings: review.warnings } : {}) },
        deadlinesAfter: { ...p.deadlines, reviewDueAt: review.dueAt },
        condition: (b) => `${b.name('version')} = ${b.value(p.version)}`,
        events: [event(now, actorOf(caller!), p.status === 'RETURNED' ? 'resubmitted' : 'submitted', p.status, 'UNDER_REVIEW', { reviewDueAt: review.dueAt })],
      },
      now,
    );
    return { status: 200, body: projectView(after) };
  }),

  'POST /v1/projects/{id}/review': route({ body: ReviewBody }, async ({ caller, params, body, now }) => {
    const p = await loadProjectFor(caller!, params.id);
    const reviewer = activeProfile().review.by;
    if (caller!.role !== reviewer) throw forbidden(`Under this policy the ${reviewer} reviews projects`);
    if (p.status !== 'UNDER_REVIEW') throw conflict(`A ${p.status} project is not under review`, { currentStatus: p.status });
    const actor = actorOf(caller!);
    if (body.decision === 'return') {
      const after = await applyChange(
        p,
        { from: ['UNDER_REVIEW'], to: 'RETURNED', events: [event(now, actor, 'review_returned', 'UNDER_REVIEW', 'RETURNED', { comment: body.comment })] },
        now,
      );
      return { status: 200, body: projectView(after) };
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
        events: [event(now, actor, 'review_passed', 'UNDER_REVIEW', 'IN_PUBLICITY', { comment: body.comment, publicityEndsAt: endsAt })],
      },
      now,
    );
    return { status: 200, body: projectView(after) };
  }),

  'POST /v1/projects/{id}/objections/{objectionId}/resolution': route({ body: ResolutionBody }, async ({ caller, params, body, now }) => {
    const p = await loadProjectFor(caller!, params.id);
    if (caller!.role !== activeProfile().review.by) throw forbidden(`Under this policy the ${activeProfile().review.by} resolves objections`);
    const objection = p.objections?.[params.objectionId];
    if (!objection) throw notFound('objection');
    if (p.status !== 'OBJECTION_REVIEW') throw conflict(`Objections are resolved in OBJECTION_REVIEW; the project is ${p.status}`, { currentStatus: p.status });
    if (objection.resolution) throw conflict('This objection is already resolved', { resolution: objection.resolution });
    const actor = actorOf(caller!);
    const resolution = { upheld: body.upheld, reply: body.reply, at: now.toISOString(), by: actor };
    const round = currentRoundObjections(p).map((o) => (o.id === objection.id ? { ...o, resolution } : o));
    const allResolved = round.every((o) => o.resolution);
    let to: Status | undefined;
    const set: Record<string, unknown> = { [`objections.${objection.id}.resolution`]: resolution };
    const events = [event(now, actor, 'objection_resolved', 'OBJECTION_REVIEW', 'OBJECTION_REVIEW', { objectionId: objection.id, upheld: body.upheld })];
    let deadlinesAfter = p.deadlines;
    if (allResolved) {
      if (round.some((o) => o.resolution!.upheld)) {
        to = 'RETURNED';
        events.push(event(now, actor, 'returned_after_objection', 'OBJECTION_REVIEW', 'RETURNED'));
      } else {
        to = 'AWAITING_APPROVAL';
        const due = await approvalWindow(now);
        set['deadlines.approvalDueAt'] = due.dueAt;
        if (due.warnings.length) set.warnings = due.warnings;
        deadlinesAfter = { ...p.deadlines, approvalDueAt: due.dueAt };
        events.push(event(now, actor, 'objections_dismissed', 'OBJECTION_REVIEW', 'AWAITING_APPROVAL', { approvalDueAt: due.dueAt }));
      }
    }
    const after = await applyChange(
      p,
      { from: ['OBJECTION_REVIEW'], to, set, deadlinesAfter, events, condition: (b) => `${b.name('version')} = ${b.value(p.version)}` },
      now,
    );
    return { status: 200, body: projectView(after) };
  }),

  'POST /v1/projects/{id}/approval': route({ body: ApprovalBody }, async ({ caller, params, body, now }) => {
    const p = await loadProjectFor(caller!, params.id);
    const approver = approverOf(p);
    if (caller!.role !== approver) throw forbidden(`This project is approved by the ${approver}`);
    if (p.status !== 'AWAITING_APPROVAL') throw conflict(`A ${p.status} project is not awaiting approval`, { currentStatus: p.status });
    const actor = actorOf(caller!);
    if (body.decision === 'reject') {
      const after = await applyChange(
        p,
        { from: ['AWAITING_APPROVAL'], to: 'REJECTED', events: [event(now, actor, 'rejected', 'AWAITING_APPROVAL', 'REJECTED', { comment: body.comment })] },
        now,
      );
      return { status: 200, body: projectView(after) };
    }
    requireDeliberations(p, 'approval');
    // A self-run project starts at approval, so what must precede implementation must exist now.
    if (p.delivery === 'self') requireDeliberations(p, 'implementation');
    const fund = fundOf(p);
    const reserved = await reserve(fund.year, fund.streetId, fund.communityId, p.id, p.amountFen, now);
    if (!reserved.ok) {
      if (reserved.reason === 'NO_ALLOCATION') throw conflict(`No allocation is set for ${fund.communityId} in ${fund.year}`, { availableFen: 0 });
      throw conflict(`The allocation has ${reserved.availableFen} fen available; this project needs ${p.amountFen}`, {
        availableFen: reserved.availableFen,
        requiredFen: p.amountFen,
      });
    }
    const profile = activeProfile();
    const to: Status = p.delivery === 'self' ? 'IN_PROGRESS' : 'APPROVED';
    const due = projectDeadlines(profile, p.type, shanghaiDay(now), p.year);
    const tranches = splitTranches(p.amountFen, profile.trancheSplit).map((amountFen, i) => ({ n: i + 1, amountFen, paidFen: 0, attempts: [] }));
    const events = [event(now, actor, 'approved', 'AWAITING_APPROVAL', 'APPROVED', { comment: body.comment, reservedFen: p.amountFen, ...due })];
    if (to === 'IN_PROGRESS') events.push(event(now, actor, 'implementation_started', 'APPROVED', 'IN_PROGRESS', { delivery: 'self' }));
    const after = await changeProject(
      p.id,
      {
        from: ['AWAITING_APPROVAL'],
        to,
        set: { 'deadlines.startDueAt': due.startDueAt, 'deadlines.completionDueAt': due.completionDueAt, tranches, approvedAt: now.toISOString() },
        deadlinesAfter: { ...p.deadlines, ...due },
        events,
      },
      now,
    );
    if (!after) {
      // Withdrawn or rejected meanwhile: give the money back before saying no. Approved by a
      // racing duplicate: the reservation is that approval's, and releasing it would free money twice.
      const current = await getProject(p.id);
      if (!current || !['APPROVED', 'IN_PROGRESS'].includes(current.status)) await releaseUnpaid(fund.year, fund.streetId, fund.communityId, p.id, 0, now);
      throw conflict(`The project is ${current?.status}; it can no longer be approved`, { currentStatus: current?.status });
    }
    await wakeWorkflow(after, 'AWAITING_APPROVAL', now);
    return { status: 200, body: projectView(after) };
  }),

  'POST /v1/projects/{id}/withdraw': route({ body: WithdrawBody }, async ({ caller, params, body, now }) => {
    const p = await loadProjectFor(caller!, params.id);
    if (!WITHDRAWABLE.includes(p.status)) throw conflict(`A ${p.status} project can no longer be withdrawn`, { currentStatus: p.status });
    const after = await applyChange(
      p,
      { from: WITHDRAWABLE, to: 'WITHDRAWN', events: [event(now, actorOf(caller!), 'withdrawn', p.status, 'WITHDRAWN', { reason: body.reason })] },
      now,
    );
    return { status: 200, body: projectView(after) };
  }),

  ...acceptanceRoutes,
});


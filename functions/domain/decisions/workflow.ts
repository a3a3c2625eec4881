import { shanghaiDay } from '../calendar.ts';
import { approvalWindow, publicityWindow, workingDayDeadline } from '../deadlines.ts';
import {
  SUBMITTABLE,
  WITHDRAWABLE,
  statusAfterApproval,
  stepStateOf,
  windowClosesAt,
  type Status,
} from '../lifecycle.ts';
import { fundFor, splitTranches } from '../money.ts';
import { operationId } from '../pendingOp.ts';
import { approverOf, deliberationGate, projectDeadlines, type PolicyProfile } from '../policy.ts';
import { roundOutcome, type Objection, type Project } from '../project.ts';
import { historyEvent as event, refuse, type Refusal, type Transition } from '../transition.ts';
import type { DecisionContext } from './context.ts';

/*
 * The decisions of the first half of the lifecycle: submission, review, the objection
 * round, approval, withdrawal, and the workflow's own steps (closing a publicity,
 * escalating a missed deadline). Each returns a Transition for the executor or a Refusal.
 */

const notIn = (p: Project, detail: string): Refusal => refuse(409, detail, { currentStatus: p.status });

/**
 * Competitive profiles take submissions in batches: the open batch, null when the call
 * is closed, undefined when the profile has no batches.
 */
export const openBatch = (profile: PolicyProfile, now: Date) => {
  if (!profile.batches) return undefined;
  const md = shanghaiDay(now).slice(5);
  return profile.batches.find((b) => b.callOpens <= md && md <= b.callCloses) ?? null;
};

/** Submission (and resubmission after a return): to UNDER_REVIEW with a review deadline. */
export const decideSubmit = (p: Project, ctx: DecisionContext): Transition | Refusal => {
  const { profile, now } = ctx;
  if (!SUBMITTABLE.includes(p.status)) return notIn(p, `A ${p.status} project cannot be submitted`);
  const gate = deliberationGate(profile, p.deliberations, 'submit');
  if (gate) return gate;
  const batch = openBatch(profile, now);
  if (batch === null)
    return refuse(409, 'Projects are submitted only inside a call window of this policy', {
      batches: profile.batches,
    });
  const review = approvalWindow(profile, now, ctx.calendars);
  return {
    projectId: p.id,
    fromStatus: p.status,
    expectedVersion: p.version,
    write: {
      from: [p.status],
      to: 'UNDER_REVIEW',
      set: {
        'deadlines.reviewDueAt': review.dueAt,
        ...(batch ? { batch: batch.id } : {}),
        ...(review.warnings.length ? { warnings: review.warnings } : {}),
      },
      deadlinesAfter: { ...p.deadlines, reviewDueAt: review.dueAt },
      events: [
        event(now, ctx.actor, p.status === 'RETURNED' ? 'resubmitted' : 'submitted', p.status, 'UNDER_REVIEW', {
          reviewDueAt: review.dueAt,
        }),
      ],
    },
  };
};

/** The review: returned to the community, or passed into publicity (a new round). */
export const decideReview = (
  p: Project,
  command: { decision: 'pass' | 'return'; comment: string },
  ctx: DecisionContext,
): Transition | Refusal => {
  const { profile, now, actor } = ctx;
  const reviewer = profile.review.by;
  if (actor.role !== reviewer) return refuse(403, `Under this policy the ${reviewer} reviews projects`);
  if (p.status !== 'UNDER_REVIEW') return notIn(p, `A ${p.status} project is not under review`);
  if (command.decision === 'return')
    return {
      projectId: p.id,
      fromStatus: p.status,
      write: {
        from: ['UNDER_REVIEW'],
        to: 'RETURNED',
        events: [event(now, actor, 'review_returned', 'UNDER_REVIEW', 'RETURNED', { comment: command.comment })],
      },
    };
  const endsAt = publicityWindow(profile, now);
  return {
    projectId: p.id,
    fromStatus: p.status,
    write: {
      from: ['UNDER_REVIEW'],
      to: 'IN_PUBLICITY',
      set: {
        'deadlines.publicityEndsAt': endsAt,
        afterPublicityDueAt: afterPublicityDueAt(endsAt, ctx),
        publicityOpenedAt: now.toISOString(),
        publicityRound: (p.publicityRound ?? 0) + 1,
      },
      deadlinesAfter: { ...p.deadlines, publicityEndsAt: endsAt },
      events: [
        event(now, actor, 'review_passed', 'UNDER_REVIEW', 'IN_PUBLICITY', {
          comment: command.comment,
          publicityEndsAt: endsAt,
        }),
      ],
    },
  };
};

/**
 * The deadline of the step after a publicity window that closes on time: objection review
 * and approval both get the approval window counted from the close (decideClosePublicity).
 */
export const afterPublicityDueAt = (endsAt: string, ctx: Pick<DecisionContext, 'profile' | 'calendars'>): string =>
  approvalWindow(ctx.profile, new Date(windowClosesAt(endsAt)), ctx.calendars).dueAt;

/**
 * The end of an objection round: any upheld objection returns the project, all
 * dismissed send it to approval. Undefined while an objection of the round is open.
 */
export const decideRoundOutcome = (
  p: Project,
  round: readonly Pick<Objection, 'resolution'>[],
  ctx: DecisionContext,
): Transition | undefined => {
  const to = roundOutcome(round);
  if (!to) return undefined;
  const { now, actor } = ctx;
  const tally = { objections: round.length, upheld: round.filter((r) => r.resolution!.upheld).length };
  const due = to === 'AWAITING_APPROVAL' ? approvalWindow(ctx.profile, now, ctx.calendars) : undefined;
  return {
    projectId: p.id,
    fromStatus: 'OBJECTION_REVIEW',
    write: {
      from: ['OBJECTION_REVIEW'],
      to,
      set: due
        ? { 'deadlines.approvalDueAt': due.dueAt, ...(due.warnings.length ? { warnings: due.warnings } : {}) }
        : {},
      deadlinesAfter: due ? { ...p.deadlines, approvalDueAt: due.dueAt } : p.deadlines,
      events: [
        due
          ? event(now, actor, 'objections_dismissed', 'OBJECTION_REVIEW', 'AWAITING_APPROVAL', {
              ...tally,
              approvalDueAt: due.dueAt,
            })
          : event(now, actor, 'returned_after_objection', 'OBJECTION_REVIEW', 'RETURNED', tally),
      ],
    },
  };
};

/** Objections are resolved by the profile's reviewer. */
export const checkResolver = (ctx: DecisionContext): Refusal | undefined => {
  const reviewer = ctx.profile.review.by;
  return ctx.actor.role === reviewer ? undefined : refuse(403, `Under this policy the ${reviewer} resolves objections`);
};

/** An objection is resolved in OBJECTION_REVIEW, and only one of the current round. */
export const checkObjectionRound = (p: Project, objectionRound: number): Refusal | undefined => {
  if (p.status !== 'OBJECTION_REVIEW')
    return notIn(p, `Objections are resolved in OBJECTION_REVIEW; the project is ${p.status}`);
  if (objectionRound !== p.publicityRound) return notIn(p, 'This objection belongs to an earlier publicity round');
  return undefined;
};

/**
 * Approval: a rejection ends the project; an approval reserves its amount on the fund
 * (an operation: the reservation and the project's write are two items), sets its
 * deadlines and tranches, and starts a self-run project at once.
 */
export const decideApproval = (
  p: Project,
  command: { decision: 'approve' | 'reject'; comment: string },
  ctx: DecisionContext,
): Transition | Refusal => {
  const { profile, now, actor } = ctx;
  const approver = approverOf(profile, p.amountFen);
  if (actor.role !== approver) return refuse(403, `This project is approved by the ${approver}`);
  if (p.status !== 'AWAITING_APPROVAL') return notIn(p, `A ${p.status} project is not awaiting approval`);
  if (command.decision === 'reject')
    return {
      projectId: p.id,
      fromStatus: p.status,
      write: {
        from: ['AWAITING_APPROVAL'],
        to: 'REJECTED',
        events: [event(now, actor, 'rejected', 'AWAITING_APPROVAL', 'REJECTED', { comment: command.comment })],
      },
    };
  const gate =
    deliberationGate(profile, p.deliberations, 'approval') ??
    // A self-run project starts at approval, so what must precede implementation must exist now.
    (p.delivery === 'self' ? deliberationGate(profile, p.deliberations, 'implementation') : undefined);
  if (gate) return gate;
  const to = statusAfterApproval(p.delivery);
  const due = projectDeadlines(profile, p.type, shanghaiDay(now), p.year);
  const tranches = splitTranches(p.amountFen, profile.trancheSplit).map((amountFen, i) => ({
    n: i + 1,
    amountFen,
    paidFen: 0,
    attempts: [],
  }));
  const events = [
    event(now, actor, 'approved', 'AWAITING_APPROVAL', 'APPROVED', {
      comment: command.comment,
      reservedFen: p.amountFen,
      ...due,
    }),
  ];
  if (to === 'IN_PROGRESS')
    events.push(event(now, actor, 'implementation_started', 'APPROVED', 'IN_PROGRESS', { delivery: 'self' }));
  const fund = fundFor(profile.allocation.mode, p);
  return {
    projectId: p.id,
    fromStatus: p.status,
    expectedVersion: p.version,
    operation: {
      id: operationId('approve', p.version),
      steps: [{ kind: 'reserve', fen: p.amountFen }],
      intent: { from: ['AWAITING_APPROVAL'], events: [] },
    },
    write: {
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
    whenStale: (current) =>
      refuse(
        409,
        `The project is ${current?.status}${current?.pendingOp ? ' with a step being completed' : ''}; approve it again once it is read afresh`,
        { currentStatus: current?.status },
      ),
    whenStepRefused: (r) => {
      if (r.step === 'reserve' && r.reason === 'NO_ALLOCATION')
        return refuse(409, `No allocation is set for ${fund.communityId} in ${fund.year}`, { availableFen: 0 });
      const availableFen = 'availableFen' in r ? r.availableFen : 0;
      return refuse(409, `The allocation has ${availableFen} fen available; this project needs ${p.amountFen}`, {
        availableFen,
        requiredFen: p.amountFen,
      });
    },
  };
};

/** Withdrawal: possible until approval commits money. */
export const decideWithdraw = (p: Project, command: { reason: string }, ctx: DecisionContext): Transition | Refusal => {
  if (!WITHDRAWABLE.includes(p.status)) return notIn(p, `A ${p.status} project can no longer be withdrawn`);
  return {
    projectId: p.id,
    fromStatus: p.status,
    write: {
      from: WITHDRAWABLE,
      to: 'WITHDRAWN',
      events: [event(ctx.now, ctx.actor, 'withdrawn', p.status, 'WITHDRAWN', { reason: command.reason })],
    },
  };
};

const stillOpen = (endsAt: string | undefined, now: Date) => !!endsAt && Date.parse(endsAt) + 1000 > now.getTime();

/**
 * The publicity window closed: to OBJECTION_REVIEW when objections were accepted, else
 * to AWAITING_APPROVAL. Undefined while the window is open or the project moved on.
 */
export const decideClosePublicity = (
  p: Project,
  acceptedObjections: number,
  ctx: DecisionContext,
): Transition | undefined => {
  if (!publicityClosed(p, ctx.now)) return undefined;
  const due = approvalWindow(ctx.profile, ctx.now, ctx.calendars);
  const to: Status = acceptedObjections ? 'OBJECTION_REVIEW' : 'AWAITING_APPROVAL';
  const deadlineField = to === 'OBJECTION_REVIEW' ? 'objectionReviewDueAt' : 'approvalDueAt';
  return {
    projectId: p.id,
    fromStatus: p.status,
    expectedVersion: p.version,
    write: {
      from: ['IN_PUBLICITY'],
      to,
      set: { [`deadlines.${deadlineField}`]: due.dueAt, ...(due.warnings.length ? { warnings: due.warnings } : {}) },
      deadlinesAfter: { ...p.deadlines, [deadlineField]: due.dueAt },
      events: [
        event(ctx.now, ctx.actor, 'publicity_closed', 'IN_PUBLICITY', to, {
          objections: acceptedObjections,
          [deadlineField]: due.dueAt,
        }),
      ],
    },
  };
};

/** True once the project's publicity window has ended (and it is still in publicity). */
export const publicityClosed = (p: Project, now: Date): boolean =>
  p.status === 'IN_PUBLICITY' && !stillOpen(p.deadlines.publicityEndsAt, now);

/** The completion publicity closed: the project is CLOSED. Undefined while it is open. */
export const decideCloseCompletionPublicity = (p: Project, ctx: DecisionContext): Transition | undefined => {
  if (p.status !== 'COMPLETION_PUBLICITY' || stillOpen(p.deadlines.completionPublicityEndsAt, ctx.now))
    return undefined;
  return {
    projectId: p.id,
    fromStatus: p.status,
    write: {
      from: ['COMPLETION_PUBLICITY'],
      to: 'CLOSED',
      events: [event(ctx.now, ctx.actor, 'closed', 'COMPLETION_PUBLICITY', 'CLOSED')],
    },
  };
};

/** How many times a human step is escalated: once to the level above, once more to the district. */
export const MAX_ESCALATIONS = 2;

/** What a step's timeout comes to: keep waiting, stop escalating, or escalate one level. */
export type EscalationDecision =
  | { kind: 'wait' }
  | { kind: 'exhausted' }
  | { kind: 'escalate'; level: number; transition: Transition };

/**
 * A human step passed its deadline: record the escalation (and, below the last level,
 * the next deadline). Never decides for anyone. It waits when the step moved on or the
 * deadline has not passed, and is exhausted once every level was told.
 */
export const decideEscalation = (
  p: Project,
  step: { status: Status; dueAt: string | null },
  ctx: DecisionContext,
): EscalationDecision => {
  if (p.status !== step.status || !step.dueAt || Date.parse(step.dueAt) > ctx.now.getTime()) return { kind: 'wait' };
  const level = stepStateOf(p, ctx.now).escalations + 1;
  if (level > MAX_ESCALATIONS) return { kind: 'exhausted' };
  const next =
    level < MAX_ESCALATIONS
      ? workingDayDeadline(new Date(Date.parse(step.dueAt)), ctx.profile.approvalWorkingDays, ctx.calendars).dueAt
      : null;
  return {
    kind: 'escalate',
    level,
    transition: {
      projectId: p.id,
      fromStatus: p.status,
      write: {
        from: [p.status],
        set: { escalation: { status: p.status, level, nextDueAt: next } },
        escalationBelow: { status: p.status, level },
        events: [
          event(ctx.now, ctx.actor, 'escalated', p.status, p.status, {
            level,
            missedDueAt: step.dueAt,
            nextDueAt: next,
          }),
        ],
      },
    },
  };
};

import type { ChangeDecision, ChangeRequest } from '../changeRequest.ts';
import { completionPublicityWindow } from '../deadlines.ts';
import { CHANGEABLE, STATUSES, type Status } from '../lifecycle.ts';
import { overpay } from '../ledger.ts';
import { MoneyError, contractTerms, recomputeUnpaidTranches } from '../money.ts';
import { operationId } from '../pendingOp.ts';
import { deliberationGate } from '../policy.ts';
import type { Project, Tranche } from '../project.ts';
import { historyEvent as event, refuse, type Refusal, type Transition } from '../transition.ts';
import type { DecisionContext } from './context.ts';

/*
 * The decisions of the second half of the lifecycle: the contract, progress reports,
 * staged acceptance (which pays), change requests and the year-end failure. Each
 * returns a Transition for the executor or a Refusal.
 */

const notIn = (p: Project, detail: string): Refusal => refuse(409, detail, { currentStatus: p.status });

/** The answer when the project changed between the read and the write: read it again. */
const changedWhile =
  (what: string) =>
  (current: Project | undefined): Refusal =>
    refuse(409, `The project changed while ${what}; read it again and retry`, { currentStatus: current?.status });

/** A tranche counts as paid once its stage passed acceptance; a 0-fen tranche is paid too. */
export const isPaid = (t: Tranche): boolean => !!t.acceptedAt;
export const paidTranches = (p: Project): Tranche[] => (p.tranches ?? []).filter(isPaid);
export const projectPaidFen = (p: Project): number => paidTranches(p).reduce((a, t) => a + t.paidFen, 0);

/** What the fund's ledger says about one project: what it holds (if anything) and what it was paid. */
export interface LedgerView {
  readonly reservedFen: number | undefined;
  readonly paidFen: number;
}

/** An undertaker as a contract decision sees it. */
export interface UndertakerView {
  readonly id: string;
  readonly kind: string;
  readonly disqualifications?: Readonly<Record<string, { reason: string }>>;
}

/**
 * Signing the contract starts implementation. The fund pays what the contract says:
 * tranches follow the contract amount and the rest of the approval goes back to the
 * allocation (an operation, when anything goes back).
 */
export const decideContract = (
  p: Project,
  command: { undertakerId: string; signedOn: string; amountFen: number },
  undertaker: UndertakerView | undefined,
  ctx: DecisionContext,
): Transition | Refusal => {
  const { profile, now, actor } = ctx;
  if (p.delivery === 'self') return notIn(p, 'A self-run project has no undertaker contract; it started at approval');
  if (p.status !== 'APPROVED') return notIn(p, `A contract is signed for an APPROVED project; this one is ${p.status}`);
  if (command.amountFen > p.amountFen)
    return refuse(
      422,
      `The contract amount ${command.amountFen} fen exceeds the project's approved ${p.amountFen} fen`,
      undefined,
      [{ path: 'amountFen', message: `at most ${p.amountFen}` }],
    );
  const u = undertaker;
  if (!u)
    return refuse(422, 'No such undertaker on the register', undefined, [
      { path: 'undertakerId', message: 'unknown undertaker' },
    ]);
  if (u.kind !== p.delivery)
    return refuse(422, `The project is delivered by a ${p.delivery}; this undertaker is a ${u.kind}`, undefined, [
      { path: 'undertakerId', message: `must be a ${p.delivery}` },
    ]);
  const disqualification = u.disqualifications?.[String(p.year)];
  if (disqualification)
    return refuse(409, `The undertaker is disqualified from ${p.year} projects: ${disqualification.reason}`, {
      undertakerId: u.id,
      disqualification,
    });
  const gate = deliberationGate(profile, p.deliberations, 'implementation');
  if (gate) return gate;
  const record = {
    undertakerId: u.id,
    signedOn: command.signedOn,
    amountFen: command.amountFen,
    recordedAt: now.toISOString(),
  };
  const terms = contractTerms(command.amountFen, p.amountFen, profile.trancheSplit.slice(0, p.tranches.length));
  const tranches = terms.tranches.map((amountFen, i) => ({ n: i + 1, amountFen, paidFen: 0, attempts: [] }));
  const transition: Transition = {
    projectId: p.id,
    fromStatus: p.status,
    expectedVersion: p.version,
    write: {
      from: ['APPROVED'],
      to: 'IN_PROGRESS',
      set: { contract: record, undertakerId: u.id, amountFen: terms.reservedFen, tranches },
      deadlinesAfter: p.deadlines,
      events: [
        event(now, actor, 'contract_signed', 'APPROVED', 'IN_PROGRESS', {
          undertakerId: u.id,
          signedOn: command.signedOn,
          amountFen: command.amountFen,
          approvedAmountFen: p.amountFen,
          releasedFen: terms.releasedFen,
        }),
      ],
    },
  };
  if (terms.releasedFen === 0) return transition;
  return {
    ...transition,
    operation: {
      id: operationId('contract', p.version),
      steps: [{ kind: 'moveReservation', fromFen: p.amountFen, toFen: terms.reservedFen }],
    },
    whenStale: changedWhile('the contract was recorded'),
    whenStepRefused: () =>
      notIn(p, 'The project holds another amount on its allocation than it was approved for; read it again'),
  };
};

/** A progress report, while the project is APPROVED or IN_PROGRESS. */
export const decideProgress = (
  p: Project,
  entry: { id: string; at: string; percent: number; note: string },
  ctx: DecisionContext,
): Transition | Refusal => {
  if (!CHANGEABLE.includes(p.status))
    return notIn(p, `Progress is reported while APPROVED or IN_PROGRESS; the project is ${p.status}`);
  return {
    projectId: p.id,
    fromStatus: p.status,
    expectedVersion: p.version,
    write: {
      from: CHANGEABLE,
      set: { progress: [...(p.progress ?? []), { ...entry, by: ctx.actor }] },
      events: [
        event(ctx.now, ctx.actor, 'progress_reported', p.status, p.status, {
          percent: entry.percent,
          note: entry.note,
        }),
      ],
    },
    whenStale: changedWhile('the report was recorded'),
  };
};

/**
 * A stage acceptance of tranche `tranche.n`, in order, while IN_PROGRESS. A failed one
 * is recorded; a passed one pays the tranche (never beyond what the project holds) and,
 * for the last tranche, opens the completion publicity.
 *
 * @param ledger - what the fund's ledger says about the project; read only for a pass
 */
export const decideAcceptance = (
  p: Project,
  tranche: Tranche,
  command: { attemptId: string; passed: boolean; comment: string; satisfaction?: number },
  ledger: LedgerView | undefined,
  ctx: DecisionContext,
): Transition | Refusal => {
  const { now, actor } = ctx;
  if (p.status !== 'IN_PROGRESS') return notIn(p, `Stages are accepted while IN_PROGRESS; the project is ${p.status}`);
  const next = p.tranches.find((t) => !isPaid(t));
  if (!next || next.n !== tranche.n)
    return refuse(
      409,
      isPaid(tranche)
        ? `Tranche ${tranche.n} is already accepted and paid`
        : `Stages are accepted in order; tranche ${next?.n} comes first`,
      { nextTranche: next?.n ?? null },
    );
  const attempt = {
    id: command.attemptId,
    at: now.toISOString(),
    passed: command.passed,
    comment: command.comment,
    ...(command.satisfaction !== undefined ? { satisfaction: command.satisfaction } : {}),
    by: actor,
  };
  const details = { n: tranche.n, comment: command.comment, satisfaction: command.satisfaction };
  if (!command.passed)
    return {
      projectId: p.id,
      fromStatus: p.status,
      expectedVersion: p.version,
      write: {
        from: ['IN_PROGRESS'],
        set: {
          tranches: p.tranches.map((t) => (t.n === tranche.n ? { ...t, attempts: [...t.attempts, attempt] } : t)),
        },
        events: [event(now, actor, 'acceptance_failed', 'IN_PROGRESS', 'IN_PROGRESS', details)],
      },
      whenStale: changedWhile('the acceptance was recorded'),
    };

  if (ledger?.reservedFen === undefined) return notIn(p, 'The project holds no reservation on its allocation');
  const over = overpay(
    { reservedFen: ledger.reservedFen, paidFen: ledger.paidFen },
    projectPaidFen(p),
    tranche.amountFen,
  );
  if (over)
    return refuse(
      409,
      `Paying ${tranche.amountFen} fen would exceed the ${over.reservedFen} fen reserved for this project`,
      over,
    );

  const last = tranche.n === p.tranches.length;
  const tranches = p.tranches.map((t) =>
    t.n === tranche.n
      ? { ...t, paidFen: t.amountFen, acceptedAt: now.toISOString(), attempts: [...t.attempts, attempt] }
      : t,
  );
  const events = [
    event(now, actor, 'acceptance_passed', 'IN_PROGRESS', 'IN_PROGRESS', { ...details, paidFen: tranche.amountFen }),
  ];
  let to: Status | undefined;
  let set: Record<string, unknown> = { tranches };
  let deadlinesAfter = p.deadlines;
  if (last) {
    to = 'COMPLETION_PUBLICITY';
    const endsAt = completionPublicityWindow(ctx.profile, now);
    set = { ...set, 'deadlines.completionPublicityEndsAt': endsAt, completedAt: now.toISOString() };
    deadlinesAfter = { ...p.deadlines, completionPublicityEndsAt: endsAt };
    events.push(
      event(now, actor, 'completion_publicity_opened', 'IN_PROGRESS', 'COMPLETION_PUBLICITY', {
        completionPublicityEndsAt: endsAt,
      }),
    );
  }
  return {
    projectId: p.id,
    fromStatus: p.status,
    expectedVersion: p.version,
    // The payment and the project's record of it are two items. The ledger read above shows
    // a reservation that covers the tranche, and only a status write of this project could
    // take it away, so the payment cannot be refused: the record goes first with the
    // intent, and the payment, keyed by project and tranche, follows; a crash between them
    // is completed from the intent, never lost nor repeated.
    operation: {
      id: operationId('pay', p.version, tranche.n),
      steps: [{ kind: 'pay', n: tranche.n, fen: tranche.amountFen }],
      recordFirst: true,
    },
    write: { from: ['IN_PROGRESS'], ...(to ? { to } : {}), set, deadlinesAfter, events },
    whenStale: (current) => {
      const done = current?.tranches?.find((t) => t.n === tranche.n);
      if (done && isPaid(done))
        return refuse(409, `Tranche ${tranche.n} is already accepted and paid`, {
          nextTranche: current!.tranches.find((t) => !isPaid(t))?.n ?? null,
        });
      return changedWhile('the acceptance was recorded')(current);
    },
    whenStepRefused: () =>
      refuse(409, `Tranche ${tranche.n} was already paid with another amount; read the project again`, {
        nextTranche: tranche.n,
      }),
  };
};

/**
 * Asking for a change while APPROVED or IN_PROGRESS: the request is its own item, and
 * the project's history records it with the intent, so a crash is completed, not lost.
 */
export const decideChangeRequest = (
  p: Project,
  command: { id: string; amountFen?: number; plannedEnd?: string; reason: string },
  ctx: DecisionContext,
): { request: ChangeRequest; transition: Transition } | Refusal => {
  if (!CHANGEABLE.includes(p.status))
    return notIn(p, `Changes are asked for while APPROVED or IN_PROGRESS; the project is ${p.status}`);
  const request: ChangeRequest = {
    id: command.id,
    projectId: p.id,
    communityId: p.communityId,
    streetId: p.streetId,
    year: p.year,
    ...(command.amountFen !== undefined ? { amountFen: command.amountFen } : {}),
    ...(command.plannedEnd !== undefined ? { plannedEnd: command.plannedEnd } : {}),
    reason: command.reason,
    previousAmountFen: p.amountFen,
    previousPlannedEnd: p.plannedEnd,
    status: 'PENDING',
    requestedAt: ctx.now.toISOString(),
    requestedBy: ctx.actor,
  };
  return {
    request,
    transition: {
      projectId: p.id,
      fromStatus: p.status,
      expectedVersion: p.version,
      operation: {
        id: operationId('request-change', p.version, request.id),
        steps: [{ kind: 'createChange', request: { ...request } }],
        intent: {
          from: CHANGEABLE,
          events: [
            event(ctx.now, ctx.actor, 'change_requested', p.status, p.status, {
              changeRequestId: request.id,
              amountFen: command.amountFen,
              plannedEnd: command.plannedEnd,
              reason: command.reason,
            }),
          ],
        },
      },
      write: { from: STATUSES, events: [] },
      whenStale: changedWhile('the change was asked for'),
    },
  };
};

/**
 * The district's decision on a change request. A refusal is recorded whatever the
 * project's status; an approval needs it changeable and, for a new amount, moves the
 * reservation and spreads the rest over the unpaid tranches (paid ones stay as paid).
 *
 * @param ledgerPaidFen - what the ledger says the project was paid; read only when the amount changes
 */
export const decideChange = (
  p: Project,
  cr: ChangeRequest,
  command: { approve: boolean; comment: string },
  ledgerPaidFen: number | undefined,
  ctx: DecisionContext,
): { decision: ChangeDecision; transition: Transition } | Refusal => {
  const { now, actor, profile } = ctx;
  if (cr.status !== 'PENDING')
    return refuse(409, `This change request is already ${cr.status}`, { decision: cr.decision });
  const decision: ChangeDecision = {
    approve: command.approve,
    comment: command.comment,
    at: now.toISOString(),
    by: actor,
  };
  const details = { changeRequestId: cr.id, approve: command.approve, comment: command.comment };
  const claim = { kind: 'claimChange' as const, changeRequestId: cr.id, decision };
  const decidedMeanwhile = refuse(409, 'This change request was decided meanwhile');
  const id = operationId('decide-change', p.version, cr.id);
  if (!command.approve)
    return {
      decision,
      transition: {
        projectId: p.id,
        fromStatus: p.status,
        expectedVersion: p.version,
        // Whatever the project's status by now, its file must show the refusal.
        operation: { id, steps: [claim] },
        write: { from: STATUSES, events: [event(now, actor, 'change_decided', p.status, p.status, details)] },
        whenStale: changedWhile('the change was decided'),
        whenStepRefused: () => decidedMeanwhile,
      },
    };

  if (!CHANGEABLE.includes(p.status)) return notIn(p, `A ${p.status} project can no longer be changed`);
  const changesAmount = cr.amountFen !== undefined && cr.amountFen !== p.amountFen;
  let tranches = p.tranches;
  if (changesAmount) {
    // A payment whose project write has not landed yet would be recomputed away: let it finish first.
    if (ledgerPaidFen !== projectPaidFen(p))
      return refuse(409, 'A tranche payment is being recorded for this project; retry in a moment');
    try {
      const fresh = recomputeUnpaidTranches(
        cr.amountFen!,
        profile.trancheSplit.slice(0, p.tranches.length),
        paidTranches(p).map((t) => t.paidFen),
      );
      tranches = p.tranches.map((t, i) => (isPaid(t) ? t : { ...t, amountFen: fresh[i] }));
    } catch (e) {
      if (e instanceof MoneyError) return refuse(409, e.message, { paidFen: projectPaidFen(p), code: e.code });
      throw e;
    }
  }
  const set: Record<string, unknown> = {};
  if (changesAmount) Object.assign(set, { amountFen: cr.amountFen, tranches });
  if (cr.plannedEnd !== undefined) set.plannedEnd = cr.plannedEnd;
  const increase = (cr.amountFen ?? p.amountFen) - p.amountFen;
  return {
    decision,
    transition: {
      projectId: p.id,
      fromStatus: p.status,
      expectedVersion: p.version,
      // Three items (request, allocation, project): the claim goes before the money so
      // that a refused increase can give the request back undecided.
      operation: {
        id,
        steps: changesAmount
          ? [claim, { kind: 'moveReservation', fromFen: p.amountFen, toFen: cr.amountFen! }]
          : [claim],
      },
      write: {
        from: CHANGEABLE,
        set,
        events: [
          event(now, actor, 'change_decided', p.status, p.status, {
            ...details,
            amountFen: changesAmount ? cr.amountFen : undefined,
            previousAmountFen: p.amountFen,
            plannedEnd: cr.plannedEnd,
          }),
        ],
      },
      whenStale: changedWhile('the change was decided'),
      whenStepRefused: (r) => {
        if (r.step === 'claimChange') return decidedMeanwhile;
        const availableFen = 'availableFen' in r ? r.availableFen : 0;
        return refuse(409, `The allocation has ${availableFen} fen available; the increase needs ${increase}`, {
          availableFen,
          requiredFen: increase,
        });
      },
    },
  };
};

/**
 * Failing an unfinished project at year end: the failure carries the intent to give its
 * unpaid money back, so a crash in between is completed by the recovery pass or the next run.
 */
export const decideYearEndFailure = (p: Project, year: number, ctx: DecisionContext): Transition => ({
  projectId: p.id,
  fromStatus: p.status,
  operation: {
    id: operationId('fail-year-end', p.version),
    steps: [{ kind: 'releaseUnpaid' }],
    intent: {
      from: ['APPROVED', 'IN_PROGRESS'],
      to: 'FAILED',
      events: [
        event(ctx.now, ctx.actor, 'failed_at_year_end', p.status, 'FAILED', { year, rule: 'yearEnd.unfinishedFails' }),
      ],
    },
  },
  write: { from: ['FAILED'], events: [] },
});

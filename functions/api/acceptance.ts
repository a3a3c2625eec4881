import * as z from '../zod.ts';
import { activeProfile } from '../store/config.ts';
import { changeProject, getProject } from '../store/projects.ts';
import { getAllocation, fundOf } from '../store/allocations.ts';
import { getUndertaker, isDisqualified } from '../store/undertakers.ts';
import { getChangeRequest, type ChangeDecision, type ChangeRequest } from '../store/changeRequests.ts';
import { MoneyError, contractTerms, paidForProject, recomputeUnpaidTranches } from '../domain/money.ts';
import { operationId } from '../domain/pendingOp.ts';
import { beginOperation, settleOperation } from './pendingOps.ts';
import { recordId } from '../domain/recordIds.ts';
import { missingDeliberations } from '../domain/policy.ts';
import { CHANGEABLE, STATUSES, type Status } from '../domain/lifecycle.ts';
import type { Project, Tranche } from '../domain/project.ts';
import type { ApiResponse, RouteImpl } from './http.ts';
import { route } from './http.ts';
import { actorOf, applyChange, event, loadProjectFor, projectResponse } from './projectCommands.ts';
import { conflict, notFound, unprocessable } from './problem.ts';
import { completionPublicityWindow } from './deadlines.ts';
import { count, date, id, positiveFen, queryInt, text } from './schemas.ts';

const ContractBody = z.strictObject({ undertakerId: id, signedOn: date, amountFen: positiveFen });
const ProgressBody = z.strictObject({ percent: count(0, 100), note: text(2000) });
/**
 * `satisfaction` is the residents' satisfaction rate in percent (0–100), as the seeds
 * report it (满意率), not a 1–5 rating.
 */
const AcceptanceBody = z.strictObject({
  passed: z.boolean(),
  comment: text(2000),
  satisfaction: z.optional(count(0, 100)),
});
const ChangeBody = z
  .strictObject({ amountFen: z.optional(positiveFen), plannedEnd: z.optional(date), reason: text(2000) })
  .check(
    z.refine((b) => b.amountFen !== undefined || b.plannedEnd !== undefined, {
      message: 'ask for a new amountFen, a new plannedEnd, or both',
      path: ['amountFen'],
    }),
  );
const DecisionBody = z.strictObject({ approve: z.boolean(), comment: text(2000) });
/** The tranche number in the path: 1 to 10 (the longest split a profile may set). */
export const TrancheParam = queryInt(1, 10);

const versionIs = (p: Project) => (b: { name(p: string): string; value(v: unknown): string }) =>
  `${b.name('version')} = ${b.value(p.version)}`;

/** A tranche counts as paid once its stage passed acceptance; a 0-fen tranche is paid too. */
const isPaid = (t: Tranche) => !!t.acceptedAt;
const paidTranches = (p: Project) => (p.tranches ?? []).filter(isPaid);
const projectPaidFen = (p: Project) => paidTranches(p).reduce((a, t) => a + t.paidFen, 0);

const retryConflict = async (p: Project, what: string): Promise<never> => {
  const current = await getProject(p.id);
  throw conflict(`The project changed while ${what}; read it again and retry`, { currentStatus: current?.status });
};

/** The fund's ledger entries for one project, which are the truth about what it was paid. */
const ledgerOf = async (p: Project) => {
  const f = fundOf(p);
  const a = await getAllocation(f.year, f.streetId, f.communityId);
  return {
    fund: f,
    allocation: a,
    reservedFen: a?.reservations?.[p.id],
    paidFen: a ? paidForProject({ ...a, reservations: a.reservations ?? {}, payments: a.payments ?? {} }, p.id) : 0,
  };
};

const contract: RouteImpl = route({ body: ContractBody }, async ({ caller, params, body, now }) => {
  const p = await loadProjectFor(caller, params.id);
  if (p.delivery === 'self')
    throw conflict('A self-run project has no undertaker contract; it started at approval', {
      currentStatus: p.status,
    });
  if (p.status !== 'APPROVED')
    throw conflict(`A contract is signed for an APPROVED project; this one is ${p.status}`, {
      currentStatus: p.status,
    });
  if (body.amountFen > p.amountFen)
    throw unprocessable(`The contract amount ${body.amountFen} fen exceeds the project's approved ${p.amountFen} fen`, [
      { path: 'amountFen', message: `at most ${p.amountFen}` },
    ]);
  const u = await getUndertaker(body.undertakerId);
  if (!u)
    throw unprocessable('No such undertaker on the register', [
      { path: 'undertakerId', message: 'unknown undertaker' },
    ]);
  if (u.kind !== p.delivery)
    throw unprocessable(`The project is delivered by a ${p.delivery}; this undertaker is a ${u.kind}`, [
      { path: 'undertakerId', message: `must be a ${p.delivery}` },
    ]);
  if (isDisqualified(u, p.year))
    throw conflict(
      `The undertaker is disqualified from ${p.year} projects: ${u.disqualifications[String(p.year)].reason}`,
      {
        undertakerId: u.id,
        disqualification: u.disqualifications[String(p.year)],
      },
    );
  // Signing the contract starts implementation, so what the profile requires before it must exist now.
  const recorded = Object.values(p.deliberations ?? {}).map((d) => ({ step: d.step, passed: d.passed }));
  const missing = missingDeliberations(activeProfile(), recorded, 'implementation');
  if (missing.length)
    throw conflict(`Required deliberation missing or not passed before implementation: ${missing.join(', ')}`, {
      missingSteps: missing,
    });
  const record = {
    undertakerId: u.id,
    signedOn: body.signedOn,
    amountFen: body.amountFen,
    recordedAt: now.toISOString(),
  };
  // The fund pays what the contract says: tranches follow the contract amount and the rest of the approval goes back.
  const terms = contractTerms(body.amountFen, p.amountFen, activeProfile().trancheSplit.slice(0, p.tranches.length));
  const tranches = terms.tranches.map((amountFen, i) => ({ n: i + 1, amountFen, paidFen: 0, attempts: [] }));
  const finish = {
    from: ['APPROVED'] as Status[],
    to: 'IN_PROGRESS' as Status,
    set: { contract: record, undertakerId: u.id, amountFen: terms.reservedFen, tranches },
    deadlinesAfter: p.deadlines,
    events: [
      event(now, actorOf(caller), 'contract_signed', 'APPROVED', 'IN_PROGRESS', {
        undertakerId: u.id,
        signedOn: body.signedOn,
        amountFen: body.amountFen,
        approvedAmountFen: p.amountFen,
        releasedFen: terms.releasedFen,
      }),
    ],
  };
  if (terms.releasedFen === 0) {
    const after = await applyChange(p, { ...finish, condition: versionIs(p) }, now);
    return { status: 200, body: await projectResponse(after) };
  }
  const begun = await beginOperation(
    p,
    {
      id: operationId('contract', p.version),
      startedAt: now.toISOString(),
      steps: [{ kind: 'moveReservation', fromFen: p.amountFen, toFen: terms.reservedFen }],
      finish,
    },
    { from: ['APPROVED'], condition: versionIs(p) },
    now,
  );
  if (!begun) return retryConflict(p, 'the contract was recorded');
  const settled = await settleOperation(begun, now);
  if (!settled.ok)
    throw conflict('The project holds another amount on its allocation than it was approved for; read it again', {
      currentStatus: p.status,
    });
  return { status: 200, body: await projectResponse(settled.project) };
});

const progress: RouteImpl = route({ body: ProgressBody }, async ({ caller, params, body, now, idempotency }) => {
  const p = await loadProjectFor(caller, params.id);
  const id = recordId(idempotency);
  // A keyed command re-run after a crash answers with the report it added the first time.
  const earlier = p.progress?.find((e) => e.id === id);
  if (earlier) return { status: 201, body: { ...earlier, project: await projectResponse(p) } };
  if (!CHANGEABLE.includes(p.status))
    throw conflict(`Progress is reported while APPROVED or IN_PROGRESS; the project is ${p.status}`, {
      currentStatus: p.status,
    });
  const entry = { id, at: now.toISOString(), percent: body.percent, note: body.note, by: actorOf(caller) };
  const after = await changeProject(
    p.id,
    {
      from: CHANGEABLE,
      set: { progress: [...(p.progress ?? []), entry] },
      condition: versionIs(p),
      events: [
        event(now, entry.by, 'progress_reported', p.status, p.status, { percent: body.percent, note: body.note }),
      ],
    },
    now,
  );
  if (!after) return retryConflict(p, 'the report was recorded');
  return { status: 201, body: { ...entry, project: await projectResponse(after) } };
});

const acceptance: RouteImpl = route({ body: AcceptanceBody }, async ({ caller, params, body, now, idempotency }) => {
  const p = await loadProjectFor(caller, params.id);
  const n = TrancheParam.safeParse(params.n);
  const tranche = n.success ? p.tranches?.find((t) => t.n === n.data) : undefined;
  if (!tranche) throw notFound('tranche');
  const attemptId = recordId(idempotency);
  // A keyed command re-run after a crash finds the attempt it recorded the first time.
  if (tranche.attempts.some((a) => a.id === attemptId)) return { status: 200, body: await projectResponse(p) };
  if (p.status !== 'IN_PROGRESS')
    throw conflict(`Stages are accepted while IN_PROGRESS; the project is ${p.status}`, { currentStatus: p.status });
  const next = p.tranches.find((t) => !isPaid(t));
  if (!next || next.n !== tranche.n)
    throw conflict(
      isPaid(tranche)
        ? `Tranche ${tranche.n} is already accepted and paid`
        : `Stages are accepted in order; tranche ${next?.n} comes first`,
      { nextTranche: next?.n ?? null },
    );
  const actor = actorOf(caller);
  const attempt = {
    id: attemptId,
    at: now.toISOString(),
    passed: body.passed,
    comment: body.comment,
    ...(body.satisfaction !== undefined ? { satisfaction: body.satisfaction } : {}),
    by: actor,
  };

  if (!body.passed) {
    const tranches = p.tranches.map((t) => (t.n === tranche.n ? { ...t, attempts: [...t.attempts, attempt] } : t));
    const after = await changeProject(
      p.id,
      {
        from: ['IN_PROGRESS'],
        set: { tranches },
        condition: versionIs(p),
        events: [
          event(now, actor, 'acceptance_failed', 'IN_PROGRESS', 'IN_PROGRESS', {
            n: tranche.n,
            comment: body.comment,
            satisfaction: body.satisfaction,
          }),
        ],
      },
      now,
    );
    if (!after) return retryConflict(p, 'the acceptance was recorded');
    return { status: 200, body: await projectResponse(after) };
  }

  // The ledger is the truth about what was paid; the project never gets more than it holds (its contract).
  const ledger = await ledgerOf(p);
  if (ledger.reservedFen === undefined)
    throw conflict('The project holds no reservation on its allocation', { currentStatus: p.status });
  const paidSoFar = Math.max(ledger.paidFen, projectPaidFen(p));
  if (paidSoFar + tranche.amountFen > ledger.reservedFen)
    throw conflict(
      `Paying ${tranche.amountFen} fen would exceed the ${ledger.reservedFen} fen reserved for this project`,
      { reservedFen: ledger.reservedFen, paidFen: paidSoFar },
    );

  const last = tranche.n === p.tranches.length;
  const tranches = p.tranches.map((t) =>
    t.n === tranche.n
      ? { ...t, paidFen: t.amountFen, acceptedAt: now.toISOString(), attempts: [...t.attempts, attempt] }
      : t,
  );
  const events = [
    event(now, actor, 'acceptance_passed', 'IN_PROGRESS', 'IN_PROGRESS', {
      n: tranche.n,
      comment: body.comment,
      satisfaction: body.satisfaction,
      paidFen: tranche.amountFen,
    }),
  ];
  let to: Status | undefined;
  let set: Record<string, unknown> = { tranches };
  let deadlinesAfter = p.deadlines;
  if (last) {
    to = 'COMPLETION_PUBLICITY';
    const endsAt = completionPublicityWindow(now);
    set = { ...set, 'deadlines.completionPublicityEndsAt': endsAt, completedAt: now.toISOString() };
    deadlinesAfter = { ...p.deadlines, completionPublicityEndsAt: endsAt };
    events.push(
      event(now, actor, 'completion_publicity_opened', 'IN_PROGRESS', 'COMPLETION_PUBLICITY', {
        completionPublicityEndsAt: endsAt,
      }),
    );
  }
  // The payment and the project's record of it are two items: the intent goes first and
  // the payment is keyed by project and tranche, so a crash can neither lose nor repeat it.
  const begun = await beginOperation(
    p,
    {
      id: operationId('pay', p.version, tranche.n),
      startedAt: now.toISOString(),
      steps: [{ kind: 'pay', n: tranche.n, fen: tranche.amountFen }],
      finish: { from: ['IN_PROGRESS'], to, set, deadlinesAfter, events },
    },
    { from: ['IN_PROGRESS'], condition: versionIs(p) },
    now,
  );
  if (!begun) {
    const current = await getProject(p.id);
    const done = current?.tranches?.find((t) => t.n === tranche.n);
    if (done && isPaid(done))
      throw conflict(`Tranche ${tranche.n} is already accepted and paid`, {
        nextTranche: current!.tranches.find((t) => !isPaid(t))?.n ?? null,
      });
    return retryConflict(p, 'the acceptance was recorded');
  }
  const settled = await settleOperation(begun, now);
  if (!settled.ok)
    throw conflict(`Tranche ${tranche.n} was already paid with another amount; read the project again`, {
      nextTranche: tranche.n,
    });
  return { status: 200, body: await projectResponse(settled.project) };
});

const requestChange: RouteImpl = route({ body: ChangeBody }, async ({ caller, params, body, now, idempotency }) => {
  const p = await loadProjectFor(caller, params.id);
  const id = recordId(idempotency);
  // A keyed command re-run after a crash answers with the request it made the first time.
  const earlier = idempotency ? await getChangeRequest(id) : undefined;
  if (earlier) return changeRequested(earlier);
  if (!CHANGEABLE.includes(p.status))
    throw conflict(`Changes are asked for while APPROVED or IN_PROGRESS; the project is ${p.status}`, {
      currentStatus: p.status,
    });
  const actor = actorOf(caller);
  const cr: ChangeRequest = {
    id,
    projectId: p.id,
    communityId: p.communityId,
    streetId: p.streetId,
    year: p.year,
    ...(body.amountFen !== undefined ? { amountFen: body.amountFen } : {}),
    ...(body.plannedEnd !== undefined ? { plannedEnd: body.plannedEnd } : {}),
    reason: body.reason,
    previousAmountFen: p.amountFen,
    previousPlannedEnd: p.plannedEnd,
    status: 'PENDING',
    requestedAt: now.toISOString(),
    requestedBy: actor,
  };
  // The history event is written with the intent: a request the project does not record
  // would be invisible in its file, and one it records must exist, so a crash is completed.
  const begun = await beginOperation(
    p,
    {
      id: operationId('request-change', p.version, cr.id),
      startedAt: now.toISOString(),
      steps: [{ kind: 'createChange', request: { ...cr } }],
      finish: { from: STATUSES, events: [] },
    },
    {
      from: CHANGEABLE,
      condition: versionIs(p),
      events: [
        event(now, actor, 'change_requested', p.status, p.status, {
          changeRequestId: cr.id,
          amountFen: body.amountFen,
          plannedEnd: body.plannedEnd,
          reason: body.reason,
        }),
      ],
    },
    now,
  );
  if (!begun) return retryConflict(p, 'the change was asked for');
  await settleOperation(begun, now);
  return changeRequested(cr);
});

const changeRequested = (cr: ChangeRequest): ApiResponse => ({
  status: 201,
  body: cr,
  headers: { location: `/v1/change-requests/${cr.id}` },
});

const decide: RouteImpl = route({ body: DecisionBody }, async ({ caller, params, body, now }): Promise<ApiResponse> => {
  const cr = await getChangeRequest(params.id);
  if (!cr) throw notFound('change request');
  const p = await loadProjectFor(caller, cr.projectId);
  if (cr.status !== 'PENDING') throw conflict(`This change request is already ${cr.status}`, { decision: cr.decision });
  const actor = actorOf(caller);
  const decision: ChangeDecision = { approve: body.approve, comment: body.comment, at: now.toISOString(), by: actor };
  const changesAmount = body.approve && cr.amountFen !== undefined && cr.amountFen !== p.amountFen;
  const details = { changeRequestId: cr.id, approve: body.approve, comment: body.comment };

  const claim = { kind: 'claimChange' as const, changeRequestId: cr.id, decision };
  if (!body.approve) {
    // Whatever the project's status by now, its file must show the refusal.
    const begun = await beginOperation(
      p,
      {
        id: operationId('decide-change', p.version, cr.id),
        startedAt: now.toISOString(),
        steps: [claim],
        finish: { from: STATUSES, events: [event(now, actor, 'change_decided', p.status, p.status, details)] },
      },
      { from: STATUSES, condition: versionIs(p) },
      now,
    );
    if (!begun) return retryConflict(p, 'the change was decided');
    const settled = await settleOperation(begun, now);
    if (!settled.ok) throw conflict('This change request was decided meanwhile');
    return { status: 200, body: { ...cr, status: 'REJECTED', decision } };
  }

  if (!CHANGEABLE.includes(p.status))
    throw conflict(`A ${p.status} project can no longer be changed`, { currentStatus: p.status });
  let tranches = p.tranches;
  if (changesAmount) {
    const ledger = await ledgerOf(p);
    // A payment whose project write has not landed yet would be recomputed away: let it finish first.
    if (ledger.paidFen !== projectPaidFen(p))
      throw conflict('A tranche payment is being recorded for this project; retry in a moment');
    try {
      const fresh = recomputeUnpaidTranches(
        cr.amountFen!,
        activeProfile().trancheSplit.slice(0, p.tranches.length),
        paidTranches(p).map((t) => t.paidFen),
      );
      tranches = p.tranches.map((t, i) => (isPaid(t) ? t : { ...t, amountFen: fresh[i] }));
    } catch (e) {
      if (e instanceof MoneyError) throw conflict(e.message, { paidFen: projectPaidFen(p), code: e.code });
      throw e;
    }
  }
  const set: Record<string, unknown> = {};
  if (changesAmount) Object.assign(set, { amountFen: cr.amountFen, tranches });
  if (cr.plannedEnd !== undefined) set.plannedEnd = cr.plannedEnd;
  // Three items (request, allocation, project): the intent first, the claim before the
  // money so that a refused increase can give the request back undecided.
  const begun = await beginOperation(
    p,
    {
      id: operationId('decide-change', p.version, cr.id),
      startedAt: now.toISOString(),
      steps: changesAmount ? [claim, { kind: 'moveReservation', fromFen: p.amountFen, toFen: cr.amountFen! }] : [claim],
      finish: {
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
    },
    { from: CHANGEABLE, condition: versionIs(p) },
    now,
  );
  if (!begun) return retryConflict(p, 'the change was decided');
  const settled = await settleOperation(begun, now);
  if (!settled.ok) {
    const r = settled.refusal;
    if (r.step === 'claimChange') throw conflict('This change request was decided meanwhile');
    const availableFen = 'availableFen' in r ? r.availableFen : 0;
    throw conflict(
      `The allocation has ${availableFen} fen available; the increase needs ${cr.amountFen! - p.amountFen}`,
      {
        availableFen,
        requiredFen: cr.amountFen! - p.amountFen,
      },
    );
  }
  return {
    status: 200,
    body: { ...cr, status: 'APPROVED', decision, project: await projectResponse(settled.project) },
  };
});

/** Contract, progress, staged acceptance and change requests (the second half of the lifecycle). */
export const acceptanceRoutes: Record<string, RouteImpl> = {
  'POST /v1/projects/{id}/contract': contract,
  'POST /v1/projects/{id}/progress': progress,
  'POST /v1/projects/{id}/tranches/{n}/acceptance': acceptance,
  'POST /v1/projects/{id}/change-requests': requestChange,
  'POST /v1/change-requests/{id}/decision': decide,
};

import * as z from '../zod.ts';
import { ledgerViewOf } from '../store/allocations.ts';
import { getUndertaker } from '../store/undertakers.ts';
import { getChangeRequest, type ChangeRequest } from '../store/changeRequests.ts';
import { recordId } from '../domain/recordIds.ts';
import {
  decideAcceptance,
  decideChange,
  decideChangeRequest,
  decideContract,
  decideProgress,
} from '../domain/decisions/implementation.ts';
import { decisionContext } from '../executor/context.ts';
import { execute } from '../executor/execute.ts';
import { executeAnnouncing } from '../notify/openings.ts';
import type { ApiResponse, RouteImpl } from './http.ts';
import { route } from './http.ts';
import { actorOf, decided, executed, loadProjectFor, loadProjectToChange, projectResponse } from './projectCommands.ts';
import { notFound } from './problem.ts';
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

const contract: RouteImpl = route({ body: ContractBody }, async ({ caller, params, body, now }) => {
  const p = await loadProjectToChange(caller, params.id);
  const undertaker = await getUndertaker(body.undertakerId);
  const t = decided(decideContract(p, body, undertaker, await decisionContext(actorOf(caller), now)));
  return { status: 200, body: await projectResponse(executed(await execute(p, t, now))) };
});

const progress: RouteImpl = route({ body: ProgressBody }, async ({ caller, params, body, now, idempotency }) => {
  const p = await loadProjectToChange(caller, params.id);
  const id = recordId(idempotency);
  // A keyed command re-run after a crash answers with the report it added the first time.
  const earlier = p.progress?.find((e) => e.id === id);
  if (earlier) return { status: 201, body: { ...earlier, project: await projectResponse(p) } };
  const entry = { id, at: now.toISOString(), percent: body.percent, note: body.note, by: actorOf(caller) };
  const t = decided(decideProgress(p, entry, await decisionContext(entry.by, now)));
  const after = executed(await execute(p, t, now));
  return { status: 201, body: { ...entry, project: await projectResponse(after) } };
});

const acceptance: RouteImpl = route({ body: AcceptanceBody }, async ({ caller, params, body, now, idempotency }) => {
  const p = await loadProjectToChange(caller, params.id);
  const n = TrancheParam.safeParse(params.n);
  const tranche = n.success ? p.tranches?.find((t) => t.n === n.data) : undefined;
  if (!tranche) throw notFound('tranche');
  const attemptId = recordId(idempotency);
  // A keyed command re-run after a crash finds the attempt it recorded the first time.
  if (tranche.attempts.some((a) => a.id === attemptId)) return { status: 200, body: await projectResponse(p) };
  // A pass pays: the ledger is the truth about what the project holds and was paid.
  const ledger = body.passed && p.status === 'IN_PROGRESS' ? await ledgerViewOf(p) : undefined;
  const command = { attemptId, ...body };
  const t = decided(decideAcceptance(p, tranche, command, ledger, await decisionContext(actorOf(caller), now)));
  // The last one opens the completion publicity: its write records the announcement, queued after it.
  return { status: 200, body: await projectResponse(executed(await executeAnnouncing(p, t, now))) };
});

const requestChange: RouteImpl = route({ body: ChangeBody }, async ({ caller, params, body, now, idempotency }) => {
  const p = await loadProjectFor(caller, params.id);
  const id = recordId(idempotency);
  // A keyed command re-run after a crash answers with the request it made the first time.
  const earlier = idempotency ? await getChangeRequest(id) : undefined;
  if (earlier) return changeRequested(earlier);
  const { request, transition } = decided(
    decideChangeRequest(p, { id, ...body }, await decisionContext(actorOf(caller), now)),
  );
  executed(await execute(p, transition, now));
  return changeRequested(request);
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
  // A new amount is recomputed over the unpaid tranches: the ledger says what was paid.
  const movesMoney = body.approve && cr.amountFen !== undefined && cr.amountFen !== p.amountFen;
  const ledgerPaid = movesMoney && cr.status === 'PENDING' ? (await ledgerViewOf(p)).paidFen : undefined;
  const ctx = await decisionContext(actorOf(caller), now);
  const { decision, transition } = decided(decideChange(p, cr, body, ledgerPaid, ctx));
  const after = executed(await execute(p, transition, now));
  if (!body.approve) return { status: 200, body: { ...cr, status: 'REJECTED', decision } };
  return { status: 200, body: { ...cr, status: 'APPROVED', decision, project: await projectResponse(after) } };
});

/** Contract, progress, staged acceptance and change requests (the second half of the lifecycle). */
export const acceptanceRoutes: Record<string, RouteImpl> = {
  'POST /v1/projects/{id}/contract': contract,
  'POST /v1/projects/{id}/progress': progress,
  'POST /v1/projects/{id}/tranches/{n}/acceptance': acceptance,
  'POST /v1/projects/{id}/change-requests': requestChange,
  'POST /v1/change-requests/{id}/decision': decide,
};

import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { runtime } from '../runtime.ts';
import { UpdateBuilder, isConditionFailure, queryAll, tableName } from './table.ts';
import { activeProfile } from './config.ts';
import type { Project } from '../domain/project.ts';
import { POOL_ID, fundFor, paidForProject } from '../domain/money.ts';

/*
 * One item per community and year: pk ALLOC#<year>, sk STREET#<streetId>#COMMUNITY#<id>
 * (a street's allocations are one Query). Every reservation and payment is a map entry
 * keyed by project (and tranche), written in the same conditional update as the totals,
 * so a retry finds its own entry and never counts twice, and availableFen can never go
 * below zero. Invariant: amountFen = availableFen + reservedFen, paidFen <= reservedFen.
 */
export interface Allocation {
  year: number;
  communityId: string;
  streetId: string;
  amountFen: number;
  reservedFen: number;
  paidFen: number;
  availableFen: number;
  sources: { funder: string; amountFen: number }[];
  reservations: Record<string, number>;
  payments: Record<string, number>;
  updatedAt: string;
}

export { POOL_ID };

/** The fund that a project draws on under the active profile (domain/money.ts fundFor). */
export const fundOf = (p: Pick<Project, 'year' | 'streetId' | 'communityId'>) =>
  fundFor(activeProfile().allocation.mode, p);

const key = (year: number, streetId: string, communityId: string) => ({
  pk: `ALLOC#${year}`,
  sk: `STREET#${streetId}#COMMUNITY#${communityId}`,
});

export const getAllocation = async (
  year: number,
  streetId: string,
  communityId: string,
): Promise<Allocation | undefined> => {
  const out = await runtime().ddb.send(
    new GetCommand({ TableName: tableName(), Key: key(year, streetId, communityId), ConsistentRead: true }),
  );
  return out.Item as Allocation | undefined;
};

export const listAllocations = (year: number, streetId?: string): Promise<Allocation[]> =>
  queryAll<Allocation>({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
    ExpressionAttributeValues: { ':pk': `ALLOC#${year}`, ':sk': streetId ? `STREET#${streetId}#` : 'STREET#' },
  });

export type SetResult = { ok: true; allocation: Allocation } | { ok: false; reservedFen: number };

/** Sets the amount; refused when it would drop below what is already reserved. */
export const setAllocation = async (
  a: Pick<Allocation, 'year' | 'communityId' | 'streetId' | 'amountFen' | 'sources'>,
  now: Date,
): Promise<SetResult> => {
  const b = new UpdateBuilder();
  b.set({ amountFen: a.amountFen, sources: a.sources, updatedAt: now.toISOString() });
  b.setRaw(`${b.name('availableFen')} = ${b.value(a.amountFen)} - ${b.name('reservedFen')}`);
  b.condition(`attribute_exists(pk) AND ${b.name('reservedFen')} <= ${b.value(a.amountFen)}`);
  try {
    const out = await runtime().ddb.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key(a.year, a.streetId, a.communityId),
        ...b.build(),
        ReturnValues: 'ALL_NEW',
      }),
    );
    return { ok: true, allocation: out.Attributes as Allocation };
  } catch (e) {
    if (!isConditionFailure(e)) throw e;
  }
  const existing = await getAllocation(a.year, a.streetId, a.communityId);
  if (existing) return { ok: false, reservedFen: existing.reservedFen };
  const fresh: Allocation = {
    ...a,
    reservedFen: 0,
    paidFen: 0,
    availableFen: a.amountFen,
    reservations: {},
    payments: {},
    updatedAt: now.toISOString(),
  };
  try {
    await runtime().ddb.send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...key(a.year, a.streetId, a.communityId), ...fresh },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return { ok: true, allocation: fresh };
  } catch (e) {
    // Two first-time writes raced; the loser applies its amount as an update.
    if (isConditionFailure(e)) return setAllocation(a, now);
    throw e;
  }
};

export type ReserveResult =
  | { ok: true }
  | { ok: false; reason: 'NO_ALLOCATION' }
  | { ok: false; reason: 'INSUFFICIENT_FUNDS'; availableFen: number };

/** Reserves a project's fund share: atomic, and idempotent for the same project and amount. */
export const reserve = async (
  year: number,
  streetId: string,
  communityId: string,
  projectId: string,
  fen: number,
  now: Date,
): Promise<ReserveResult> => {
  const b = new UpdateBuilder();
  b.increment('reservedFen', fen)
    .increment('availableFen', -fen)
    .set({ [`reservations.${projectId}`]: fen, updatedAt: now.toISOString() });
  b.condition(
    `attribute_exists(pk) AND attribute_not_exists(${b.name(`reservations.${projectId}`)}) AND ${b.name('availableFen')} >= ${b.value(fen)}`,
  );
  try {
    await runtime().ddb.send(
      new UpdateCommand({ TableName: tableName(), Key: key(year, streetId, communityId), ...b.build() }),
    );
    return { ok: true };
  } catch (e) {
    if (!isConditionFailure(e)) throw e;
  }
  return explainRefusal(year, streetId, communityId, projectId, fen);
};

/** Moves a reservation to a new amount (a change request); never below what is paid. */
export const changeReservation = async (
  year: number,
  streetId: string,
  communityId: string,
  projectId: string,
  fromFen: number,
  toFen: number,
  now: Date,
): Promise<ReserveResult> => {
  const delta = toFen - fromFen;
  const b = new UpdateBuilder();
  b.increment('reservedFen', delta)
    .increment('availableFen', -delta)
    .set({ [`reservations.${projectId}`]: toFen, updatedAt: now.toISOString() });
  b.condition(`${b.name(`reservations.${projectId}`)} = ${b.value(fromFen)}`);
  if (delta > 0) b.condition(`${b.name('availableFen')} >= ${b.value(delta)}`);
  try {
    await runtime().ddb.send(
      new UpdateCommand({ TableName: tableName(), Key: key(year, streetId, communityId), ...b.build() }),
    );
    return { ok: true };
  } catch (e) {
    if (!isConditionFailure(e)) throw e;
  }
  return explainRefusal(year, streetId, communityId, projectId, toFen);
};

/** A refused reservation write: already done by an earlier try (success), or not enough money. */
const explainRefusal = async (
  year: number,
  streetId: string,
  communityId: string,
  projectId: string,
  wantedFen: number,
): Promise<ReserveResult> => {
  const a = await getAllocation(year, streetId, communityId);
  if (!a) return { ok: false, reason: 'NO_ALLOCATION' };
  if (a.reservations?.[projectId] === wantedFen) return { ok: true };
  return { ok: false, reason: 'INSUFFICIENT_FUNDS', availableFen: a.availableFen };
};

/** Frees the unpaid part of a project's reservation (rejected after a race, failed at year end). */
export const releaseUnpaid = async (
  year: number,
  streetId: string,
  communityId: string,
  projectId: string,
  paidFen: number,
  now: Date,
): Promise<void> => {
  // The release is conditional on the reservation read; a racing change of it means read again.
  for (let attempt = 0; attempt < 5; attempt++) {
    const a = await getAllocation(year, streetId, communityId);
    const reserved = a?.reservations?.[projectId];
    if (reserved === undefined || reserved === paidFen) return;
    const res = await changeReservation(year, streetId, communityId, projectId, reserved, paidFen, now);
    if (res.ok) return;
  }
  throw new Error(`could not release the reservation of ${projectId}: it kept changing`);
};

/** Records the payment of tranche n; a retry of the same payment changes nothing. */
export const pay = async (
  year: number,
  streetId: string,
  communityId: string,
  projectId: string,
  n: number,
  fen: number,
  now: Date,
): Promise<boolean> => {
  const b = new UpdateBuilder();
  const entry = `${projectId}#${n}`;
  b.increment('paidFen', fen).set({ [`payments.${entry}`]: fen, updatedAt: now.toISOString() });
  b.condition(
    `attribute_exists(${b.name(`reservations.${projectId}`)}) AND attribute_not_exists(${b.name(`payments.${entry}`)})`,
  );
  try {
    await runtime().ddb.send(
      new UpdateCommand({ TableName: tableName(), Key: key(year, streetId, communityId), ...b.build() }),
    );
    return true;
  } catch (e) {
    if (!isConditionFailure(e)) throw e;
  }
  const a = await getAllocation(year, streetId, communityId);
  return a?.payments?.[entry] === fen;
};

/** What the project's fund says about it: what it holds (undefined when nothing) and what it was paid. */
export const ledgerViewOf = async (
  p: Pick<Project, 'id' | 'year' | 'streetId' | 'communityId'>,
): Promise<{ reservedFen: number | undefined; paidFen: number }> => {
  const f = fundOf(p);
  const a = await getAllocation(f.year, f.streetId, f.communityId);
  return { reservedFen: a?.reservations?.[p.id], paidFen: a ? paidOf(a, p.id) : 0 };
};

/** What the allocation paid one project, over all its tranches. */
export const paidOf = (a: Allocation, projectId: string): number =>
  paidForProject({ ...a, reservations: a.reservations ?? {}, payments: a.payments ?? {} }, projectId);

/** The public figures of an allocation, without the per-project maps. */
export const allocationView = (a: Allocation) => ({
  year: a.year,
  communityId: a.communityId,
  streetId: a.streetId,
  amountFen: a.amountFen,
  reservedFen: a.reservedFen,
  paidFen: a.paidFen,
  availableFen: a.availableFen,
  sources: a.sources,
  updatedAt: a.updatedAt,
});

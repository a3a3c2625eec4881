import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { runtime } from '../runtime.ts';
import { UpdateBuilder, isConditionFailure, queryAll, tableName } from './table.ts';
import { activeProfile } from './config.ts';
import type { Project } from '../domain/project.ts';
import { POOL_ID, fundFor } from '../domain/money.ts';
import {
  explainMove,
  explainPay,
  explainReserve,
  moveReservationWrite,
  paidForProject,
  payWrite,
  releaseWrite,
  reserveWrite,
  setAmountWrite,
  type AllocationState,
  type Explained,
  type LedgerGuard,
  type LedgerRefusal,
  type LedgerWrite,
} from '../domain/ledger.ts';

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

/** The allocation as the domain ledger reads it (maps an older item may lack count as empty). */
const stateOf = (a: Allocation | undefined): AllocationState | undefined =>
  a && { ...a, reservations: a.reservations ?? {}, payments: a.payments ?? {} };

/** The condition of one ledger guard, in the builder's placeholders. */
const conditionOf = (b: UpdateBuilder, g: LedgerGuard): string => {
  switch (g.kind) {
    case 'exists':
      return 'attribute_exists(pk)';
    case 'noReservation':
      return `attribute_not_exists(${b.name(`reservations.${g.projectId}`)})`;
    case 'hasReservation':
      return `attribute_exists(${b.name(`reservations.${g.projectId}`)})`;
    case 'reservationIs':
      return `${b.name(`reservations.${g.projectId}`)} = ${b.value(g.fen)}`;
    case 'noPayment':
      return `attribute_not_exists(${b.name(`payments.${g.key}`)})`;
    case 'availableAtLeast':
      return `${b.name('availableFen')} >= ${b.value(g.fen)}`;
    case 'reservedAtMost':
      return `${b.name('reservedFen')} <= ${b.value(g.fen)}`;
  }
};

/**
 * Executes a write the domain ledger decided (domain/ledger.ts) as one conditional
 * update: every guard a condition, every amount an increment. Returns the allocation
 * afterwards, or undefined when a guard failed; nothing changed then.
 */
const writeLedger = async (
  fund: Fund,
  w: LedgerWrite,
  now: Date,
  extra: Record<string, unknown> = {},
): Promise<Allocation | undefined> => {
  const b = new UpdateBuilder();
  if (w.reservedDelta !== undefined)
    b.increment('reservedFen', w.reservedDelta).increment('availableFen', -w.reservedDelta);
  if (w.paidDelta !== undefined) b.increment('paidFen', w.paidDelta);
  if (w.reservation) b.set({ [`reservations.${w.reservation.projectId}`]: w.reservation.fen });
  if (w.payment) b.set({ [`payments.${w.payment.key}`]: w.payment.fen });
  if (w.amountFen !== undefined) {
    b.set({ amountFen: w.amountFen });
    b.setRaw(`${b.name('availableFen')} = ${b.value(w.amountFen)} - ${b.name('reservedFen')}`);
  }
  b.set({ ...extra, updatedAt: now.toISOString() });
  for (const g of w.guards) b.condition(conditionOf(b, g));
  try {
    const out = await runtime().ddb.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key(fund.year, fund.streetId, fund.communityId),
        ...b.build(),
        ReturnValues: 'ALL_NEW',
      }),
    );
    return out.Attributes as Allocation;
  } catch (e) {
    if (!isConditionFailure(e)) throw e;
    return undefined;
  }
};

/** An allocation's place: its year, street and community (or the pool). */
export type Fund = { year: number; streetId: string; communityId: string };

const read = (f: Fund) => getAllocation(f.year, f.streetId, f.communityId);

const plan = (w: LedgerWrite | LedgerRefusal): LedgerWrite => {
  if ('code' in w) throw new RangeError(`a ledger write was asked with ${JSON.stringify(w)}`);
  return w;
};

export type SetResult = { ok: true; allocation: Allocation } | { ok: false; reservedFen: number };

/**
 * Sets the amount; refused when it would drop below what is already reserved. A community's
 * allocation is usually set once, at the start of the year: it is put as new first, and
 * only when one is there already is the amount changed by an update.
 */
export const setAllocation = async (
  a: Pick<Allocation, 'year' | 'communityId' | 'streetId' | 'amountFen' | 'sources'>,
  now: Date,
): Promise<SetResult> => {
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
    if (!isConditionFailure(e)) throw e;
  }
  const allocation = await writeLedger(a, plan(setAmountWrite(a.amountFen)), now, { sources: a.sources });
  if (allocation) return { ok: true, allocation };
  const existing = await read(a);
  if (existing) return { ok: false, reservedFen: existing.reservedFen };
  // Refused as an update for want of the item, refused as new for having one: never both at once.
  return setAllocation(a, now);
};

export type ReserveResult =
  | { ok: true }
  | { ok: false; reason: 'NO_ALLOCATION' }
  | { ok: false; reason: 'INSUFFICIENT_FUNDS'; availableFen: number };

/** A refused reservation write as the commands see it: done before (success), no allocation, or not enough money. */
const reserveResult = (why: Explained, a: Allocation | undefined): ReserveResult => {
  if (why === 'done') return { ok: true };
  if (!a || why.code === 'NO_ALLOCATION') return { ok: false, reason: 'NO_ALLOCATION' };
  return { ok: false, reason: 'INSUFFICIENT_FUNDS', availableFen: a.availableFen };
};

/** Reserves a project's fund share: atomic, and idempotent for the same project and amount. */
export const reserve = async (fund: Fund, projectId: string, fen: number, now: Date): Promise<ReserveResult> => {
  if (await writeLedger(fund, plan(reserveWrite(projectId, fen)), now)) return { ok: true };
  const a = await read(fund);
  return reserveResult(explainReserve(stateOf(a), projectId, fen), a);
};

/** Moves a reservation to a new amount (a contract, a change request). */
export const changeReservation = async (
  fund: Fund,
  projectId: string,
  fromFen: number,
  toFen: number,
  now: Date,
): Promise<ReserveResult> => {
  if (await writeLedger(fund, plan(moveReservationWrite(projectId, fromFen, toFen)), now)) return { ok: true };
  const a = await read(fund);
  return reserveResult(explainMove(stateOf(a), projectId, fromFen, toFen), a);
};

/** Frees the unpaid part of a project's reservation (failed at year end); the paid part stays. */
export const releaseUnpaid = async (fund: Fund, projectId: string, now: Date): Promise<void> => {
  // The release is guarded by the reservation read; a racing change of it means read again.
  for (let attempt = 0; attempt < 5; attempt++) {
    const w = releaseWrite(stateOf(await read(fund)), projectId);
    if (!w || (await writeLedger(fund, w, now))) return;
  }
  throw new Error(`could not release the reservation of ${projectId}: it kept changing`);
};

/** Records the payment of tranche n; a retry of the same payment changes nothing. */
export const pay = async (fund: Fund, projectId: string, n: number, fen: number, now: Date): Promise<boolean> => {
  if (await writeLedger(fund, plan(payWrite(projectId, n, fen)), now)) return true;
  return explainPay(stateOf(await read(fund)), projectId, n, fen) === 'done';
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
export const paidOf = (a: Allocation, projectId: string): number => paidForProject(stateOf(a)!, projectId);

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

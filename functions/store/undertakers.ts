import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { runtime } from '../runtime.ts';
import type { Actor } from '../domain/project.ts';
import {
  UpdateBuilder,
  decodePageToken,
  encodePageToken,
  isConditionFailure,
  tableName,
  withoutKeys,
} from './table.ts';

/*
 * The district's register of undertakers (承接方).
 *   pk UNDERTAKER  sk UNDERTAKER#<id>       the undertaker, its disqualifications in a map by year
 *   pk UNDERTAKER  sk CREDIT#<creditCode>   claims the credit code, so one body is registered once
 * A district registers hundreds of undertakers, not millions: one partition holds the
 * whole register and the list is one Query.
 */
export type UndertakerKind = 'social_org' | 'enterprise' | 'individual';

export interface Disqualification {
  year: number;
  reason: string;
  at: string;
  by: Actor;
}

export interface Undertaker {
  id: string;
  name: string;
  kind: UndertakerKind;
  creditCode: string;
  registeredAt: string;
  registeredBy: Actor;
  /** Keyed by the year as a string: DynamoDB map keys are strings. */
  disqualifications: Record<string, Disqualification>;
}

const PK = 'UNDERTAKER';
const itemKey = (id: string) => ({ pk: PK, sk: `UNDERTAKER#${id}` });
const creditKey = (code: string) => ({ pk: PK, sk: `CREDIT#${code}` });

export const getUndertaker = async (id: string): Promise<Undertaker | undefined> => {
  const out = await runtime().ddb.send(
    new GetCommand({ TableName: tableName(), Key: itemKey(id), ConsistentRead: true }),
  );
  return out.Item ? strip(out.Item) : undefined;
};

const strip = (item: Record<string, unknown>): Undertaker => withoutKeys<Undertaker>(item);

/** What the public sees of an undertaker, an organisation: its id, name and kind. */
export type UndertakerIdentity = Pick<Undertaker, 'id' | 'name' | 'kind'>;

/** A district registers hundreds; the bound keeps a process's memory flat all the same. */
const IDENTITIES_KEPT = 10_000;
const identities = new Map<string, UndertakerIdentity>();

/**
 * The undertaker's {@link UndertakerIdentity}. Nothing changes a name or a kind once the
 * undertaker is registered (a disqualification changes only its map), so a process keeps
 * each identity it has read and the public project page reads the register once for each.
 */
export const getUndertakerIdentity = async (id: string): Promise<UndertakerIdentity | undefined> => {
  const kept = identities.get(id);
  if (kept) return kept;
  const u = await getUndertaker(id);
  if (!u) return undefined;
  const identity = { id: u.id, name: u.name, kind: u.kind };
  if (identities.size >= IDENTITIES_KEPT) identities.delete(identities.keys().next().value as string);
  identities.set(id, identity);
  return identity;
};

export type RegisterResult = { ok: true; undertaker: Undertaker } | { ok: false; existingId: string };

/**
 * Registers an undertaker unless its credit code is already on the register. The code is
 * claimed first; a claim whose undertaker item is missing (a crash between the two writes)
 * is completed by the next attempt instead of blocking the code for ever.
 */
export const registerUndertaker = async (u: Undertaker): Promise<RegisterResult> => {
  let id = u.id;
  try {
    await runtime().ddb.send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...creditKey(u.creditCode), undertakerId: u.id },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (e) {
    if (!isConditionFailure(e)) throw e;
    const claim = await runtime().ddb.send(
      new GetCommand({ TableName: tableName(), Key: creditKey(u.creditCode), ConsistentRead: true }),
    );
    id = claim.Item?.undertakerId as string;
    if (await getUndertaker(id)) return { ok: false, existingId: id };
  }
  const item: Undertaker = { ...u, id };
  try {
    await runtime().ddb.send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...itemKey(id), ...item },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (e) {
    if (!isConditionFailure(e)) throw e;
    return { ok: false, existingId: id };
  }
  return { ok: true, undertaker: item };
};

export const listUndertakers = async (opts: {
  limit: number;
  nextToken?: string;
}): Promise<{ items: Undertaker[]; nextToken?: string }> => {
  const out = await runtime().ddb.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': PK, ':sk': 'UNDERTAKER#' },
      Limit: opts.limit,
      ExclusiveStartKey: decodePageToken(opts.nextToken),
    }),
  );
  return { items: (out.Items ?? []).map(strip), nextToken: encodePageToken(out.LastEvaluatedKey) };
};

export type DisqualifyResult =
  | { ok: true; undertaker: Undertaker }
  | { ok: false; reason: 'NOT_FOUND' }
  | { ok: false; reason: 'ALREADY'; existing: Disqualification };

/** Bars an undertaker from one year's projects; a year is recorded once, with its first reason. */
export const disqualify = async (id: string, d: Disqualification): Promise<DisqualifyResult> => {
  const b = new UpdateBuilder();
  const entry = `disqualifications.${d.year}`;
  b.set({ [entry]: d });
  b.condition(`attribute_exists(pk) AND attribute_not_exists(${b.name(entry)})`);
  try {
    const out = await runtime().ddb.send(
      new UpdateCommand({ TableName: tableName(), Key: itemKey(id), ...b.build(), ReturnValues: 'ALL_NEW' }),
    );
    return { ok: true, undertaker: strip(out.Attributes!) };
  } catch (e) {
    if (!isConditionFailure(e)) throw e;
  }
  const current = await getUndertaker(id);
  if (!current) return { ok: false, reason: 'NOT_FOUND' };
  return { ok: false, reason: 'ALREADY', existing: current.disqualifications[String(d.year)] };
};

/** Whether the undertaker is barred from projects of that year. */
export const isDisqualified = (u: Pick<Undertaker, 'disqualifications'>, year: number): boolean =>
  !!u.disqualifications?.[String(year)];

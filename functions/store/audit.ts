import { randomBytes } from 'node:crypto';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { runtime } from '../runtime.ts';
import { shanghaiDay } from '../domain/calendar.ts';
import { decodePageToken, encodePageToken, tableName } from './table.ts';

/*
 * Key shape of an audit event:
 *   pk AUDIT#<yyyy-mm-dd>  (the Shanghai day, so an auditor asks for the day as staff know it)
 *   sk <iso time>#<random>  (time order within the day; the random part keeps two events
 *                            of the same millisecond apart)
 * Events are only ever put, with a condition that nothing is there yet; no code path
 * updates or deletes them, and there is no write route for them.
 */
export interface AuditActor {
  sub: string;
  /** A staff role, or `public` for calls without a (valid) token. */
  role: string;
  orgUnitId: string;
}

export interface AuditEvent {
  at: string;
  actor: AuditActor;
  /** The route key, e.g. `POST /v1/projects/{id}/submit`. */
  route: string;
  path: string;
  status: number;
  sourceIp: string;
  requestId?: string;
  idempotencyKey?: string;
}

export const PUBLIC_ACTOR: AuditActor = { sub: 'public', role: 'public', orgUnitId: 'public' };

const partition = (day: string) => `AUDIT#${day}`;

export const appendAudit = async (e: AuditEvent): Promise<void> => {
  const at = new Date(e.at);
  await runtime().ddb.send(
    new PutCommand({
      TableName: tableName(),
      Item: { pk: partition(shanghaiDay(at)), sk: `${at.toISOString()}#${randomBytes(6).toString('hex')}`, ...e },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
};

export interface AuditPage {
  items: (AuditEvent & { id: string })[];
  nextToken?: string;
}

/** Thrown for a page token that this API did not give for that day. */
export class BadAuditToken extends Error {}

export const listAudit = async (day: string, opts: { limit: number; nextToken?: string }): Promise<AuditPage> => {
  let start: Record<string, unknown> | undefined;
  if (opts.nextToken) {
    start = decodePageToken(opts.nextToken);
    // A token of another day (or a forged key) would make DynamoDB refuse the query.
    const keys = start ? Object.keys(start).sort().join(',') : '';
    if (!start || keys !== 'pk,sk' || start.pk !== partition(day) || typeof start.sk !== 'string')
      throw new BadAuditToken();
  }
  const out = await runtime().ddb.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': partition(day) },
      Limit: opts.limit,
      ExclusiveStartKey: start,
    }),
  );
  const items = (out.Items ?? []).map((raw) => {
    const { pk: _pk, sk, ...rest } = raw;
    return { id: sk as string, ...(rest as AuditEvent) };
  });
  return { items, nextToken: encodePageToken(out.LastEvaluatedKey) };
};

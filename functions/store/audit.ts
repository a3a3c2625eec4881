import { randomBytes } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { runtime } from '../runtime.ts';
import { shanghaiDay } from '../domain/calendar.ts';
import { queryAll, tableName } from './table.ts';

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

/** Every audit item of one Shanghai day, in time order (the trail's reader merges them with the folded entries). */
export const listAuditDay = async (day: string): Promise<(AuditEvent & { id: string })[]> =>
  (await queryAll({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': partition(day) } })).map(
    (raw) => {
      const { pk: _pk, sk, ...rest } = raw;
      return { id: sk as string, ...(rest as unknown as AuditEvent) };
    },
  );

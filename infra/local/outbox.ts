import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { NotifyPort, OutgoingMessage } from '../../functions/runtime.ts';
import type { SimClock } from './clock.ts';
import type { LocalStats } from './stats.ts';

/**
 * The local stand-in for SMS and email: every message lands in the table, once per
 * idempotency key, exactly as the queue consumer would send it once in AWS.
 */
export class LocalOutbox implements NotifyPort {
  constructor(
    private readonly ddb: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: SimClock,
    private readonly stats?: LocalStats,
  ) {}

  async enqueue(messages: OutgoingMessage[]): Promise<void> {
    const sentAt = this.clock.now().toISOString();
    for (const m of messages) {
      try {
        await this.ddb.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { pk: 'OUTBOX', sk: `${m.channel}#${m.idempotencyKey}`, gsi1pk: 'OUTBOX', gsi1sk: `${sentAt}#${m.channel}#${m.idempotencyKey}`, ...m, sentAt },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        this.stats?.countMessage(m.channel);
      } catch (e) {
        if ((e as Error).name !== 'ConditionalCheckFailedException') throw e;
      }
    }
  }

  async list(): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.ddb.send(
        new QueryCommand({ TableName: this.tableName, IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :p', ExpressionAttributeValues: { ':p': 'OUTBOX' }, ExclusiveStartKey: start }),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items.map(({ channel, to, template, subject, text, sentAt, idempotencyKey }) => ({ channel, to, template, subject, text, sentAt, idempotencyKey }));
  }
}

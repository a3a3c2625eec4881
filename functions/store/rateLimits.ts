import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { tableName, writeIf } from './table.ts';

/**
 * Fixed-window counters for the public endpoints: one conditional ADD per request, so
 * the limit holds across every Lambda container, and the item expires by TTL.
 * Returns false when the window's limit is already used up.
 */
export const takeToken = async (scope: string, limit: number, windowSeconds: number, now: Date): Promise<boolean> => {
  const window = Math.floor(now.getTime() / 1000 / windowSeconds);
  return writeIf(
    new UpdateCommand({
      TableName: tableName(),
      Key: { pk: `RATE#${scope}`, sk: String(window) },
      UpdateExpression: 'ADD #c :one SET #e = if_not_exists(#e, :exp)',
      ConditionExpression: 'attribute_not_exists(#c) OR #c < :limit',
      ExpressionAttributeNames: { '#c': 'count', '#e': 'expiration' },
      ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':exp': (window + 2) * windowSeconds },
    }),
  );
};

import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { runtime } from '../runtime.ts';
import { isConditionFailure, queryAll, tableName } from './table.ts';

/** Where the idempotency layer (Powertools) keeps its records: one partition, `status` per record. */
const IDEMPOTENCY_PARTITION = 'IDEMPOTENCY';

/**
 * The persistence layer Powertools' idempotency keeps its records in: the product's
 * table, one partition, so the key shapes stay here with every other key.
 */
export const idempotencyPersistenceLayer = (): DynamoDBPersistenceLayer =>
  new DynamoDBPersistenceLayer({
    tableName: tableName(),
    awsSdkV3Client: runtime().rawDdb,
    keyAttr: 'pk',
    sortKeyAttr: 'sk',
    staticPkValue: IDEMPOTENCY_PARTITION,
  });

/**
 * Removes the in-progress marks of requests that died with the process. Only for a start
 * of the local product, where no request of the previous process can still be running:
 * their retries then run at once (every keyed command recognises its own earlier effect)
 * instead of answering "still being processed" until the mark expires. In AWS a Lambda
 * timeout ends the mark instead. Returns how many were removed.
 */
export const releaseInProgressRecords = async (): Promise<number> => {
  const marks = await queryAll<{ pk: string; sk: string }>({
    KeyConditionExpression: 'pk = :pk',
    FilterExpression: '#status = :inProgress',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':pk': IDEMPOTENCY_PARTITION, ':inProgress': 'INPROGRESS' },
    ProjectionExpression: 'pk, sk',
  });
  let released = 0;
  for (const item of marks) {
    try {
      await runtime().ddb.send(
        new DeleteCommand({
          TableName: tableName(),
          Key: { pk: item.pk, sk: item.sk },
          ConditionExpression: '#status = :inProgress',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':inProgress': 'INPROGRESS' },
        }),
      );
      released++;
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
    }
  }
  return released;
};

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { documentSender, type DocumentSender } from '../../functions/documentClient.ts';
import { startLocalDynamo, TABLE_NAME, localStoreClient, type LocalDynamo } from '../../infra/local/dynamo.ts';

/*
 * The product sends lib-dynamodb's commands through documentSender (one client that caches
 * its middleware). Each case here goes through it and through DynamoDBDocumentClient on
 * a client of its own, and both must answer and refuse alike.
 */

let dynamo: LocalDynamo;
let lean: DocumentSender;
let reference: DynamoDBDocumentClient;
let plain: DynamoDBClient;

beforeAll(async () => {
  dynamo = await startLocalDynamo(undefined);
  lean = documentSender(dynamo.client);
  // DynamoDBDocumentClient refuses a client that caches its middleware.
  plain = localStoreClient(dynamo);
  (plain.config as { cacheMiddleware?: boolean }).cacheMiddleware = false;
  reference = DynamoDBDocumentClient.from(plain, { marshallOptions: { removeUndefinedValues: true } });
});
afterAll(async () => {
  plain?.destroy();
  await dynamo?.close();
});

/** The answer without what differs between two calls (request ids, timings). */
const answer = (out: Record<string, unknown>) => {
  const { $metadata: _m, ConsumedCapacity: _c, ...rest } = out;
  return rest;
};

const item = (id: string) => ({
  pk: `DOC#${id}`,
  sk: 'ITEM',
  gsi1pk: 'DOCS',
  gsi1sk: id,
  title: '楼道照明改造',
  amountFen: 1_234_567,
  ratio: 0.25,
  ok: true,
  none: null,
  skipped: undefined,
  tags: ['a', 'b'],
  nested: { deep: { list: [1, { x: 'y' }], empty: {} } },
  bytes: new Uint8Array([1, 2, 3]),
  set: new Set(['x', 'y']),
});

describe('documentSender', () => {
  it('writes and reads back the same item as DynamoDBDocumentClient, undefined fields left out', async () => {
    // Act
    await lean.send(new PutCommand({ TableName: TABLE_NAME, Item: item('lean') }));
    await reference.send(new PutCommand({ TableName: TABLE_NAME, Item: item('ref') }));
    const viaLean = await lean.send(new GetCommand({ TableName: TABLE_NAME, Key: { pk: 'DOC#ref', sk: 'ITEM' } }));
    const viaReference = await reference.send(
      new GetCommand({ TableName: TABLE_NAME, Key: { pk: 'DOC#lean', sk: 'ITEM' } }),
    );

    // Assess
    const { pk: _a, gsi1sk: _b, ...a } = viaLean.Item!;
    const { pk: _c, gsi1sk: _d, ...b } = viaReference.Item!;
    expect(a).toEqual(b);
    expect(a).not.toHaveProperty('skipped');
    expect(a.nested).toEqual({ deep: { list: [1, { x: 'y' }], empty: {} } });
    expect(a.set).toEqual(new Set(['x', 'y']));
  });

  it('updates with values and conditions, returns the new item, and refuses a failed condition alike', async () => {
    // Prepare
    const update = (id: string, version: number) =>
      new UpdateCommand({
        TableName: TABLE_NAME,
        Key: { pk: `DOC#${id}`, sk: 'ITEM' },
        UpdateExpression: 'SET #v = :v, nested.deep.#l = list_append(nested.deep.#l, :more)',
        ConditionExpression: 'attribute_not_exists(#v) OR #v < :v',
        ExpressionAttributeNames: { '#v': 'version', '#l': 'list' },
        ExpressionAttributeValues: { ':v': version, ':more': [{ z: [true] }] },
        ReturnValues: 'ALL_NEW',
      });

    // Act
    const leanOut = await lean.send(update('lean', 2));
    const refOut = await reference.send(update('ref', 2));
    const leanRefused = await lean.send(update('lean', 1)).catch((e: Error) => e);
    const refRefused = await reference.send(update('ref', 1)).catch((e: Error) => e);

    // Assess
    expect(leanOut.Attributes?.nested).toEqual(refOut.Attributes?.nested);
    expect(leanOut.Attributes?.version).toBe(2);
    expect((leanRefused as Error).name).toBe('ConditionalCheckFailedException');
    expect((leanRefused as Error).name).toBe((refRefused as Error).name);
  });

  it('pages a query and reads a batch with the same items and keys', async () => {
    // Prepare
    for (let i = 0; i < 5; i++) await lean.send(new PutCommand({ TableName: TABLE_NAME, Item: item(`q${i}`) }));
    const query = (start?: Record<string, unknown>) =>
      new QueryCommand({
        TableName: TABLE_NAME,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :q)',
        ExpressionAttributeValues: { ':pk': 'DOCS', ':q': 'q' },
        Limit: 2,
        ExclusiveStartKey: start,
      });
    const batch = new BatchGetCommand({
      RequestItems: { [TABLE_NAME]: { Keys: [0, 1, 2].map((i) => ({ pk: `DOC#q${i}`, sk: 'ITEM' })) } },
    });

    // Act
    const leanFirst = await lean.send(query());
    const refFirst = await reference.send(query());
    const leanSecond = await lean.send(query(leanFirst.LastEvaluatedKey));
    const leanBatch = await lean.send(batch);
    const refBatch = await reference.send(batch);

    // Assess
    expect(answer(leanFirst)).toEqual(answer(refFirst));
    expect(leanFirst.LastEvaluatedKey).toMatchObject({ gsi1pk: 'DOCS', gsi1sk: 'q1' });
    expect(leanSecond.Items?.map((i) => i.gsi1sk)).toEqual(['q2', 'q3']);
    const ids = (out: typeof leanBatch) => out.Responses?.[TABLE_NAME]?.map((i) => i.pk).sort();
    expect(ids(leanBatch)).toEqual(['DOC#q0', 'DOC#q1', 'DOC#q2']);
    expect(ids(leanBatch)).toEqual(ids(refBatch));
  });

  it('refuses a put over an existing item alike, and deletes', async () => {
    // Prepare
    const putOnce = (id: string) =>
      new PutCommand({ TableName: TABLE_NAME, Item: item(id), ConditionExpression: 'attribute_not_exists(pk)' });
    await lean.send(putOnce('once'));

    // Act
    const leanRefused = await lean.send(putOnce('once')).catch((e: Error) => e);
    const refRefused = await reference.send(putOnce('once')).catch((e: Error) => e);
    await lean.send(new DeleteCommand({ TableName: TABLE_NAME, Key: { pk: 'DOC#once', sk: 'ITEM' } }));
    const gone = await lean.send(new GetCommand({ TableName: TABLE_NAME, Key: { pk: 'DOC#once', sk: 'ITEM' } }));

    // Assess
    expect((leanRefused as Error).name).toBe('ConditionalCheckFailedException');
    expect((leanRefused as Error).name).toBe((refRefused as Error).name);
    expect(gone.Item).toBeUndefined();
  });
});

import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { startLocalDynamo, TABLE_NAME, type LocalDynamo } from '../../infra/local/dynamo.ts';

/*
 * The local store answers as DynamoDB does on the wire: the body's byte length in
 * Content-Length and its CRC-32 in x-amz-crc32, also for text that is not ASCII (the
 * patched dynalite encodes each answer once and takes both from those bytes). A GetItem
 * of a whole item with no capacity asked is answered from the item's stored JSON as it is
 * kept (not decoded and encoded again): it must answer exactly what the decoded path does.
 */

let dynamo: LocalDynamo;

const wire = async (target: string, body: object) => {
  const res = await fetch(dynamo.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `DynamoDB_20120810.${target}`,
      'x-amz-date': '20000101T000000Z',
      authorization:
        'AWS4-HMAC-SHA256 Credential=local/20000101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: JSON.stringify({ TableName: TABLE_NAME, ...body }),
  });
  return { status: res.status, json: JSON.parse(await res.text()) };
};

const ITEM = {
  pk: { S: 'RAW#1' },
  sk: { S: 'ITEM' },
  title: { S: '楼道照明改造' },
  amountFen: { N: '1000000' },
  deadlines: { M: { publicityEndsAt: { S: '2025-03-10T15:59:59.000Z' }, none: { NULL: true } } },
  history: { L: [{ S: '["2025-03-03T01:00:00.000Z","submit"]' }, { BOOL: true }] },
  tags: { SS: ['a', 'b'] },
  '7': { S: 'a name that is an array index' },
};

beforeAll(async () => {
  dynamo = await startLocalDynamo(undefined);
});
afterAll(async () => dynamo?.close());

describe('an answer of the local store', () => {
  it('carries the byte length and the CRC-32 of its body, Chinese text included', async () => {
    // Prepare
    const title = '楼道照明改造，居民议事会同意';
    await dynamo.client.send(
      new PutItemCommand({
        TableName: TABLE_NAME,
        Item: { pk: { S: 'WIRE#1' }, sk: { S: 'ITEM' }, title: { S: title } },
      }),
    );

    // Act
    const res = await fetch(dynamo.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.GetItem',
        'x-amz-date': '20000101T000000Z',
        authorization:
          'AWS4-HMAC-SHA256 Credential=local/20000101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: JSON.stringify({ TableName: TABLE_NAME, Key: { pk: { S: 'WIRE#1' }, sk: { S: 'ITEM' } } }),
    });
    const body = Buffer.from(await res.arrayBuffer());

    // Assess
    expect(res.status).toBe(200);
    expect(JSON.parse(body.toString('utf8')).Item.title.S).toBe(title);
    expect(Number(res.headers.get('content-length'))).toBe(body.length);
    expect(body.length).toBeGreaterThan(body.toString('utf8').length);
    expect(Number(res.headers.get('x-amz-crc32'))).toBe(crc32(body));
  });

  it('answers a GetItem of the whole item with the item as it was written, after an update too', async () => {
    // Prepare
    await dynamo.client.send(new PutItemCommand({ TableName: TABLE_NAME, Item: ITEM }));
    const key = { pk: ITEM.pk, sk: ITEM.sk };

    // Act
    const put = await wire('GetItem', { Key: key, ConsistentRead: true });
    await dynamo.client.send(
      new UpdateItemCommand({
        TableName: TABLE_NAME,
        Key: key,
        UpdateExpression: 'SET amountFen = :a',
        ExpressionAttributeValues: { ':a': { N: '2000000' } },
      }),
    );
    const updated = await wire('GetItem', { Key: key });
    const viaSdk = await dynamo.client.send(new GetItemCommand({ TableName: TABLE_NAME, Key: key }));

    // Assess
    expect(put).toEqual({ status: 200, json: { Item: ITEM } });
    expect(updated.json).toEqual({ Item: { ...ITEM, amountFen: { N: '2000000' } } });
    expect(viaSdk.Item).toEqual({ ...ITEM, amountFen: { N: '2000000' } });
  });

  it('answers a GetItem of a missing item with no Item, and one of a missing table with its error', async () => {
    // Act
    const missing = await wire('GetItem', { Key: { pk: { S: 'RAW#none' }, sk: { S: 'ITEM' } } });
    const noTable = await wire('GetItem', {
      TableName: 'no-such-table',
      Key: { pk: { S: 'RAW#1' }, sk: { S: 'ITEM' } },
    });

    // Assess
    expect(missing).toEqual({ status: 200, json: {} });
    expect(noTable.status).toBe(400);
    expect(noTable.json.__type).toMatch(/ResourceNotFoundException/);
  });

  it('still answers only the projected attributes, and the capacity when it is asked', async () => {
    // Prepare
    await dynamo.client.send(new PutItemCommand({ TableName: TABLE_NAME, Item: { ...ITEM, pk: { S: 'RAW#2' } } }));
    const key = { pk: { S: 'RAW#2' }, sk: ITEM.sk };

    // Act
    const projected = await wire('GetItem', {
      Key: key,
      ProjectionExpression: 'title, #d.publicityEndsAt',
      ExpressionAttributeNames: { '#d': 'deadlines' },
    });
    const priced = await wire('GetItem', { Key: key, ReturnConsumedCapacity: 'TOTAL' });

    // Assess
    expect(projected.json).toEqual({
      Item: { title: ITEM.title, deadlines: { M: { publicityEndsAt: ITEM.deadlines.M.publicityEndsAt } } },
    });
    expect(priced.json.Item).toEqual({ ...ITEM, pk: { S: 'RAW#2' } });
    expect(priced.json.ConsumedCapacity).toEqual({ CapacityUnits: 0.5, TableName: TABLE_NAME });
  });
});

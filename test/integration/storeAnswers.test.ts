import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { startLocalDynamo, TABLE_NAME, type LocalDynamo } from '../../infra/local/dynamo.ts';

/*
 * The local store answers as DynamoDB does on the wire: the body's byte length in
 * Content-Length and its CRC-32 in x-amz-crc32, also for text that is not ASCII (the
 * patched dynalite encodes each answer once and takes both from those bytes).
 */

let dynamo: LocalDynamo;

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
});

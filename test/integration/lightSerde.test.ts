import {
  BatchGetItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { HttpRequest } from '@smithy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withLightSerde } from '../../functions/lightSerde.ts';
import { type LocalDynamo, TABLE_NAME, startLocalDynamo } from '../../infra/local/dynamo.ts';

/*
 * withLightSerde replaces the SDK's serde middleware with ones that hand the protocol the
 * config through a prototype. Each call here goes through a client with it and through the
 * SDK as shipped, over HTTP to the same store, and both must answer and refuse alike.
 */

const clientAt = (endpoint: string, light: boolean) => {
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    cacheMiddleware: true,
  });
  return light ? withLightSerde(client) : client;
};

let dynamo: LocalDynamo;
let light: DynamoDBClient;
let shipped: DynamoDBClient;

beforeAll(async () => {
  dynamo = await startLocalDynamo(undefined);
  light = clientAt(dynamo.endpoint, true);
  shipped = clientAt(dynamo.endpoint, false);
});
afterAll(async () => {
  light?.destroy();
  shipped?.destroy();
  await dynamo?.close();
});

/** The answer without what differs between two calls (request ids, timings). */
const answer = (out: object) => {
  const { $metadata, ...rest } = out as { $metadata: { httpStatusCode?: number } };
  return { ...rest, status: $metadata.httpStatusCode };
};

/** The refusal as a caller sees it: its class, message, status and what the store sent with it. */
const refusal = async (send: Promise<unknown>) => {
  const e = (await send.then(
    () => undefined,
    (err: unknown) => err,
  )) as Error & Record<string, unknown>;
  expect(e).toBeInstanceOf(Error);
  const { $metadata, $response, ...fields } = e as unknown as {
    $metadata: { httpStatusCode?: number };
    $response?: unknown;
  };
  return {
    name: e.name,
    message: e.message,
    status: $metadata.httpStatusCode,
    hasResponse: $response !== undefined,
    fields: { ...fields, $metadata: undefined },
  };
};

const item = (pk: string, n: number) => ({
  pk: { S: pk },
  sk: { S: 'ITEM' },
  gsi1pk: { S: 'LIGHT' },
  gsi1sk: { S: `${pk}` },
  title: { S: '楼道照明改造' },
  amountFen: { N: String(1_234_567 + n) },
  tags: { L: [{ S: 'a' }, { N: '1' }, { BOOL: true }, { NULL: true }] },
  nested: { M: { deep: { M: { bytes: { B: new Uint8Array([1, 2, n]) }, set: { SS: ['x', 'y'] } } } } },
});

describe('withLightSerde', () => {
  it('hands the protocol a context that reads every config key through its prototype', async () => {
    // Prepare
    const client = clientAt(dynamo.endpoint, true);
    const protocol = (client.config as unknown as { protocol: { serializeRequest: (...a: unknown[]) => unknown } })
      .protocol;
    const original = protocol.serializeRequest.bind(protocol);
    const seen: object[] = [];
    protocol.serializeRequest = (op, input, context) => {
      seen.push(context as object);
      return original(op, input, context);
    };

    // Act
    await client.send(new GetItemCommand({ TableName: TABLE_NAME, Key: { pk: { S: 'NONE' }, sk: { S: 'NONE' } } }));

    // Assess
    expect(seen).toHaveLength(1);
    expect(Object.getPrototypeOf(seen[0])).toBe(client.config);
    expect((seen[0] as { region: unknown }).region).toBe(client.config.region);
    client.destroy();
  });

  it('writes, reads, updates and pages through items as the SDK as shipped does', async () => {
    // Prepare
    for (let n = 0; n < 5; n++) {
      await light.send(new PutItemCommand({ TableName: TABLE_NAME, Item: item(`LIGHT#a${n}`, n) }));
      await shipped.send(new PutItemCommand({ TableName: TABLE_NAME, Item: item(`LIGHT#b${n}`, n) }));
    }
    const get = (pk: string) =>
      new GetItemCommand({ TableName: TABLE_NAME, Key: { pk: { S: pk }, sk: { S: 'ITEM' } } });
    const update = (pk: string) =>
      new UpdateItemCommand({
        TableName: TABLE_NAME,
        Key: { pk: { S: pk }, sk: { S: 'ITEM' } },
        UpdateExpression: 'SET amountFen = amountFen + :one',
        ExpressionAttributeValues: { ':one': { N: '1' } },
        ReturnValues: 'ALL_NEW',
      });
    const page = (startKey?: Record<string, never>) =>
      new QueryCommand({
        TableName: TABLE_NAME,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': { S: 'LIGHT' } },
        Limit: 3,
        ExclusiveStartKey: startKey,
      });

    // Act
    const gets = [await light.send(get('LIGHT#b1')), await shipped.send(get('LIGHT#b1'))];
    const crossed = [await light.send(get('LIGHT#b2')), await shipped.send(get('LIGHT#a2'))];
    const updates = [await light.send(update('LIGHT#a3')), await shipped.send(update('LIGHT#a3'))];
    const firstPages = [await light.send(page()), await shipped.send(page())];
    const secondPages = [
      await light.send(page(firstPages[0].LastEvaluatedKey as never)),
      await shipped.send(page(firstPages[1].LastEvaluatedKey as never)),
    ];
    const batches = await Promise.all(
      [light, shipped].map((c) =>
        c.send(
          new BatchGetItemCommand({
            RequestItems: {
              [TABLE_NAME]: { Keys: ['LIGHT#a0', 'LIGHT#b4'].map((pk) => ({ pk: { S: pk }, sk: { S: 'ITEM' } })) },
            },
          }),
        ),
      ),
    );

    // Assess
    expect(answer(gets[0])).toEqual(answer(gets[1]));
    expect(gets[0].Item?.nested).toEqual(item('x', 1).nested);
    const { pk: _a, gsi1sk: _b, ...fromShipped } = crossed[0].Item!;
    const { pk: _c, gsi1sk: _d, ...fromLight } = crossed[1].Item!;
    expect(fromShipped).toEqual(fromLight);
    expect(updates[0].Attributes?.amountFen).toEqual({ N: '1234571' });
    expect(updates[1].Attributes?.amountFen).toEqual({ N: '1234572' });
    expect(answer(firstPages[0])).toEqual(answer(firstPages[1]));
    expect(answer(secondPages[0])).toEqual(answer(secondPages[1]));
    expect([...firstPages[0].Items!, ...secondPages[0].Items!]).toHaveLength(6);
    expect(secondPages[0].LastEvaluatedKey).toBeDefined();
    const sorted = (b: (typeof batches)[number]) =>
      b.Responses?.[TABLE_NAME].map((i) => i.pk.S).sort((x, y) => (x! < y! ? -1 : 1));
    expect(sorted(batches[0])).toEqual(['LIGHT#a0', 'LIGHT#b4']);
    expect(sorted(batches[0])).toEqual(sorted(batches[1]));
  });

  it('refuses failed conditions and an invalid call as the SDK as shipped does', async () => {
    // Prepare
    await shipped.send(new PutItemCommand({ TableName: TABLE_NAME, Item: item('LIGHT#taken', 0) }));
    const conditional = () =>
      new PutItemCommand({
        TableName: TABLE_NAME,
        Item: item('LIGHT#taken', 9),
        ConditionExpression: 'attribute_not_exists(pk)',
      });
    const conditionalUpdate = () =>
      new UpdateItemCommand({
        TableName: TABLE_NAME,
        Key: { pk: { S: 'LIGHT#taken' }, sk: { S: 'ITEM' } },
        UpdateExpression: 'SET amountFen = :none',
        ConditionExpression: 'amountFen > :limit',
        ExpressionAttributeValues: { ':none': { N: '0' }, ':limit': { N: '99999999' } },
      });
    const invalid = () => new GetItemCommand({ TableName: TABLE_NAME, Key: { pk: { S: 'only-half-a-key' } } });

    // Act
    const refusals = await Promise.all(
      [conditional, conditionalUpdate, invalid].flatMap((command) => [
        refusal(light.send(command() as never)),
        refusal(shipped.send(command() as never)),
      ]),
    );

    // Assess
    expect(refusals.map((r) => r.name)).toEqual([
      'ConditionalCheckFailedException',
      'ConditionalCheckFailedException',
      'ConditionalCheckFailedException',
      'ConditionalCheckFailedException',
      'ValidationException',
      'ValidationException',
    ]);
    for (let i = 0; i < refusals.length; i += 2) expect(refusals[i]).toEqual(refusals[i + 1]);
    expect(refusals.every((r) => r.status === 400 && r.hasResponse)).toBe(true);
    const kept = await light.send(
      new GetItemCommand({ TableName: TABLE_NAME, Key: { pk: { S: 'LIGHT#taken' }, sk: { S: 'ITEM' } } }),
    );
    expect(kept.Item).toEqual(item('LIGHT#taken', 0));
  });

  it('leaves the raw answer and its metadata on an answer it cannot read', async () => {
    // Prepare
    const client = withLightSerde(
      new DynamoDBClient({
        endpoint: 'http://127.0.0.1:1',
        region: 'local',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        maxAttempts: 1,
        requestHandler: {
          handle: async (_request: HttpRequest) => ({
            response: {
              statusCode: 200,
              headers: { 'x-amzn-requestid': 'REQ-1' },
              body: Buffer.from('{"Item": {"pk": '),
            },
          }),
          updateHttpClientConfig: () => {},
          httpHandlerConfigs: () => ({}),
        } as never,
      }),
    );

    // Act
    const e = (await client
      .send(new GetItemCommand({ TableName: TABLE_NAME, Key: { pk: { S: 'a' }, sk: { S: 'b' } } }))
      .catch((err: unknown) => err)) as { $response?: { statusCode: number }; $metadata?: Record<string, unknown> };

    // Assess
    expect(e).toBeInstanceOf(Error);
    expect(e.$response?.statusCode).toBe(200);
    expect(e.$metadata).toMatchObject({ httpStatusCode: 200, requestId: 'REQ-1' });
    client.destroy();
  });
});

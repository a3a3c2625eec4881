import type { EventEmitter } from 'node:events';
import { type Socket, connect } from 'node:net';
import { type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentSender } from '../../functions/documentClient.ts';
import { type LocalDynamo, TABLE_NAME, localStoreClient, startLocalDynamo } from '../../infra/local/dynamo.ts';
import { Batcher, FLUSH_AT, StoreLinkHandler, serveStoreLink } from '../../infra/local/storeLink.ts';

interface FakeRes {
  statusCode: number;
  setHeader(name: string, value: string | number): void;
  end(body?: string): void;
}

/** A link server whose answers the test decides, with the sockets it accepted. */
const fakeStore = async (answer: (req: EventEmitter & { headers: Record<string, string> }, res: FakeRes) => void) => {
  const link = await serveStoreLink((req, res) => answer(req as never, res as FakeRes));
  const sockets: Socket[] = [];
  link.server.on('connection', (s) => sockets.push(s));
  return { ...link, sockets };
};

const request = (target: string, body: string) =>
  ({
    method: 'POST',
    protocol: 'http:',
    hostname: '127.0.0.1',
    path: '/',
    query: {},
    headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': target },
    body,
  }) as never;

describe('the store link', () => {
  let store: LocalDynamo;
  beforeAll(async () => {
    store = await startLocalDynamo(undefined);
  });
  afterAll(async () => {
    await store?.close();
  });

  it('answers each of many calls made in one pass of the event loop with its own item', async () => {
    // Prepare
    const ddb = documentSender(store.client);
    const ids = Array.from({ length: 60 }, (_, i) => `LINK#${i}`);
    await Promise.all(
      ids.map((pk, i) => ddb.send(new PutCommand({ TableName: TABLE_NAME, Item: { pk, sk: 'A', n: i } }))),
    );

    // Act
    const got = await Promise.all(
      ids.map((pk) => ddb.send(new GetCommand({ TableName: TABLE_NAME, Key: { pk, sk: 'A' } }))),
    );

    // Assess
    expect(got.map((g) => g.Item?.n)).toEqual(ids.map((_, i) => i));
  });

  it('carries answers larger than one socket read whole', async () => {
    // Prepare: three items of ~300 KB, answered together (~900 KB, many reads of the socket)
    const ddb = documentSender(store.client);
    const text = (i: number) => `${i}`.repeat(300_000 / `${i}`.length);
    const keys = Array.from({ length: 3 }, (_, i) => ({ pk: `BIG#${i}`, sk: 'A' }));
    for (const [i, key] of keys.entries())
      await ddb.send(new PutCommand({ TableName: TABLE_NAME, Item: { ...key, text: text(i) } }));

    // Act
    const got = await ddb.send(new BatchGetCommand({ RequestItems: { [TABLE_NAME]: { Keys: keys } } }));

    // Assess
    const items = (got.Responses?.[TABLE_NAME] ?? []).sort((a, b) => String(a.pk).localeCompare(String(b.pk)));
    expect(got.UnprocessedKeys?.[TABLE_NAME]).toBeUndefined();
    expect(items.map((it) => it.text === text(Number(String(it.pk).slice(4))))).toEqual([true, true, true]);
    expect(items.map((it) => String(it.text).length)).toEqual([300_000, 300_000, 300_000]);
  });

  it('hands the store the call as HTTP would: method, path, headers in lower case, body', async () => {
    // Prepare
    let seen: { method?: string; url?: string; headers?: Record<string, string>; body?: string } = {};
    const fake = await fakeStore((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        seen = {
          method: (req as never as { method: string }).method,
          url: (req as never as { url: string }).url,
          headers: req.headers,
          body,
        };
        res.statusCode = 200;
        res.setHeader('X-Amzn-RequestId', 'r1');
        res.end('{}');
      });
    });
    const handler = new StoreLinkHandler(fake.address);

    // Act
    const { response } = await handler.handle(request('DynamoDB_20120810.GetItem', '{"a":1}'));

    // Assess
    expect(seen).toEqual({
      method: 'POST',
      url: '/',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.GetItem' },
      body: '{"a":1}',
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers).toEqual({ 'x-amzn-requestid': 'r1' });
    expect(Buffer.from(response.body as Uint8Array).toString()).toBe('{}');
    handler.destroy();
    fake.server.close();
  });

  it('reads a call that arrives a byte at a time, its length split too', async () => {
    // Prepare
    const fake = await fakeStore((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => res.end(`echo ${body}`));
    });
    const head = Buffer.from(JSON.stringify({ method: 'POST', path: '/', headers: {} }));
    const body = Buffer.from('{"x":"y"}');
    const frame = Buffer.alloc(12 + head.length + body.length);
    frame.writeUInt32BE(8 + head.length + body.length, 0);
    frame.writeUInt32BE(7, 4);
    frame.writeUInt32BE(head.length, 8);
    head.copy(frame, 12);
    body.copy(frame, 12 + head.length);
    const [host, port] = fake.address.split(':');
    const socket = connect({ host, port: Number(port), noDelay: true });
    const answer = new Promise<Buffer>((resolve) => {
      const got: Buffer[] = [];
      socket.on('data', (d: Buffer) => {
        got.push(d);
        const all = Buffer.concat(got);
        if (all.length >= 4 && all.length >= 4 + all.readUInt32BE(0)) resolve(all);
      });
    });

    // Act
    for (const byte of frame) {
      socket.write(Buffer.from([byte]));
      await new Promise((r) => setImmediate(r));
    }
    const all = await answer;

    // Assess
    expect(all.readUInt32BE(4)).toBe(7);
    expect(all.subarray(12 + all.readUInt32BE(8)).toString()).toBe('echo {"x":"y"}');
    socket.destroy();
    fake.server.close();
  });

  it('fails the calls in flight as a reset connection when the link breaks, and opens a new one for the next', async () => {
    // Prepare: the first call is never answered and its connection is cut
    let calls = 0;
    const fake = await fakeStore((req, res) => {
      req.on('end', () => {
        if (++calls === 1) setImmediate(() => fake.sockets[0].destroy());
        else res.end('{}');
      });
    });
    const handler = new StoreLinkHandler(fake.address);

    // Act
    const first = await handler
      .handle(request('DynamoDB_20120810.GetItem', '{}'))
      .catch((e: NodeJS.ErrnoException) => e);
    const second = await handler.handle(request('DynamoDB_20120810.GetItem', '{}'));

    // Assess
    expect((first as NodeJS.ErrnoException).code).toBe('ECONNRESET');
    expect(second.response.statusCode).toBe(200);
    expect(fake.sockets).toHaveLength(2);
    handler.destroy();
    fake.server.close();
  });

  it('lets the SDK retry a call whose link broke, as it retries a reset HTTP connection', async () => {
    // Prepare
    let calls = 0;
    const fake = await fakeStore((req, res) => {
      req.on('end', () => {
        if (++calls === 1) return setImmediate(() => fake.sockets[0].destroy());
        res.setHeader('Content-Type', 'application/x-amz-json-1.0');
        res.end(JSON.stringify({ Item: { pk: { S: 'P' } } }));
      });
    });
    const client: DynamoDBClient = localStoreClient({ endpoint: 'http://127.0.0.1:1', link: fake.address });

    // Act
    const got = await client.send(new GetItemCommand({ TableName: TABLE_NAME, Key: { pk: { S: 'P' } } }));

    // Assess
    expect(got.Item).toEqual({ pk: { S: 'P' } });
    expect(got.$metadata.attempts).toBe(2);
    client.destroy();
    fake.server.close();
  });

  it('sends what dynalite reads (the operation, a SigV4 header, the body) and leaves out what only AWS reads', async () => {
    // Prepare
    let seen: Record<string, string> = {};
    const fake = await fakeStore((req, res) => {
      seen = req.headers;
      req.on('end', () => {
        res.setHeader('Content-Type', 'application/x-amz-json-1.0');
        res.end('{}');
      });
    });
    const client = localStoreClient({ endpoint: 'http://127.0.0.1:1', link: fake.address });
    process.env._X_AMZN_TRACE_ID = 'Root=1-5759e988-bd862e3fe1be46a994272793';
    process.env.AWS_LAMBDA_FUNCTION_NAME = 'would-be-lambda';

    // Act
    await client.send(new GetItemCommand({ TableName: TABLE_NAME, Key: { pk: { S: 'P' } } }));

    // Assess
    expect(seen['x-amz-target']).toBe('DynamoDB_20120810.GetItem');
    expect(seen.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=/);
    expect(seen['content-type']).toBe('application/x-amz-json-1.0');
    expect(seen).not.toHaveProperty('x-amz-user-agent');
    expect(seen).not.toHaveProperty('user-agent');
    expect(seen).not.toHaveProperty('x-amzn-trace-id');
    delete process.env._X_AMZN_TRACE_ID;
    delete process.env.AWS_LAMBDA_FUNCTION_NAME;
    client.destroy();
    fake.server.close();
  });

  it('writes a batch as soon as FLUSH_AT frames wait, and the rest at the next check of the event loop', async () => {
    // Prepare
    const writes: Buffer[] = [];
    const batcher = new Batcher({ destroyed: false, write: (b: Buffer) => writes.push(b) > 0 } as never);
    const frames = Array.from({ length: 2 * FLUSH_AT + 1 }, (_, i) => Buffer.from([i]));

    // Act
    for (const f of frames) batcher.push(f);
    const beforeCheck = writes.map((w) => [...w]);
    await new Promise((resolve) => setImmediate(resolve));

    // Assess
    const byFrame = (from: number, to: number) => frames.slice(from, to).map((f) => f[0]);
    expect(beforeCheck).toEqual([byFrame(0, FLUSH_AT), byFrame(FLUSH_AT, 2 * FLUSH_AT)]);
    expect(writes.map((w) => [...w])).toEqual([...beforeCheck, byFrame(2 * FLUSH_AT, 2 * FLUSH_AT + 1)]);
  });

  it('writes nothing more at the check when every frame went out in a full batch', async () => {
    // Prepare
    const writes: Buffer[] = [];
    const batcher = new Batcher({ destroyed: false, write: (b: Buffer) => writes.push(b) > 0 } as never);

    // Act
    for (let i = 0; i < FLUSH_AT; i++) batcher.push(Buffer.from([i]));
    await new Promise((resolve) => setImmediate(resolve));

    // Assess
    expect(writes).toHaveLength(1);
    expect([...writes[0]]).toEqual(Array.from({ length: FLUSH_AT }, (_, i) => i));
  });
});

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetItemCommand, PutItemCommand, type PutItemCommandOutput } from '@aws-sdk/client-dynamodb';
import { startLocalDynamo, TABLE_NAME, type LocalDynamo } from '../../infra/local/dynamo.ts';
import { LocalStats, instrumentDynamo } from '../../infra/local/stats.ts';
import { readRecordedCalls } from '../../infra/local/callRecord.ts';
import { tagStoreCalls, taggingRequests } from '../../infra/local/requestTag.ts';

/*
 * What the bench counts and records (LOCAL_STATS=1, LOCAL_STORE_RECORD_CALLS): priced
 * calls carry their capacity units, unpriced ones are only counted and ask the store for
 * nothing more; every call the store answers is recorded with the request it served and
 * when it arrived and was answered, so that a replay sends a request's calls as the
 * product did.
 */

const record = join(mkdtempSync(join(tmpdir(), 'cf-record-')), 'calls.tsv');
let dynamo: LocalDynamo;
const stats = new LocalStats();
const seen: PutItemCommandOutput[] = [];

beforeAll(async () => {
  process.env.LOCAL_STORE_RECORD_CALLS = record;
  dynamo = await startLocalDynamo(undefined);
  instrumentDynamo(dynamo.client, stats);
  tagStoreCalls(dynamo.client);
  dynamo.client.middlewareStack.add(
    (next) => async (args) => {
      const out = await next(args);
      seen.push(out.output as PutItemCommandOutput);
      return out;
    },
    { step: 'initialize', name: 'testSeen', priority: 'low' },
  );
});
afterAll(async () => {
  delete process.env.LOCAL_STORE_RECORD_CALLS;
  await dynamo?.close();
});

const put = (n: number) =>
  dynamo.client.send(
    new PutItemCommand({
      TableName: TABLE_NAME,
      Item: { pk: { S: `COUNT#${n}` }, sk: { S: 'ITEM' }, text: { S: 'x'.repeat(3000) } },
    }),
  );

/**
 * The record once it holds at least `lines` calls and the store has stopped appending to
 * it: the store writes a call's line as it answers, so the line may land after the answer.
 */
const settled = async (lines = 0) => {
  let last = -1;
  for (let i = 0; i < 250; i++) {
    const calls = readRecordedCalls(readFileSync(record, 'utf8'));
    if (calls.length >= lines && calls.length === last) return calls;
    last = calls.length;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the store did not record its calls');
};

describe('the bench counts', () => {
  it('price each call while pricing, and only count it when not', async () => {
    // Prepare
    stats.reset();

    // Act
    await put(1);
    stats.pricing = false;
    await put(2);
    stats.pricing = true;

    // Assess
    const counted = stats.snapshot().store.PutItemCommand;
    expect(counted.calls).toBe(2);
    // 3 KB: 3 write units for the priced put, none for the other, which asked for none.
    expect(counted.units).toBe(3);
    expect(seen.at(-2)?.ConsumedCapacity?.CapacityUnits).toBe(3);
    expect(seen.at(-1)?.ConsumedCapacity).toBeUndefined();
  });
});

describe('the store record', () => {
  it('holds each call with the request it served, and when it arrived and was answered', async () => {
    // Prepare
    const before = (await settled()).length;
    const serve = taggingRequests(async () => {
      await put(10);
      await Promise.all([
        dynamo.client.send(
          new GetItemCommand({ TableName: TABLE_NAME, Key: { pk: { S: 'COUNT#10' }, sk: { S: 'ITEM' } } }),
        ),
        put(11),
      ]);
    });

    // Act
    await serve();
    await serve();
    await put(12);

    // Assess
    const calls = (await settled(before + 7)).slice(before);
    expect(calls.map((c) => c.operation)).toHaveLength(7);
    const [first, second] = [calls.slice(0, 3), calls.slice(3, 6)];
    for (const request of [first, second]) {
      expect(new Set(request.map((c) => c.request)).size).toBe(1);
      // The put went first and was answered before the two sent together arrived.
      const [lead, ...together] = request;
      expect(lead.operation).toBe('PutItem');
      for (const c of together) expect(c.arrived).toBeGreaterThan(lead.answered);
      expect(Math.max(...together.map((c) => c.arrived))).toBeLessThan(Math.min(...together.map((c) => c.answered)));
    }
    expect(first[0].request).not.toBe(second[0].request);
    // A call outside any request carries none.
    expect(calls[6].request).toBe('');
    expect(calls.every((c) => c.status === 200 && JSON.parse(c.body).TableName === TABLE_NAME)).toBe(true);
  });
});

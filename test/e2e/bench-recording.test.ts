import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRecordedCalls } from '../../infra/local/callRecord.ts';
import type { LocalStatsSnapshot } from '../../infra/local/stats.ts';
import { startProduct, type Running } from '../support/localServer.ts';

/*
 * The product as the bench starts it (LOCAL_STATS=1, LOCAL_STORE_RECORD_CALLS): the counts
 * can be switched to calls only, a bad switch changes nothing, and every store call a request
 * makes reaches the store's record with that request's number.
 */

const record = join(mkdtempSync(join(tmpdir(), 'cf-record-')), 'calls.tsv');
let product: Running;

beforeAll(async () => {
  const saved = { stats: process.env.LOCAL_STATS, record: process.env.LOCAL_STORE_RECORD_CALLS };
  process.env.LOCAL_STATS = '1';
  process.env.LOCAL_STORE_RECORD_CALLS = record;
  try {
    product = await startProduct();
  } finally {
    process.env.LOCAL_STATS = saved.stats;
    process.env.LOCAL_STORE_RECORD_CALLS = saved.record;
    if (saved.stats === undefined) delete process.env.LOCAL_STATS;
    if (saved.record === undefined) delete process.env.LOCAL_STORE_RECORD_CALLS;
  }
}, 60_000);
afterAll(async () => product?.stop());

const stats = async (body?: unknown) => {
  const res = await fetch(`${product.baseUrl}/local/stats`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

const recorded = () => readRecordedCalls(readFileSync(record, 'utf8'));

/** The record once the store has stopped appending to it (it appends as it answers). */
const settled = async () => {
  let last = -1;
  for (;;) {
    const calls = recorded();
    if (calls.length === last) return calls;
    last = calls.length;
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe('the product as the bench runs it', () => {
  it('refuses a pricing switch that is not a boolean, naming the field, and keeps its counts', async () => {
    // Prepare
    await fetch(`${product.baseUrl}/v1/public/projects/none`);
    const before = (await stats()).body as unknown as LocalStatsSnapshot;

    // Act
    const refused = await stats({ pricing: 'off' });

    // Assess
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ path: 'pricing', message: 'a boolean' }]);
    const after = (await stats()).body as unknown as LocalStatsSnapshot;
    expect(after.store).toEqual(before.store);
  });

  it('counts calls without pricing them once asked, and records each with the request it served', async () => {
    // Prepare
    expect((await stats({ pricing: false })).status).toBe(200);
    const from = (await settled()).length;

    // Act
    const first = await fetch(`${product.baseUrl}/v1/public/projects/none-1`);
    const second = await fetch(`${product.baseUrl}/v1/public/projects/none-2`);

    // Assess
    expect([first.status, second.status]).toEqual([404, 404]);
    const counted = ((await stats()).body as unknown as LocalStatsSnapshot).store;
    const calls = Object.values(counted).reduce((n, c) => n + c.calls, 0);
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(Object.values(counted).reduce((n, c) => n + c.units, 0)).toBe(0);
    const lines = (await settled()).slice(from);
    expect(lines).toHaveLength(calls);
    const requests = new Set(lines.map((c) => c.request));
    expect(requests.size).toBe(2);
    expect(requests.has('')).toBe(false);
    for (const c of lines) expect(JSON.parse(c.body).ReturnConsumedCapacity).toBeUndefined();
  });
});

describe('the record paused while the bench measures the product', () => {
  it('refuses a recording switch that is not a boolean, naming the field', async () => {
    // Act
    const refused = await stats({ recording: 'off' });

    // Assess
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ path: 'recording', message: 'a boolean' }]);
  });

  it('records nothing and numbers no request while paused, and records again once resumed', async () => {
    // Prepare
    const from = (await settled()).length;
    expect((await stats({ recording: false })).status).toBe(200);

    // Act
    const paused = await fetch(`${product.baseUrl}/v1/public/projects/paused-1`);
    const whilePaused = (await settled()).length;
    const counted = ((await stats()).body as unknown as LocalStatsSnapshot).store;
    expect((await stats({ recording: true })).status).toBe(200);
    const resumed = await fetch(`${product.baseUrl}/v1/public/projects/resumed-1`);

    // Assess
    expect(paused.status).toBe(404);
    expect(paused.headers.get('x-local-request')).toBeNull();
    expect(Object.values(counted).reduce((n, c) => n + c.calls, 0)).toBeGreaterThanOrEqual(1);
    expect(whilePaused).toBe(from);
    expect(resumed.headers.get('x-local-request')).toMatch(/^\d+$/);
    const lines = (await settled()).slice(from);
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(new Set(lines.map((c) => c.request))).toEqual(new Set([resumed.headers.get('x-local-request')]));
    expect(lines.every((c) => c.body.includes('resumed-1'))).toBe(true);
  });
});

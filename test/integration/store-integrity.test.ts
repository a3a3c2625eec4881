import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AbstractLevel } from 'abstract-level';
import { GetItemCommand, PutItemCommand, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalDynamo, TABLE_NAME, type LocalDynamo } from '../../infra/local/dynamo.ts';
import { LmdbLevel } from '../../infra/local/lmdbLevel.ts';

const root = resolve(import.meta.dirname, '../..');
const key = (pk: string, sk = 'A') => ({ pk: { S: pk }, sk: { S: sk } });

describe('the local store (dynalite on LMDB, patched on install)', () => {
  let store: LocalDynamo;
  beforeAll(async () => {
    store = await startLocalDynamo(undefined);
  });
  afterAll(async () => store?.close());

  it('closes the iterator behind every Query, also when a page stops early', async () => {
    // Prepare: count iterators opened and closed on the engine under dynalite
    const counts = { opened: 0, closed: 0 };
    const proto = AbstractLevel.prototype as unknown as Record<string, (...a: unknown[]) => { close(): Promise<void> }>;
    const originals = { values: proto.values, keys: proto.keys };
    for (const name of ['values', 'keys'] as const) {
      proto[name] = function (this: unknown, ...a: unknown[]) {
        const it = originals[name].apply(this, a);
        counts.opened++;
        const close = it.close.bind(it);
        it.close = async () => {
          counts.closed++;
          return close();
        };
        return it;
      };
    }
    try {
      for (let i = 0; i < 20; i++)
        await store.client.send(new PutItemCommand({ TableName: TABLE_NAME, Item: { ...key('Q', `i${i}`) } }));
      // Act: full pages and pages cut short by a Limit
      for (let q = 0; q < 20; q++) {
        await store.client.send(
          new QueryCommand({
            TableName: TABLE_NAME,
            KeyConditionExpression: 'pk = :p',
            ExpressionAttributeValues: { ':p': { S: 'Q' } },
          }),
        );
        await store.client.send(
          new QueryCommand({
            TableName: TABLE_NAME,
            KeyConditionExpression: 'pk = :p',
            ExpressionAttributeValues: { ':p': { S: 'Q' } },
            Limit: 5,
          }),
        );
      }
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      Object.assign(proto, originals);
    }
    // Assess: dynalite 4.0.0 as published closes none of them
    expect(counts.opened).toBeGreaterThanOrEqual(40);
    expect(counts.closed).toBe(counts.opened);
  });

  it('counts item size in UTF-8 bytes, as DynamoDB does', async () => {
    // Prepare: 140,000 CJK characters are 420,000 UTF-8 bytes but only 140,000 UTF-16 units
    const tooBig = '经'.repeat(140_000);
    const fits = '经'.repeat(130_000);
    // Act
    const outcome = (p: Promise<unknown>) =>
      p.then(
        () => 'accepted',
        (e: Error) => e.message,
      );
    const refused = await outcome(
      store.client.send(new PutItemCommand({ TableName: TABLE_NAME, Item: { ...key('BIG'), text: { S: tooBig } } })),
    );
    await store.client.send(new PutItemCommand({ TableName: TABLE_NAME, Item: { ...key('FITS'), text: { S: fits } } }));
    const grown = await outcome(
      store.client.send(
        new UpdateItemCommand({
          TableName: TABLE_NAME,
          Key: key('FITS'),
          UpdateExpression: 'SET more = :m',
          ExpressionAttributeValues: { ':m': { S: '经'.repeat(8_000) } },
        }),
      ),
    );
    // Assess
    expect(refused).toMatch(/size/);
    expect(grown).toMatch(/size/);
    const kept = await store.client.send(new GetItemCommand({ TableName: TABLE_NAME, Key: key('FITS') }));
    expect(kept.Item?.text?.S?.length).toBe(130_000);
    expect(kept.Item?.more).toBeUndefined();
  });

  it('reads from LMDB no more entries than a limited range delivers, and delivers them in order', async () => {
    // Prepare: 100 entries, and a count of the entries LMDB hands the engine
    const dir = mkdtempSync(join(tmpdir(), 'cf-engine-'));
    const db = new LmdbLevel(join(dir, 'store.mdb'), { valueEncoding: 'json' });
    await db.open();
    for (let i = 0; i < 100; i++) await db.put(`k~${String(i).padStart(3, '0')}`, { i });
    const engine = (db as unknown as { store: { getRange: (o: unknown) => Iterable<unknown> } }).store;
    const getRange = engine.getRange.bind(engine);
    let pulled = 0;
    engine.getRange = (o) => [...getRange(o)].map((e) => (pulled++, e));
    const read = async (range: Record<string, unknown>) => {
      pulled = 0;
      const seen: number[] = [];
      for await (const v of db.values(range)) seen.push((v as { i: number }).i);
      return { seen, pulled };
    };
    const upTo = (n: number, from = 0) => Array.from({ length: n }, (_, j) => from + j);
    // Act
    const one = await read({ gte: 'k~', limit: 1 });
    const five = await read({ gt: 'k~010', limit: 5 });
    const seventy = await read({ gte: 'k~', limit: 70 });
    const lastThree = await read({ lt: 'k~~', reverse: true, limit: 3 });
    const all = await read({ gte: 'k~' });
    await db.close();
    rmSync(dir, { recursive: true, force: true });
    // Assess: each limited read took what it delivered from LMDB, and the entries are the range's first
    expect(one).toEqual({ seen: [0], pulled: 1 });
    expect(five).toEqual({ seen: upTo(5, 11), pulled: 5 });
    expect(seventy).toEqual({ seen: upTo(70), pulled: 70 });
    expect(lastThree).toEqual({ seen: [99, 98, 97], pulled: 3 });
    expect(all.seen).toEqual(upTo(100));
  });

  it('never returns an older version of an item while snapshots are pinned and items are rewritten', async () => {
    // Prepare: the pattern that made LevelDB 1.20 return old versions: one snapshot held for
    // the whole run while 5-12 KB items are rewritten many times and ranges are read
    const dir = mkdtempSync(join(tmpdir(), 'cf-engine-'));
    const db = new LmdbLevel(join(dir, 'store.mdb'), { valueEncoding: 'json' });
    await db.open();
    const pinned = db.snapshot();
    const last = new Map<string, number>();
    const stale: string[] = [];
    const body = () => 'b'.repeat(5_000 + Math.floor(Math.random() * 7_000));
    // Act
    const writer = async (w: number) => {
      for (let round = 0; round < 25; round++) {
        for (let i = 0; i < 10; i++) {
          const k = `item~${w}/${i}`;
          const cur = (await db.get(k)) as { v: number } | undefined;
          if ((cur?.v ?? 0) !== (last.get(k) ?? 0)) stale.push(`${k}: read ${cur?.v}, last written ${last.get(k)}`);
          await db.put(k, { v: (cur?.v ?? 0) + 1, body: body() });
          last.set(k, (cur?.v ?? 0) + 1);
        }
      }
    };
    const reader = async () => {
      for (let q = 0; q < 100; q++) for await (const _ of db.values({ gte: `item~${q % 8}`, limit: 30 }));
    };
    await Promise.all([...Array.from({ length: 8 }, (_, w) => writer(w)), reader(), reader()]);
    for (const [k, v] of last)
      if (((await db.get(k)) as { v: number }).v !== v) stale.push(`${k}: final read differs from ${v}`);
    await pinned.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
    // Assess
    expect(last.size).toBe(80);
    expect(stale).toEqual([]);
  });
});

describe('the local store across kill -9', () => {
  it('keeps every acknowledged write, and an item and its index entries never disagree', async () => {
    // Prepare
    const dataDir = mkdtempSync(join(tmpdir(), 'cf-store-crash-'));
    const items = 20;
    const acked = new Map<number, number>();
    // Act: a writer process killed at 10 random moments, each time restarted on the same data
    for (let kill = 0; kill < 10; kill++) {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'test/support/storeCrashChild.ts', dataDir, String(items)],
        { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let out = '';
      await new Promise<void>((ready, failed) => {
        child.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('ready\n')) ready();
        });
        child.once('exit', (code) => failed(new Error(`writer exited with ${code}`)));
      });
      await new Promise((r) => setTimeout(r, 150 + Math.floor(Math.random() * 600)));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('close', r));
      for (const [, i, v] of out.matchAll(/^ack (\d+) (\d+)$/gm))
        acked.set(Number(i), Math.max(acked.get(Number(i)) ?? 0, Number(v)));
    }
    const store = await startLocalDynamo(dataDir);
    const problems: string[] = [];
    try {
      for (let i = 0; i < items; i++) {
        const item = (
          await store.client.send(
            new GetItemCommand({ TableName: TABLE_NAME, Key: key(`ITEM#${i}`), ConsistentRead: true }),
          )
        ).Item;
        const v = Number(item?.v?.N ?? 0);
        if (v < (acked.get(i) ?? 0)) problems.push(`ITEM#${i}: version ${v} after ${acked.get(i)} was acknowledged`);
        const partitions: string[] = [];
        for (let p = 0; p < 3; p++) {
          const hits = await store.client.send(
            new QueryCommand({
              TableName: TABLE_NAME,
              IndexName: 'gsi1',
              KeyConditionExpression: 'gsi1pk = :p AND gsi1sk = :s',
              ExpressionAttributeValues: { ':p': { S: `PART#${p}` }, ':s': { S: `ITEM#${i}` } },
            }),
          );
          // The index projects `year`, which the writer sets to the version in the same write.
          for (const h of hits.Items ?? []) partitions.push(`PART#${p} v${h.year?.N}`);
        }
        const expected = item ? [`${item.gsi1pk?.S} v${v}`] : [];
        if (JSON.stringify(partitions) !== JSON.stringify(expected))
          problems.push(`ITEM#${i}: item says ${expected}, index holds ${partitions}`);
      }
    } finally {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
    // Assess
    expect([...acked.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(items);
    expect(problems).toEqual([]);
  }, 180_000);
});

import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { writeFileSync } from 'node:fs';
import { DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { TABLE_NAME, localStoreClient, storeAddressIn, type StoreAddress } from '../infra/local/dynamo.ts';
import { LocalStats, cpuMsOf, instrumentDynamo } from '../infra/local/stats.ts';
import { PRODUCT_NODE_FLAGS, cpuMsOfChild, firstSaid, storeNodeArgs } from '../infra/local/command.ts';
import { BenchClient, Latencies, answerHeadersOf, pool, round, type Exchange } from './client.ts';
import { scratchDir } from './product.ts';
import type { Progress } from './progress.ts';
import { replayCalls, type ReplayResult, type ReplayTally } from './replay.ts';
import type { RecordedCall } from '../infra/local/callRecord.ts';

const root = resolve(import.meta.dirname, '..');

export interface Store {
  client: DynamoDBClient;
  /** Where the store listens, for another process to reach it with the same client. */
  at: StoreAddress;
  /** CPU time the store's process has used so far, in ms. */
  cpuMs(): Promise<number>;
  stop(): void;
}

/**
 * dynalite on a fresh directory in a child process, reached through the real SDK client.
 * With `asRecorded`, the client sends each call as it is given: a replay's calls ask for
 * their capacity where the product's did (the year, priced) and not where it did not (the
 * loads), so the store does for each what it did for the product.
 */
export const startStore = async (opts: { asRecorded?: boolean } = {}): Promise<Store> => {
  const dir = scratchDir('cf-bench-store-');
  const child = spawn(process.execPath, storeNodeArgs(dir), {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  process.once('exit', () => child.exitCode === null && child.kill('SIGKILL'));
  const at = await firstSaid(child, storeAddressIn, 'the store');
  // The product's own client of the local store, counted as the bench counts the product's
  // (ConsumedCapacity asked on every call unless `asRecorded`), so that a floor of fresh
  // writes pays what the product paid per call in its priced year.
  const client = localStoreClient(at);
  const stats = new LocalStats();
  stats.pricing = !opts.asRecorded;
  instrumentDynamo(client, stats);

  return {
    client,
    at,
    cpuMs: () => cpuMsOfChild(child),
    stop: () => {
      client.destroy();
      if (child.exitCode === null) child.kill('SIGTERM');
    },
  };
};

/** An item about as large as the product's average write, with the index keys a project has. */
const itemOf = (i: number, bytes: number) => ({
  pk: { S: `PROJECT#floor-${i}` },
  sk: { S: 'PROJECT' },
  gsi1pk: { S: `COMMUNITY#c${i % 60}#2025` },
  gsi1sk: { S: `2025-03-03T01:00:00.000Z#${i}` },
  gsi2pk: { S: `STREET#s${i % 6}#2025` },
  gsi2sk: { S: `2025-03-03T01:00:00.000Z#${i}` },
  gsi3pk: { S: 'OPEN' },
  gsi3sk: { S: `2025-03-10T15:59:59.000Z#${i}` },
  body: { S: 'x'.repeat(Math.max(0, bytes - 300)) },
  version: { N: '1' },
});

export interface FloorResult {
  writes: number;
  /** Consistent reads among the calls (0 for the floor of writes alone). */
  reads: number;
  concurrency: number;
  wallMs: number;
  writesPerSecond: number;
}

/**
 * The same number of writes as the product made, straight to the embedded store at the
 * same concurrency: a put for each item, then conditional updates of the same items, in
 * the proportion the product had, the same share of them returning the whole item as the
 * product's updates asked for it (`returnedShare`). With `reads`, as many consistent reads
 * of those items are interleaved: the floor of all the product's store calls, not only its writes.
 */
export const runWriteFloor = async (
  store: Store,
  writes: number,
  puts: number,
  bytes: number,
  concurrency: number,
  progress: Progress,
  reads = 0,
  returnedShare = 1,
): Promise<FloorResult> => {
  const items = Math.max(1, Math.min(puts, writes));
  const calls = writes + reads;
  // Reads spread evenly among the updates, never before the items exist.
  const isRead = (i: number) =>
    i >= items &&
    Math.floor(((i - items + 1) * reads) / (calls - items)) > Math.floor(((i - items) * reads) / (calls - items));
  const ops = Array.from({ length: calls }, (_, i) => i);
  progress.phase(`floor: ${writes} writes${reads ? ` and ${reads} reads` : ''} straight to the store`, calls);
  const t0 = performance.now();
  await pool(
    ops,
    concurrency,
    async (i) => {
      const key = { pk: { S: `PROJECT#floor-${i % items}` }, sk: { S: 'PROJECT' } };
      if (i < items) {
        await store.client.send(
          new PutItemCommand({
            TableName: TABLE_NAME,
            Item: itemOf(i, bytes),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } else if (isRead(i)) {
        await store.client.send(new GetItemCommand({ TableName: TABLE_NAME, Key: key, ConsistentRead: true }));
      } else {
        // Spread evenly: update u returns the item when the running share steps up at u.
        const returns = Math.floor((i + 1) * returnedShare) > Math.floor(i * returnedShare);
        await store.client.send(
          new UpdateItemCommand({
            TableName: TABLE_NAME,
            Key: key,
            UpdateExpression: 'SET version = version + :one',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':one': { N: '1' } },
            ...(returns ? { ReturnValues: 'ALL_NEW' } : {}),
          }),
        );
      }
    },
    progress.tick,
  );
  const wallMs = performance.now() - t0;
  return {
    writes,
    reads,
    concurrency,
    wallMs: round(wallMs, 0),
    writesPerSecond: round((writes / wallMs) * 1000, 0),
  };
};

export interface StoreLoadResult {
  clients: number;
  seconds: number;
  calls: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** Answers other than the item asked for (the relay's; a failed call of the store's own throws instead). */
  errors: number;
  /** CPU time used during the load, in ms: the caller's process (the bench itself, or the relay) and the store's. */
  cpu: { callerMs: number; storeMs: number };
}

/**
 * Single GetItem calls from `clients` callers without pause, for half of `seconds` before
 * `between` and half after it: the store's own throughput and p99, measured around what
 * it is compared with, so that the machine's speed drifting within a run moves both.
 * Each of the three ends its own line of progress.
 */
export const runStoreGetsAround = async <T>(
  store: Store,
  clients: number,
  seconds: number,
  progress: Progress,
  between: () => Promise<T>,
): Promise<{ store: StoreLoadResult; between: T }> => {
  for (let i = 0; i < 100; i++)
    await store.client.send(new PutItemCommand({ TableName: TABLE_NAME, Item: itemOf(1_000_000 + i, 4000) }));
  const lat = new Latencies();
  const half = async (which: string): Promise<StoreLoadResult['cpu']> => {
    const cpu = await cpuDuring(store, async () => cpuMsOf(process.cpuUsage()));
    await withoutPause(
      clients,
      seconds / 2,
      progress,
      `store alone, ${which}: ${clients} clients of GetItem for ${seconds / 2} s`,
      async (n) => {
        const t = performance.now();
        await store.client.send(
          new GetItemCommand({
            TableName: TABLE_NAME,
            Key: { pk: { S: `PROJECT#floor-${1_000_000 + (n % 100)}` }, sk: { S: 'PROJECT' } },
            ConsistentRead: true,
          }),
        );
        lat.add(performance.now() - t, true);
      },
    );
    progress.end();
    return cpu();
  };
  const before = await half('before');
  const result = await between();
  progress.end();
  const after = await half('after');
  const cpu = { callerMs: before.callerMs + after.callerMs, storeMs: before.storeMs + after.storeMs };
  return { store: loadResult(lat, clients, seconds, cpu), between: result };
};

/** `clients` callers of `call` (given a running count) without pause for `seconds`. */
const withoutPause = async (
  clients: number,
  seconds: number,
  progress: Progress,
  phase: string,
  call: (n: number) => Promise<unknown>,
): Promise<void> => {
  const until = performance.now() + seconds * 1000;
  progress.phase(phase, seconds);
  const timer = setInterval(progress.tick, 1000);
  let n = 0;
  try {
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (performance.now() < until) await call(n++);
      }),
    );
  } finally {
    clearInterval(timer);
  }
};

/** Starts counting the CPU of the store and of the caller (`callerMs`); the function returned gives what each used since. */
const cpuDuring = async (store: Store, callerMs: () => Promise<number>) => {
  const [caller0, store0] = await Promise.all([callerMs(), store.cpuMs()]);
  return async (): Promise<StoreLoadResult['cpu']> => {
    const [caller1, store1] = await Promise.all([callerMs(), store.cpuMs()]);
    return { callerMs: round(caller1 - caller0, 0), storeMs: round(store1 - store0, 0) };
  };
};

const loadResult = (
  lat: Latencies,
  clients: number,
  seconds: number,
  cpu: StoreLoadResult['cpu'],
): StoreLoadResult => ({
  cpu,
  clients,
  seconds,
  calls: lat.count,
  perSecond: round(lat.count / seconds, 0),
  p50: round(lat.quantile(0.5)),
  p99: round(lat.quantile(0.99)),
  errors: lat.errors,
});

/** A bench process (relayProcess.ts, loopRelayProcess.ts) started the way the product is, and its port once it listens. */
const startRelay = async (script: string, args: string[]) => {
  const child = spawn(process.execPath, [...PRODUCT_NODE_FLAGS, '--import', 'tsx', resolve(root, script), ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  process.once('exit', () => child.exitCode === null && child.kill('SIGKILL'));
  try {
    const port = await firstSaid(
      child,
      (out) => {
        const m = /listening on (\d+)/.exec(out);
        return m ? Number(m[1]) : undefined;
      },
      script,
    );
    return { child, api: new BenchClient('127.0.0.1', port) };
  } catch (e) {
    child.kill('SIGTERM');
    throw e;
  }
};

/**
 * The closed loop against the least a product can be (relayProcess.ts: an HTTP server
 * that answers each request with one GetItem through the product's client), started the
 * way the product is: the ceiling of any HTTP front of this store on this machine.
 */
export const runRelayGets = async (
  store: Store,
  clients: number,
  seconds: number,
  progress: Progress,
): Promise<StoreLoadResult> => {
  const { child, api } = await startRelay('bench/relayProcess.ts', [store.at.endpoint, store.at.link]);
  try {
    const cpu = await cpuDuring(store, () => cpuMsOfChild(child));
    await withoutPause(
      clients,
      seconds,
      progress,
      `bare HTTP relay: ${clients} clients of one GetItem a request for ${seconds} s`,
      (n) => api.call('relay', 'GET', `/items/${n % 100}`),
    );
    return loadResult(api.group('relay'), clients, seconds, await cpu());
  } finally {
    api.close();
    child.kill('SIGTERM');
  }
};

/**
 * The product's answers as the relay reads them (loopRelayProcess.ts): for each, a line
 * `[tag, status, headers, bytes]` and then its body's bytes. Bytes rather than one JSON
 * document: the relay keeps them in one buffer outside its heap, which is capped as the
 * product's is (a document of a 1,000-project loop's answers did not fit in it).
 */
const answersFileOf = (exchanges: ReadonlyMap<string, Exchange>): Buffer =>
  Buffer.concat(
    [...exchanges].flatMap(([tag, x]) => {
      const body = Buffer.from(x.text);
      return [Buffer.from(`${JSON.stringify([tag, x.status, answerHeadersOf(x), body.length])}\n`), body];
    }),
  );

export interface LoopRelayResult extends ReplayResult {
  /** The loop's requests a second through the relay. */
  requestsPerSecond: number;
  /** Answers other than the product's status from the relay. */
  errors: number;
  /** Requests sent and answered as the loop sent them and the product answered them; the rest, only their calls. */
  answeredAsTheProduct: number;
}

/**
 * The closed loop's own store calls (`recorded`, the record from `from` to `to` of `file`)
 * made again behind a bare HTTP server (loopRelayProcess.ts), one HTTP request for each of
 * the loop's requests, by `clients` callers in the order of replay.ts: each request sent
 * as the loop sent it and answered with the product's answer (`exchanges`, kept by the
 * loop's client), with every store call it made and nothing of the product's own. `store`
 * must stand where the product's stood when the loop began.
 */
export const runLoopRelay = async (
  store: Store,
  recorded: { file: string; from: number; to: number; calls: readonly RecordedCall[] },
  exchanges: ReadonlyMap<string, Exchange>,
  clients: number,
  progress: Progress,
): Promise<LoopRelayResult> => {
  const { file, from, to, calls } = recorded;
  const answersFile = join(scratchDir('cf-bench-answers-'), 'answers.bin');
  writeFileSync(answersFile, answersFileOf(exchanges));
  const { child, api } = await startRelay('bench/loopRelayProcess.ts', [
    store.at.endpoint,
    store.at.link,
    file,
    String(from),
    String(to),
    answersFile,
  ]);
  let answered = 0;
  try {
    const result = await replayCalls(store, calls, clients, progress, "the closed loop's calls through a bare relay", {
      byRequest: true,
      through: async (index, unit) => {
        const x = exchanges.get(unit.request);
        if (!x) return void (await api.call('loop relay', 'GET', `/units/${index}`));
        answered++;
        await api.call('loop relay', x.method, `/units/${index}${x.path}`, { ...x.opts, expect: [x.status] });
      },
      relayCpuMs: () => cpuMsOfChild(child),
    });
    const tally = (await api.must('tally', 'GET', '/tally')).body as ReplayTally;
    return {
      ...result,
      ...tally,
      requestsPerSecond: round((result.requests.count / result.wallMs) * 1000, 0),
      errors: api.group('loop relay').errors,
      answeredAsTheProduct: answered,
    };
  } finally {
    api.close();
    child.kill('SIGTERM');
  }
};

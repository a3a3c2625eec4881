import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runDistrictYear, type DistrictYearResult } from './districtYear.ts';
import {
  runLoopRelay,
  runRelayGets,
  type LoopRelayResult,
  runStoreGetsAround,
  runWriteFloor,
  startStore,
  type FloorResult,
  type StoreLoadResult,
} from './floor.ts';
import { runLambdaPackages, type LambdaFigure } from './lambda.ts';
import { REQUEST_KINDS, runClosedLoad, runOpenLoad, type LoadResult } from './load.ts';
import { benchOrg } from './org.ts';
import { scratchDir, startProduct } from './product.ts';
import { isWrite, replayCalls, type ReplayResult } from './replay.ts';
import { Progress } from './progress.ts';
import { BenchClient, median, round, type Exchange, type Latencies } from './client.ts';
import { printReport } from './report.ts';
import { WRITE_COMMANDS, storeCallsIn, type LocalStatsSnapshot } from '../infra/local/stats.ts';
import { readRecordedCalls, type RecordedCall } from '../infra/local/callRecord.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const root = resolve(import.meta.dirname, '..');

const { values: args } = parseArgs({
  options: {
    projects: { type: 'string', default: '1000' },
    growth: { type: 'string', default: '100,1000,5000' },
    concurrency: { type: 'string', default: '16' },
    rate: { type: 'string', default: '100' },
    'load-seconds': { type: 'string', default: '30' },
    clients: { type: 'string', default: '50' },
    'closed-seconds': { type: 'string', default: '15' },
    // The closed loop again for each kind of request alone, for this many seconds each.
    'by-kind': { type: 'boolean', default: false },
    'kind-seconds': { type: 'string', default: '5' },
    'init-runs': { type: 'string', default: '5' },
    // The year's own writes are replayed this many times, each on a fresh store; the ratio is to the median.
    'floor-runs': { type: 'string', default: '3' },
    'skip-load': { type: 'boolean', default: false },
    'skip-growth': { type: 'boolean', default: false },
    'skip-lambda': { type: 'boolean', default: false },
    out: { type: 'string', default: join(root, 'bench/results.json') },
    quiet: { type: 'boolean', default: false },
  },
  allowPositionals: false,
});

const num = (s: string, name: string): number => {
  const n = Number(s);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got ${s}`);
  return n;
};

const PROFILE = 'liuzhou';
const projects = num(args.projects!, 'projects');
const floorRuns = num(args['floor-runs']!, 'floor-runs');
const growth = args['skip-growth'] ? [] : args.growth!.split(',').map((s) => num(s.trim(), 'growth'));
const concurrency = num(args.concurrency!, 'concurrency');
const progress = new Progress(args.quiet);
const org = benchOrg(6, 10);

/** A count summed over the write commands of a snapshot: writes applied, refused, bytes written. */
const ofWrites = (s: LocalStatsSnapshot, count: 'calls' | 'refused' | 'bytes') =>
  WRITE_COMMANDS.reduce((n, c) => n + (s.store[c]?.[count] ?? 0), 0);

interface YearRun extends Omit<DistrictYearResult, 'projectIds'> {
  /** Writes the store applied. */
  storeWrites: number;
  /** Writes the store refused because a condition was not met (not in `storeWrites`). */
  storeWritesRefused: number;
  storeCalls: number;
  storeCallsPerRequest: number;
  endpoints: Record<string, ReturnType<Latencies['summary']>>;
  stats: LocalStatsSnapshot;
}

/** One district year on its own fresh stack (the growth runs). */
const districtYear = async (n: number, log: string): Promise<YearRun> => {
  const product = await startProduct({ profile: PROFILE, org, log });
  try {
    const r = await runDistrictYear(product, org, n, concurrency, progress);
    progress.end();
    return figuresOf(r);
  } finally {
    await product.stop();
  }
};

const figuresOf = (r: Awaited<ReturnType<typeof runDistrictYear>>): YearRun => {
  const { client, projectIds: _ids, stats, ...rest } = r;
  const endpoints = Object.fromEntries(
    [...client.groups].filter(([k]) => k !== 'check').map(([k, g]) => [k, g.summary()]),
  );
  client.close();
  return {
    ...rest,
    storeWrites: ofWrites(stats, 'calls'),
    storeWritesRefused: ofWrites(stats, 'refused'),
    storeCalls: storeCallsIn(stats),
    storeCallsPerRequest: round(storeCallsIn(stats) / r.requests, 2),
    endpoints,
    stats,
  };
};

const gitCommit = (): string => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
};

const main = async () => {
  const started = new Date();
  process.stderr.write(`bench: district-year of ${projects} projects, concurrency ${concurrency}\n`);
  const log = join(root, 'bench/product-stderr.log');
  writeFileSync(log, '');
  const callsFile = join(scratchDir('cf-bench-calls-'), 'calls.tsv');
  const product = await startProduct({ profile: PROFILE, org, log, recordCalls: callsFile });
  const year = await runDistrictYear(product, org, projects, concurrency, progress);
  progress.end();
  const known = year.projectIds;
  const stats = year.stats;
  const mainRun = figuresOf(year);

  // The floor: the same writes, same concurrency, straight to a fresh embedded store.
  const puts = stats.store.PutItemCommand?.calls ?? 0;
  const writtenBytes = ofWrites(stats, 'bytes');
  const bytes = Math.round(writtenBytes / Math.max(1, mainRun.storeWrites));
  const updates = stats.store.UpdateItemCommand;
  const returnedShare = updates ? updates.itemsReturned / Math.max(1, updates.calls) : 1;
  const floorOf = async (into: Awaited<ReturnType<typeof startStore>>, reads: number): Promise<FloorResult> => {
    const result = await runWriteFloor(
      into,
      mainRun.storeWrites,
      puts,
      bytes,
      concurrency,
      progress,
      reads,
      returnedShare,
    );
    progress.end();
    return result;
  };
  const store = await startStore();
  const floor = await floorOf(store, 0);
  // The floor of every store call the product made: the writes with its reads among them,
  // on a store of their own. No target; it says how much of the product's time its reads take.
  const callStore = await startStore();
  const callFloor = await floorOf(callStore, mainRun.storeCalls - mainRun.storeWrites);
  callStore.stop();
  // The floor of the product's own writes: the year's writes as the store recorded them, replayed.
  // The replay's store is kept: the closed loop's own calls are replayed on it later.
  const yearEnd = await settledSize(callsFile);
  const yearWrites = callsIn(callsFile, 0, yearEnd).filter(isWrite);
  const replayStore = await startStore({ asRecorded: true });
  const replay = await replayCalls(replayStore, yearWrites, concurrency, progress, "the year's writes");
  // One replay's time moved by a fifth between runs whose years took the same time and CPU:
  // the floor is measured again, each time on a fresh store, and the ratio is to the median.
  const replayRuns = [replay];
  for (let i = 1; i < floorRuns; i++) {
    const again = await startStore({ asRecorded: true });
    replayRuns.push(await replayCalls(again, yearWrites, concurrency, progress, "the year's writes, again"));
    again.stop();
  }
  const replayMedianMs = median(replayRuns.map((r) => r.wallMs));

  let load: BenchResults['load'];
  if (!args['skip-load']) {
    // The loads count calls only: pricing each call would cost both processes what no deployment spends.
    const switcher = new BenchClient('127.0.0.1', product.port);
    await switcher.must('stats', 'POST', '/local/stats', { body: { pricing: false } });
    switcher.close();
    const open = await runOpenLoad(
      product,
      org,
      known,
      num(args.rate!, 'rate'),
      num(args['load-seconds']!, 'load-seconds'),
      progress,
    );
    progress.end();
    const clients = num(args.clients!, 'clients');
    const closedSeconds = num(args['closed-seconds']!, 'closed-seconds');
    // The loop as recorded, for its floors: every store call it makes, with the request it served.
    let loopStart = 0;
    const exchanges = new Map<string, Exchange>();
    const recordedLoop = await runClosedLoad(
      product,
      org,
      known,
      clients,
      closedSeconds,
      progress,
      undefined,
      async () => {
        loopStart = await settledSize(callsFile);
      },
      exchanges,
    );
    progress.end();
    const loopEnd = await settledSize(callsFile);
    // The same loop measured: the record and the requests' numbers paused, the product and its
    // store do what they do in use, as the store alone around it does. Nothing later replays its calls.
    const pauser = new BenchClient('127.0.0.1', product.port);
    await pauser.must('stats', 'POST', '/local/stats', { body: { recording: false } });
    pauser.close();
    const { store: storeLoad, between: closed } = await runStoreGetsAround(
      store,
      clients,
      closedSeconds,
      progress,
      () => runClosedLoad(product, org, known, clients, closedSeconds, progress),
    );
    const catchUpWrites = callsIn(callsFile, yearEnd, loopStart).filter(isWrite);
    const loopCalls = callsIn(callsFile, loopStart, loopEnd);
    const loopFloor = await replayLoop(replayStore, catchUpWrites, loopCalls, clients);
    // The same calls behind a bare HTTP server, on a store of their own brought to where the
    // product's stood when the loop began: the loop with its store calls and no product.
    const relayStore = await startStore({ asRecorded: true });
    const setUp = await replayCalls(
      relayStore,
      [...yearWrites, ...catchUpWrites],
      concurrency,
      progress,
      'the writes before the loop, for the relay',
    );
    // The relay gets a store-alone reference of its own, measured around it as the loop's is:
    // it runs a minute or more after the loop, and the machine's speed may have moved since.
    const { store: relayReference, between: loopRelay } = await runStoreGetsAround(
      store,
      clients,
      closedSeconds,
      progress,
      () =>
        runLoopRelay(
          relayStore,
          { file: callsFile, from: loopStart, to: loopEnd, calls: loopCalls },
          exchanges,
          clients,
          progress,
        ),
    );
    relayStore.stop();
    const byKind: NonNullable<BenchResults['load']>['byKind'] = [];
    const kindSeconds = num(args['kind-seconds']!, 'kind-seconds');
    if (args['by-kind'])
      for (const kind of Object.keys(REQUEST_KINDS).map(Number)) {
        byKind.push({
          kind: REQUEST_KINDS[kind],
          ...(await runClosedLoad(product, org, known, clients, kindSeconds, progress, kind)),
        });
        progress.end();
      }
    const relay = await runRelayGets(store, clients, closedSeconds, progress);
    progress.end();
    load = {
      open,
      closed,
      recordedLoop,
      store: storeLoad,
      relay,
      loopFloor: {
        ...loopFloor,
        requestsPerSecond: round((recordedLoop.requests / loopFloor.wallMs) * 1000, 0),
      },
      loopRelay: { ...loopRelay, setUp, reference: relayReference },
      ...(byKind.length ? { byKind } : {}),
    };
  }
  replayStore.stop();
  const peakRssMb = product.peakRssMb();
  const productErrors = product.errorLines();
  if (productErrors.length)
    process.stderr.write(
      `bench: the product wrote ${productErrors.length} lines to stderr (bench/product-stderr.log), the first: ${productErrors[0]}\n`,
    );
  await product.stop();
  store.stop();

  const growthRuns: BenchResults['growth'] = [];
  for (const n of growth) {
    if (n === projects) {
      growthRuns.push({
        projects: n,
        wallMs: mainRun.wallMs,
        msPerProject: mainRun.msPerProject,
        storeWrites: mainRun.storeWrites,
        peakRssMb: mainRun.peakRssMb,
        failures: mainRun.failures.count,
      });
      continue;
    }
    process.stderr.write(`bench: growth, ${n} projects\n`);
    try {
      const run = await districtYear(n, log);
      growthRuns.push({
        projects: n,
        wallMs: run.wallMs,
        msPerProject: run.msPerProject,
        storeWrites: run.storeWrites,
        peakRssMb: run.peakRssMb,
        failures: run.failures.count,
      });
    } catch (e) {
      // One failed size must not lose the figures of the others.
      process.stderr.write(`bench: growth run of ${n} failed: ${(e as Error).message}\n`);
      growthRuns.push({
        projects: n,
        wallMs: NaN,
        msPerProject: NaN,
        storeWrites: 0,
        peakRssMb: 0,
        failures: -1,
        error: (e as Error).message.slice(0, 500),
      });
    }
  }

  let lambda: LambdaFigure[] | undefined;
  if (!args['skip-lambda']) {
    lambda = await runLambdaPackages(num(args['init-runs']!, 'init-runs'), progress);
    progress.end();
  }

  const results = {
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    commit: gitCommit(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGb: round(totalmem() / 2 ** 30, 1),
      node: process.version,
      loadAverage: (await import('node:os')).loadavg().map((l) => round(l, 2)),
    },
    profile: PROFILE,
    org: { streets: org.streets.length, communities: org.streets.reduce((n, s) => n + s.communities.length, 0) },
    concurrency,
    districtYear: { ...mainRun, peakRssMb, productErrors: productErrors.slice(0, 20) },
    floor: { ...floor, ratio: round(mainRun.wallMs / floor.wallMs, 2) },
    callFloor: { ...callFloor, ratio: round(mainRun.wallMs / callFloor.wallMs, 2) },
    replayFloor: {
      ...replay,
      runs: replayRuns.map(({ wallMs, storeCpuMs, refused, differing }) => ({
        wallMs,
        storeCpuMs,
        refused,
        differing,
      })),
      medianWallMs: replayMedianMs,
      ratio: round(mainRun.wallMs / replayMedianMs, 2),
    },
    growth: growthRuns,
    load,
    lambda,
  };
  writeFileSync(args.out!, `${JSON.stringify(results, null, 2)}\n`);
  printReport(results);
  process.stderr.write(`bench: results in ${args.out}\n`);
  return droppedProjects(results);
};

/** The size of the store's call record once the store has stopped appending to it (it appends as it answers). */
const settledSize = async (file: string): Promise<number> => {
  const until = performance.now() + 10_000;
  let last = -1;
  for (;;) {
    const size = existsSync(file) ? statSync(file).size : 0;
    if (size === last || performance.now() > until) return size;
    last = size;
    await new Promise((r) => setTimeout(r, 150));
  }
};

/** The calls recorded in `file` between two of its settled sizes. */
const callsIn = (file: string, from: number, to: number): RecordedCall[] =>
  readRecordedCalls(readFileSync(file).subarray(from, to).toString());

/**
 * The floor of the closed loop's own calls: on the store that replayed the year, the writes
 * made since (`catchUpWrites`, the open loop's) bring it to where the product's store stood
 * when the loop began; then every call of the loop, reads and writes, is sent again by as
 * many callers as the loop had clients.
 */
const replayLoop = async (
  store: Awaited<ReturnType<typeof startStore>>,
  catchUpWrites: readonly RecordedCall[],
  loopCalls: readonly RecordedCall[],
  clients: number,
): Promise<ReplayResult & { catchUp: ReplayResult }> => {
  const catchUp = await replayCalls(store, catchUpWrites, concurrency, progress, 'the writes made after the year');
  const loop = await replayCalls(store, loopCalls, clients, progress, "the closed loop's calls", { byRequest: true });
  return { ...loop, catchUp };
};

/** A dropped project is a defect, never noise: the run fails when any run dropped one. */
const droppedProjects = (results: BenchResults): number => {
  const dropped =
    results.districtYear.failures.count +
    results.growth.reduce((n, g) => n + Math.max(0, g.failures) + (g.error ? 1 : 0), 0);
  if (dropped)
    process.stderr.write(`bench: ${dropped} project(s) dropped or a run failed: see failures in ${args.out}\n`);
  return dropped;
};

export type BenchResults = {
  startedAt: string;
  finishedAt: string;
  commit: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string; loadAverage: number[] };
  profile: string;
  org: { streets: number; communities: number };
  concurrency: number;
  districtYear: YearRun & { productErrors: string[] };
  floor: FloorResult & { ratio: number };
  callFloor: FloorResult & { ratio: number };
  /**
   * The year's own writes, refused ones too, replayed on a fresh store (replay.ts): the first
   * replay, then every replay's time, refusals and differing answers, and the year's time
   * over the median replay's.
   */
  replayFloor: ReplayResult & {
    runs: Pick<ReplayResult, 'wallMs' | 'storeCpuMs' | 'refused' | 'differing'>[];
    medianWallMs: number;
    ratio: number;
  };
  growth: {
    projects: number;
    wallMs: number;
    msPerProject: number;
    storeWrites: number;
    peakRssMb: number;
    failures: number;
    error?: string;
  }[];
  /** `relay`: the closed loop against a bare HTTP server of one GetItem a request (floor.ts). */
  load?: {
    open: LoadResult;
    /** The closed loop as measured: the store's record of calls paused. */
    closed: LoadResult;
    /** The same loop just before, with every store call recorded: the calls `loopFloor` and `loopRelay` replay. */
    recordedLoop?: LoadResult;
    store: StoreLoadResult;
    relay?: StoreLoadResult;
    /** The closed loop's own store calls replayed, with no product (replay.ts): the loop's requests a second at that pace. */
    loopFloor: ReplayResult & { catchUp: ReplayResult; requestsPerSecond: number };
    /** The closed loop's own store calls behind a bare HTTP server, one request for each of the loop's (floor.ts); `setUp` brought its store to the loop's start. */
    loopRelay?: LoopRelayResult & {
      setUp: ReplayResult;
      /** The store alone, measured around the relay as `store` is around the closed loop. */
      reference?: StoreLoadResult;
    };
    /** `--by-kind`: the closed loop of each kind of request alone. */
    byKind?: (LoadResult & { kind: string })[];
  };
  lambda?: LambdaFigure[];
};

main().then(
  (dropped) => process.exit(dropped ? 2 : 0),
  (e) => {
    progress.end();
    process.stderr.write(`bench failed: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);

import {
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { RecordedCall } from '../infra/local/callRecord.ts';
import { WRITE_OPERATIONS, cpuMsOf } from '../infra/local/stats.ts';
import { Latencies, round } from './client.ts';
import type { Store } from './floor.ts';
import type { Progress } from './progress.ts';

/*
 * Floors made of the product's own store calls, exactly as it sent them (recorded by the
 * store, infra/local/callRecord.ts), sent again to a store of their own through the same
 * client: the district year's writes, and the closed loop's reads and writes. A call that
 * touches an item goes after the writes to it that the store answered before it, so every
 * condition meets the item as it met it then and each call gets the answer it got then;
 * others (and queries, which name no item) go as soon as a place is free.
 */

type Input = { Key?: Record<string, AttributeValue>; Item?: Record<string, AttributeValue> };
type Send = (input: never) => Promise<unknown>;

/** How each operation the product uses is sent through a low-level client. */
export const sendersOf = (client: DynamoDBClient): Record<string, Send> => ({
  PutItem: (input) => client.send(new PutItemCommand(input)),
  UpdateItem: (input) => client.send(new UpdateItemCommand(input)),
  DeleteItem: (input) => client.send(new DeleteItemCommand(input)),
  GetItem: (input) => client.send(new GetItemCommand(input)),
  Query: (input) => client.send(new QueryCommand(input)),
  BatchGetItem: (input) => client.send(new BatchGetItemCommand(input)),
});

/** Whether a recorded call changes items. */
export const isWrite = (call: RecordedCall): boolean => WRITE_OPERATIONS.has(call.operation);

/** The one item a call names, or undefined for calls over many (Query, BatchGetItem). */
const itemKey = (input: Input): string | undefined => {
  const key = input.Key ?? input.Item;
  if (!key) return undefined;
  if (!key.pk?.S || !key.sk?.S) throw new Error('a recorded call names an item without pk and sk');
  return `${key.pk.S}\u0000${key.sk.S}`;
};

export interface ReplayResult {
  calls: number;
  concurrency: number;
  wallMs: number;
  callsPerSecond: number;
  /** Calls the replay sent: `calls` once it is done. */
  sent: number;
  /** Writes refused (a condition not met) on replay, as they were when the product made them. */
  refused: number;
  /** Calls whose answer on replay differs from the one recorded (0 when the replay is faithful). */
  differing: number;
  /** CPU the store used for the replay, in ms. */
  storeCpuMs: number;
  /** CPU the bench's own process used for the replay, in ms. */
  benchCpuMs: number;
  /** CPU a relay used for the replay (`relayCpuMs` of replayCalls), in ms; 0 without one. */
  relayCpuMs: number;
  /** Places in use on average (at most `concurrency`): lower when items' own orders held calls back. */
  meanInFlight: number;
  /** The product's HTTP requests the calls served, each replayed as one unit, and how long each unit took, in ms. */
  requests: { count: number; p50: number; p99: number };
}

type Call = {
  send: Send;
  input: Input;
  key: string | undefined;
  failedThen: boolean;
  arrived: number;
  answered: number;
};

/**
 * The calls of one HTTP request of the product's (or one call that served none), in the order
 * the store answered them. A call waits for those of its unit the store had answered before
 * it arrived: what the product made one after another goes one after another.
 */
export type ReplayUnit = {
  calls: Call[];
  keys: Set<string>;
  written: Set<string>;
  /** The number of the product's HTTP request the calls served ('' for none, or without `byRequest`). */
  request: string;
};

/**
 * `recorded` cut into units, each sent with `senders`: one a call, or with `byRequest` the
 * calls of one of the product's HTTP requests. The same calls give the same units in the
 * same order, in whichever process cuts them.
 */
export const replayUnitsOf = (
  recorded: readonly RecordedCall[],
  senders: Record<string, Send>,
  byRequest: boolean,
): ReplayUnit[] => {
  const units: ReplayUnit[] = [];
  const ofRequest = new Map<string, ReplayUnit>();
  for (const c of recorded) {
    const send = senders[c.operation];
    if (!send) throw new Error(`the replay cannot send ${c.operation}`);
    const input = JSON.parse(c.body) as Input;
    const call: Call = {
      send,
      input,
      key: itemKey(input),
      failedThen: c.status !== 200,
      arrived: c.arrived,
      answered: c.answered,
    };
    const request = byRequest ? c.request : '';
    let unit = request ? ofRequest.get(request) : undefined;
    if (!unit) {
      unit = { calls: [], keys: new Set(), written: new Set(), request };
      units.push(unit);
      if (request) ofRequest.set(request, unit);
    }
    unit.calls.push(call);
    if (call.key === undefined) continue;
    unit.keys.add(call.key);
    if (isWrite(c)) unit.written.add(call.key);
  }
  return units;
};

/** Calls sent, and refusals and differing answers among them, over a replay. */
export interface ReplayTally {
  sent: number;
  refused: number;
  differing: number;
}

/**
 * Sends the calls of `unit`, each once those of its unit answered before it arrived are
 * answered; counts refusals in `tally`. Resolves to each call's answer (undefined if refused).
 */
export const sendUnit = async (unit: ReplayUnit, tally: ReplayTally, onCall?: () => void): Promise<unknown[]> => {
  const sendOne = async (call: Call) => {
    tally.sent++;
    try {
      const out = await call.send(call.input as never);
      if (call.failedThen) tally.differing++;
      return out;
    } catch (e) {
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
      tally.refused++;
      if (!call.failedThen) tally.differing++;
      return undefined;
    } finally {
      onCall?.();
    }
  };
  const sent: Promise<unknown>[] = [];
  for (const call of unit.calls) {
    const before = sent.filter((_, j) => unit.calls[j].answered < call.arrived);
    sent.push(Promise.all(before).then(() => sendOne(call)));
  }
  return Promise.all(sent);
};

/**
 * Replays `recorded` on `store`, one unit to each of `concurrency` places: a call, or with
 * `byRequest` the calls of one of the product's HTTP requests. A unit starts once every
 * earlier unit that wrote one of its items is done. With `through`, a unit is not sent from
 * here: `through` is given it and its index (in `replayUnitsOf`'s order) and does it, and the
 * refusals are its to count. The CPU counted (the store's, the bench's own and, with
 * `relayCpuMs`, a relay's) is that of the replay alone, after the record is cut into units.
 */
export const replayCalls = async (
  store: Store,
  recorded: readonly RecordedCall[],
  concurrency: number,
  progress: Progress,
  what: string,
  opts: {
    byRequest?: boolean;
    through?: (index: number, unit: ReplayUnit) => Promise<void>;
    relayCpuMs?: () => Promise<number>;
  } = {},
): Promise<ReplayResult> => {
  const units = replayUnitsOf(recorded, sendersOf(store.client), opts.byRequest ?? false);
  let free = concurrency;
  const waiting: (() => void)[] = [];
  const place = async () => {
    if (free > 0) free--;
    else await new Promise<void>((r) => waiting.push(r));
  };
  const leave = () => {
    const next = waiting.shift();
    if (next) next();
    else free++;
  };
  const tally: ReplayTally = { sent: 0, refused: 0, differing: 0 };
  let busyMs = 0;
  const requests = new Latencies();
  const run = async (unit: ReplayUnit, index: number, after: Promise<void>[]) => {
    await Promise.all(after);
    await place();
    const started = performance.now();
    try {
      if (opts.through) {
        await opts.through(index, unit);
        for (const _ of unit.calls) progress.tick();
      } else await sendUnit(unit, tally, progress.tick);
    } finally {
      const ms = performance.now() - started;
      busyMs += ms;
      if (unit.request) requests.add(ms, true);
      leave();
    }
  };

  progress.phase(`floor: ${what}, ${recorded.length} calls replayed`, recorded.length);
  const relayCpuMs = opts.relayCpuMs ?? (async () => 0);
  const [cpu0, relay0] = await Promise.all([store.cpuMs(), relayCpuMs()]);
  const bench0 = cpuMsOf(process.cpuUsage());
  const t0 = performance.now();
  const lastWriterOf = new Map<string, Promise<void>>();
  const all: Promise<void>[] = [];
  for (const [index, unit] of units.entries()) {
    const after = [...unit.keys].flatMap((k) => lastWriterOf.get(k) ?? []);
    const done = run(unit, index, after);
    for (const k of unit.written) lastWriterOf.set(k, done);
    all.push(done);
  }
  await Promise.all(all);
  const wallMs = performance.now() - t0;
  const benchCpuMs = cpuMsOf(process.cpuUsage()) - bench0;
  const [cpu1, relay1] = await Promise.all([store.cpuMs(), relayCpuMs()]);
  const storeCpuMs = cpu1 - cpu0;
  progress.end();
  const { count, p50, p99 } = requests.summary();
  return {
    calls: recorded.length,
    concurrency,
    wallMs: round(wallMs, 0),
    callsPerSecond: round((recorded.length / wallMs) * 1000, 0),
    ...tally,
    storeCpuMs: round(storeCpuMs, 0),
    benchCpuMs: round(benchCpuMs, 0),
    relayCpuMs: round(relay1 - relay0, 0),
    meanInFlight: round(busyMs / wallMs, 1),
    requests: { count, p50, p99 },
  };
};

import {
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import type { RecordedCall } from '../infra/local/callRecord.ts';
import { WRITE_COMMANDS, operationOf } from '../infra/local/stats.ts';
import { round } from './client.ts';
import type { Store } from './floor.ts';
import type { Progress } from './progress.ts';

/*
 * Floors made of the product's own store calls, exactly as it sent them (recorded by the
 * store, infra/local/callRecord.ts), sent again to a store of their own through the same
 * client: the district year's writes, and the closed loop's reads and writes. Each item's
 * calls go in the order the store answered them, so every condition meets the item as it
 * met it then and each call gets the answer it got then; calls of different items (and
 * queries, which name no item) go as soon as a place is free.
 */

type Input = { Key?: Record<string, AttributeValue>; Item?: Record<string, AttributeValue> };
type Send = (input: never) => Promise<unknown>;

const sendersOf = (client: Store['client']): Record<string, Send> => ({
  PutItem: (input) => client.send(new PutItemCommand(input)),
  UpdateItem: (input) => client.send(new UpdateItemCommand(input)),
  DeleteItem: (input) => client.send(new DeleteItemCommand(input)),
  GetItem: (input) => client.send(new GetItemCommand(input)),
  Query: (input) => client.send(new QueryCommand(input)),
  BatchGetItem: (input) => client.send(new BatchGetItemCommand(input)),
});

const WRITE_OPERATIONS = new Set(WRITE_COMMANDS.map(operationOf));

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
  /** Writes refused (a condition not met) on replay, as they were when the product made them. */
  refused: number;
  /** Calls whose answer on replay differs from the one recorded (0 when the replay is faithful). */
  differing: number;
  /** CPU the store used for the replay, in ms. */
  storeCpuMs: number;
  /** Calls in flight on average (at most `concurrency`): lower when items' own orders held calls back. */
  meanInFlight: number;
}

/** Replays `recorded` on `store` with at most `concurrency` in flight. */
export const replayCalls = async (
  store: Store,
  recorded: readonly RecordedCall[],
  concurrency: number,
  progress: Progress,
  what: string,
): Promise<ReplayResult> => {
  const senders = sendersOf(store.client);
  const calls = recorded.map((c) => {
    const send = senders[c.operation];
    if (!send) throw new Error(`the replay cannot send ${c.operation}`);
    const input = JSON.parse(c.body) as Input;
    return { send, input, key: itemKey(input), failedThen: c.status !== 200 };
  });
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
  let refused = 0;
  let differing = 0;
  let busyMs = 0;
  const send = async (call: (typeof calls)[number]) => {
    await place();
    const sent = performance.now();
    try {
      await call.send(call.input as never);
      if (call.failedThen) differing++;
    } catch (e) {
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
      refused++;
      if (!call.failedThen) differing++;
    } finally {
      busyMs += performance.now() - sent;
      leave();
      progress.tick();
    }
  };

  progress.phase(`floor: ${what}, ${recorded.length} calls replayed`, recorded.length);
  const cpu0 = await store.cpuMs();
  const t0 = performance.now();
  const lastOfItem = new Map<string, Promise<void>>();
  const unordered: Promise<void>[] = [];
  for (const call of calls) {
    if (call.key === undefined) {
      unordered.push(send(call));
      continue;
    }
    const after = lastOfItem.get(call.key);
    lastOfItem.set(call.key, after ? after.then(() => send(call)) : send(call));
  }
  await Promise.all([...lastOfItem.values(), ...unordered]);
  const wallMs = performance.now() - t0;
  const storeCpuMs = (await store.cpuMs()) - cpu0;
  progress.end();
  return {
    calls: recorded.length,
    concurrency,
    wallMs: round(wallMs, 0),
    callsPerSecond: round((recorded.length / wallMs) * 1000, 0),
    refused,
    differing,
    storeCpuMs: round(storeCpuMs, 0),
    meanInFlight: round(busyMs / wallMs, 1),
  };
};

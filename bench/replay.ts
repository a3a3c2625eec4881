import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DeleteItemCommandInput,
  type PutItemCommandInput,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { RecordedWrite } from '../infra/local/writeRecord.ts';
import { round } from './client.ts';
import type { Store } from './floor.ts';
import type { Progress } from './progress.ts';

/*
 * The floor of the product's own writes: every write it made in the district year, exactly
 * as it sent them (recorded by the store, infra/local/writeRecord.ts), sent again to a fresh
 * store through the same client at the same concurrency. Each item's writes go in the order
 * the store applied them, so every condition meets the item as it met it then and each write
 * gets the answer it got then; writes of different items go as soon as a place is free.
 */

type Input = { Key?: Record<string, AttributeValue>; Item?: Record<string, AttributeValue> };

const sendersOf = (client: Store['client']): Record<string, (input: never) => Promise<unknown>> => ({
  PutItem: (input: PutItemCommandInput) => client.send(new PutItemCommand(input)),
  UpdateItem: (input: UpdateItemCommandInput) => client.send(new UpdateItemCommand(input)),
  DeleteItem: (input: DeleteItemCommandInput) => client.send(new DeleteItemCommand(input)),
});

const itemKey = (input: Input): string => {
  const key = input.Key ?? input.Item;
  if (!key?.pk?.S || !key.sk?.S) throw new Error('a recorded write names no item (pk, sk)');
  return `${key.pk.S}\u0000${key.sk.S}`;
};

export interface ReplayResult {
  writes: number;
  concurrency: number;
  wallMs: number;
  writesPerSecond: number;
  /** Writes refused (a condition not met) on replay, as they were when the product made them. */
  refused: number;
  /** Writes whose answer on replay differs from the one recorded (0 when the replay is faithful). */
  differing: number;
  /** CPU the store used for the replay, in ms. */
  storeCpuMs: number;
  /** Writes in flight on average (at most `concurrency`): lower when items' own orders held writes back. */
  meanInFlight: number;
}

/** Replays `writes` on `store` with at most `concurrency` in flight. */
export const replayWrites = async (
  store: Store,
  writes: readonly RecordedWrite[],
  concurrency: number,
  progress: Progress,
): Promise<ReplayResult> => {
  const senders = sendersOf(store.client);
  const calls = writes.map((w) => {
    const write = senders[w.operation];
    if (!write) throw new Error(`the replay cannot send ${w.operation}`);
    const input = JSON.parse(w.body) as Input;
    return { write, input, key: itemKey(input), refusedThen: w.status !== 200 };
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
      await call.write(call.input as never);
      if (call.refusedThen) differing++;
    } catch (e) {
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
      refused++;
      if (!call.refusedThen) differing++;
    } finally {
      busyMs += performance.now() - sent;
      leave();
      progress.tick();
    }
  };

  progress.phase(`floor: the product's own ${writes.length} writes replayed`, writes.length);
  const cpu0 = await store.cpuMs();
  const t0 = performance.now();
  const lastOfItem = new Map<string, Promise<void>>();
  for (const call of calls) {
    const after = lastOfItem.get(call.key);
    lastOfItem.set(call.key, after ? after.then(() => send(call)) : send(call));
  }
  await Promise.all(lastOfItem.values());
  const wallMs = performance.now() - t0;
  const storeCpuMs = (await store.cpuMs()) - cpu0;
  progress.end();
  return {
    writes: writes.length,
    concurrency,
    wallMs: round(wallMs, 0),
    writesPerSecond: round((writes.length / wallMs) * 1000, 0),
    refused,
    differing,
    storeCpuMs: round(storeCpuMs, 0),
    meanInFlight: round(busyMs / wallMs, 1),
  };
};

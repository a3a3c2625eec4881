import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TABLE_INDEXES } from '../../functions/store/indexes.ts';

/*
 * Operation counts of the local stack, for the benchmark and the cost model. Only
 * switched on by LOCAL_STATS=1: without it nothing is installed on the store client,
 * nothing is counted and GET /local/stats does not exist.
 */

interface StoreCount {
  calls: number;
  /** Capacity units as DynamoDB reports them for the base table (dynalite computes them from the item sizes). */
  units: number;
  /** Write units that the table's GSIs add: one per index entry the write puts or deletes (a projection stays under 1 KB). */
  gsiUnits: number;
  /**
   * Bytes of the items written: a Put's item, an update's as returned, or, for an update
   * that asked for nothing back, its capacity units times 1 KB less half of one. 0 for reads.
   */
  bytes: number;
  /** Writes that asked the store to send the whole item back (ReturnValues ALL_NEW). */
  itemsReturned: number;
  /**
   * Writes the store refused because their condition was not met: not in `calls` or
   * `units`. DynamoDB bills each as a write of the item it was checked against.
   */
  refused: number;
}

interface TaskCount {
  calls: number;
  ms: number;
}

export interface LocalStatsSnapshot {
  store: Record<string, StoreCount>;
  /** By command and the kind of item (`UpdateItem PROJECT`), so that the cost model can leave out what is not DynamoDB in AWS. */
  storeByKey: Record<string, StoreCount>;
  workflow: { started: number; transitions: number; taskSuccess: number };
  tasks: Record<string, TaskCount>;
  jobs: Record<string, TaskCount>;
  messages: Record<string, number>;
  /** CPU time used since the stack started (or since the counts were zeroed), in ms: the product's process and the store's. */
  cpu?: { productMs: number; storeMs: number };
}

/** The SDK commands that change items: the counts' writes, the writes the bench replays (bench/replay.ts). */
export const WRITE_COMMANDS: readonly string[] = [
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'TransactWriteItemsCommand',
  'BatchWriteItemCommand',
];
const WRITES = new Set(WRITE_COMMANDS);

/** The DynamoDB operation an SDK command sends (`UpdateItemCommand` → `UpdateItem`). */
export const operationOf = (command: string): string => command.replace(/Command$/, '');

/** The DynamoDB operations of `WRITE_COMMANDS`, as the store's record and the counts by key name them. */
export const WRITE_OPERATIONS: ReadonlySet<string> = new Set(WRITE_COMMANDS.map(operationOf));

/** An item as the document client holds it (plain values) or as the wire has it (`{S: ...}`): both pass here. */
type AnyItem = Record<string, unknown>;

const stringOf = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : ((v as { S?: string } | undefined)?.S ?? undefined);

/** The first segment of a key (`PROJECT`, `ALLOC`, `AUDIT`...): which kind of item a call touched. */
const kindOf = (key: AnyItem | undefined): string => stringOf(key?.pk)?.split('#')[0] ?? 'other';

/**
 * How many index entries a write rewrites. DynamoDB writes an index entry only when the
 * item's index keys or a projected attribute change: a Put writes every index the item is
 * in, an update only those whose keys or projected attributes its UpdateExpression sets or
 * removes (a value set to what it already was counts, so the figure errs high). An update
 * whose result is not returned is taken to be a project's, in every index but a sparse one
 * unless it names that index's key (a project in publicity written without entering or
 * leaving it is missed there: rare, and the figure errs low by it).
 */
const indexWrites = (command: string, input: AnyItem, written: AnyItem | undefined, kind: string): number => {
  if (command === 'PutItemCommand')
    return TABLE_INDEXES.filter((i) => written && stringOf(written[i.partitionKey])).length;
  // The top-level attributes the update changes: the first segment of each path in its UpdateExpression.
  const placeholders = (input.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const expression = String(input.UpdateExpression ?? '');
  const names = new Set(
    [...expression.matchAll(/(?<![.#\w])(#?\w+)(?=[\s.=,)]|$)/g)].map((m) => placeholders[m[1]] ?? m[1]),
  );
  return TABLE_INDEXES.filter((i) => {
    const inIndex = written
      ? !!stringOf(written[i.partitionKey]) || names.has(i.partitionKey)
      : i.sparse
        ? names.has(i.partitionKey)
        : kind === 'PROJECT';
    if (!inIndex) return false;
    if (command === 'DeleteItemCommand') return true;
    const projected = [i.partitionKey, i.sortKey, ...(i.projection.type === 'INCLUDE' ? i.projection.attributes : [])];
    return projected.some((a) => names.has(a));
  }).length;
};

/** Counters for one local stack; `snapshot()` is what GET /local/stats returns. */
export class LocalStats {
  private store = new Map<string, StoreCount>();
  private storeByKey = new Map<string, StoreCount>();
  readonly workflow = { started: 0, transitions: 0, taskSuccess: 0 };
  private tasks = new Map<string, TaskCount>();
  private jobs = new Map<string, TaskCount>();
  private messages = new Map<string, number>();
  /**
   * Whether store calls are priced: each asks the store for its capacity units and each
   * write's size is estimated. The bench turns it off for its loads, which count calls
   * only, so that they measure the product as it runs without the counts.
   */
  pricing = true;

  static enabled(): boolean {
    return process.env.LOCAL_STATS === '1';
  }

  countStore(command: string, kind: string, units: number, gsiUnits: number, bytes: number, returned = false): void {
    const add = (map: Map<string, StoreCount>, key: string) => {
      const c = this.countOf(map, key);
      c.calls++;
      c.units += units;
      c.gsiUnits += gsiUnits;
      c.bytes += bytes;
      if (returned) c.itemsReturned++;
    };
    add(this.store, command);
    add(this.storeByKey, `${operationOf(command)} ${kind}`);
  }

  /** A write the store refused on its condition. */
  countRefused(command: string, kind: string): void {
    this.countOf(this.store, command).refused++;
    this.countOf(this.storeByKey, `${operationOf(command)} ${kind}`).refused++;
  }

  private countOf(map: Map<string, StoreCount>, key: string): StoreCount {
    let c = map.get(key);
    if (!c) map.set(key, (c = { calls: 0, units: 0, gsiUnits: 0, bytes: 0, itemsReturned: 0, refused: 0 }));
    return c;
  }

  /** Times one invocation of a workflow task or a scheduled job, as its Lambda would bill it. */
  async time<T>(into: 'tasks' | 'jobs', name: string, run: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await run();
    } finally {
      const map = into === 'tasks' ? this.tasks : this.jobs;
      const c = map.get(name) ?? { calls: 0, ms: 0 };
      c.calls++;
      c.ms += performance.now() - started;
      map.set(name, c);
    }
  }

  countMessage(channel: string): void {
    this.messages.set(channel, (this.messages.get(channel) ?? 0) + 1);
  }

  snapshot(): LocalStatsSnapshot {
    return {
      store: Object.fromEntries(this.store),
      storeByKey: Object.fromEntries(this.storeByKey),
      workflow: { ...this.workflow },
      tasks: Object.fromEntries(this.tasks),
      jobs: Object.fromEntries(this.jobs),
      messages: Object.fromEntries(this.messages),
    };
  }

  reset(): void {
    this.store.clear();
    this.storeByKey.clear();
    Object.assign(this.workflow, { started: 0, transitions: 0, taskSuccess: 0 });
    this.tasks.clear();
    this.jobs.clear();
    this.messages.clear();
  }
}

/** All the store calls a snapshot counted, whatever their command. */
export const storeCallsIn = (s: LocalStatsSnapshot): number => Object.values(s.store).reduce((n, c) => n + c.calls, 0);

/** User and system CPU time of a process, in ms. */
export const cpuMsOf = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000;

const approxBytes = (item: unknown): number => (item ? JSON.stringify(item).length : 0);

/**
 * Counts every command the store client sends and, while pricing, the capacity units
 * DynamoDB would charge: it then asks for ConsumedCapacity on each call, which changes
 * nothing else in the reply.
 */
export const instrumentDynamo = (client: DynamoDBClient, stats: LocalStats): void => {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? 'unknown';
      const input = args.input as Record<string, unknown>;
      const key = (input.Key ?? input.Item) as AnyItem | undefined;
      const pricing = stats.pricing;
      if (pricing && !('ReturnConsumedCapacity' in input)) input.ReturnConsumedCapacity = 'TOTAL';
      let out: Awaited<ReturnType<typeof next>>;
      try {
        out = await next(args);
      } catch (e) {
        if ((e as Error).name === 'ConditionalCheckFailedException') stats.countRefused(command, kindOf(key));
        throw e;
      }
      const output = out.output as unknown as Record<string, unknown>;
      const kind = command === 'QueryCommand' ? `${(input.IndexName as string) ?? 'table'}` : kindOf(key);
      if (!pricing) {
        stats.countStore(command, kind, 0, 0, 0, !!output.Attributes);
        return out;
      }
      const consumed = output.ConsumedCapacity as { CapacityUnits?: number } | { CapacityUnits?: number }[] | undefined;
      const units = Array.isArray(consumed)
        ? consumed.reduce((s, c) => s + (c.CapacityUnits ?? 0), 0)
        : (consumed?.CapacityUnits ?? 0);
      const written = (input.Item ?? output.Attributes) as AnyItem | undefined;
      const gsiUnits = WRITES.has(command) ? indexWrites(command, input, written, kind) : 0;
      // Only what is written is priced (storage, item size); sizing every read would cost the product's thread for nothing.
      const bytes = written
        ? approxBytes(written)
        : command === 'UpdateItemCommand'
          ? Math.max(0, units - 0.5) * 1024
          : 0;
      stats.countStore(command, kind, units, gsiUnits, bytes, !!output.Attributes);
      return out;
    },
    { step: 'initialize', name: 'localStats' },
  );
};

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  PutCommand,
  QueryCommand,
  ScanCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
  type ScanCommandInput,
  type ScanCommandOutput,
  type UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { runtime } from '../runtime.ts';
import { TABLE_INDEXES } from './indexes.ts';

/**
 * Builds an UpdateExpression from plain objects, so store modules say what changes and
 * never hand-write placeholders. A key with dots (`reservations.P1`) addresses a map entry.
 */
export class UpdateBuilder {
  private names: Record<string, string> = {};
  /** The same changes as plain operations on an item; undefined once an expression they cannot follow is added. */
  private image: ImageOp[] | undefined = [];
  private values: Record<string, unknown> = {};
  private sets: string[] = [];
  private removes: string[] = [];
  private adds: string[] = [];
  private conditions: string[] = [];
  private n = 0;

  name(path: string): string {
    return path
      .split('.')
      .map((seg) => {
        const key = `#n${Object.keys(this.names).length}`;
        const existing = Object.entries(this.names).find(([, v]) => v === seg)?.[0];
        if (existing) return existing;
        this.names[key] = seg;
        return key;
      })
      .join('.');
  }

  value(v: unknown): string {
    const key = `:v${this.n++}`;
    this.values[key] = v;
    return key;
  }

  set(fields: Record<string, unknown>): this {
    for (const [k, v] of Object.entries(fields)) {
      if (v === undefined) continue;
      this.sets.push(`${this.name(k)} = ${this.value(v)}`);
      this.image?.push({ kind: 'set', path: k, value: v });
    }
    return this;
  }

  setRaw(expr: string): this {
    this.sets.push(expr);
    this.image = undefined;
    return this;
  }

  remove(...paths: string[]): this {
    for (const p of paths) {
      this.removes.push(this.name(p));
      this.image?.push({ kind: 'remove', path: p });
    }
    return this;
  }

  add(path: string, n: number): this {
    this.adds.push(`${this.name(path)} ${this.value(n)}`);
    this.image?.push({ kind: 'increment', path, by: n });
    return this;
  }

  increment(path: string, by: number): this {
    const p = this.name(path);
    this.sets.push(`${p} = if_not_exists(${p}, ${this.value(0)}) + ${this.value(by)}`);
    this.image?.push({ kind: 'increment', path, by });
    return this;
  }

  /** Appends `items` to the list at `path`; `shown` is how the item worked out by `applyTo` holds them, when not as stored. */
  appendTo(path: string, items: unknown[], shown: unknown[] = items): this {
    const p = this.name(path);
    this.sets.push(`${p} = list_append(if_not_exists(${p}, ${this.value([])}), ${this.value(items)})`);
    this.image?.push({ kind: 'append', path, items: shown });
    return this;
  }

  /**
   * The item as this update leaves it, worked out from the item it applies to: what the
   * store would return as ALL_NEW, without asking it to send the whole item back. Exact
   * only when `before` is the stored item, which a condition on its version guarantees.
   * Undefined when an expression was added that this cannot follow (`setRaw`).
   */
  applyTo(before: object): Record<string, unknown> | undefined {
    if (!this.image) return undefined;
    const after: Record<string, unknown> = { ...(before as Record<string, unknown>) };
    for (const op of this.image) {
      const segments = op.path.split('.');
      const last = segments.pop()!;
      const parent = mapAt(after, segments);
      if (!parent) {
        if (op.kind === 'remove') continue;
        return undefined;
      }
      if (op.kind === 'set') parent[last] = storedForm(op.value);
      else if (op.kind === 'remove') delete parent[last];
      else if (op.kind === 'increment') parent[last] = ((parent[last] as number | undefined) ?? 0) + op.by;
      else parent[last] = [...((parent[last] as unknown[] | undefined) ?? []), ...(storedForm(op.items) as unknown[])];
    }
    return after;
  }

  condition(expr: string): this {
    this.conditions.push(expr);
    return this;
  }

  build(): {
    UpdateExpression: string;
    ConditionExpression?: string;
    ExpressionAttributeNames: Record<string, string>;
    ExpressionAttributeValues?: Record<string, unknown>;
  } {
    const parts: string[] = [];
    if (this.sets.length) parts.push(`SET ${this.sets.join(', ')}`);
    if (this.removes.length) parts.push(`REMOVE ${this.removes.join(', ')}`);
    if (this.adds.length) parts.push(`ADD ${this.adds.join(', ')}`);
    return {
      UpdateExpression: parts.join(' '),
      ConditionExpression: this.conditions.length ? this.conditions.map((c) => `(${c})`).join(' AND ') : undefined,
      ExpressionAttributeNames: this.names,
      ExpressionAttributeValues: Object.keys(this.values).length ? this.values : undefined,
    };
  }
}

type ImageOp =
  | { kind: 'set'; path: string; value: unknown }
  | { kind: 'remove'; path: string }
  | { kind: 'increment'; path: string; by: number }
  | { kind: 'append'; path: string; items: unknown[] };

/** The map at `segments` inside `item`, copied on the way so that `item`'s source is never changed. */
const mapAt = (item: Record<string, unknown>, segments: string[]): Record<string, unknown> | undefined => {
  let at = item;
  for (const seg of segments) {
    const next = at[seg];
    if (!next || typeof next !== 'object' || Array.isArray(next)) return undefined;
    const copy = { ...(next as Record<string, unknown>) };
    at[seg] = copy;
    at = copy;
  }
  return at;
};

/** A value as the store keeps it (the document client drops undefined members): a fresh copy. */
export const storedForm = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.filter((x) => x !== undefined).map(storedForm);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = storedForm(x);
    return out;
  }
  return v;
};

/**
 * The condition of an optimistic write: the item is still at the version it was read at.
 * Every versioned write goes through here, so the rule is spelled once.
 */
export const versionIs = (b: UpdateBuilder, expected: number): string => `${b.name('version')} = ${b.value(expected)}`;

export const isConditionFailure = (e: unknown): boolean =>
  e instanceof ConditionalCheckFailedException || (e as { name?: string })?.name === 'ConditionalCheckFailedException';

export const tableName = (): string => runtime().tableName;

/** The attributes the table and its indexes are keyed on: the store's own, never part of a record. */
const KEY_ATTRIBUTES = ['pk', 'sk', ...TABLE_INDEXES.flatMap((i) => [i.partitionKey, i.sortKey])];

/** An item as the rest of the code sees it: the record, without the keys it is stored under. */
export const withoutKeys = <T>(item: Record<string, unknown>): T => {
  const record: Record<string, unknown> = { ...item };
  for (const k of KEY_ATTRIBUTES) delete record[k];
  return record as T;
};

/** Opaque page tokens: the LastEvaluatedKey, base64url JSON. */
export const encodePageToken = (key: Record<string, unknown> | undefined): string | undefined =>
  key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;

export const decodePageToken = (token: string | undefined): Record<string, unknown> | undefined => {
  if (!token) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
};

type Paged<I> = Omit<I, 'TableName' | 'ExclusiveStartKey'>;

/**
 * The one paging loop: sends the request again from each page's cursor (DynamoDB's
 * LastEvaluatedKey, or a listing's nextToken) until a page has none. The caller may stop
 * early (a break ends it).
 */
async function* pagesOf<C, O>(send: (cursor: C | undefined) => Promise<O>, next: (out: O) => C | undefined) {
  let cursor: C | undefined;
  do {
    const out = await send(cursor);
    yield out;
    cursor = next(out);
  } while (cursor);
}

const lastKey = (out: { LastEvaluatedKey?: Record<string, unknown> }) => out.LastEvaluatedKey;

/** The pages of a Query, each as DynamoDB answered it. */
export const queryPages = (input: Paged<QueryCommandInput>): AsyncGenerator<QueryCommandOutput> =>
  pagesOf(
    (start) => runtime().ddb.send(new QueryCommand({ ...input, TableName: tableName(), ExclusiveStartKey: start })),
    lastKey,
  );

/** The pages of a Scan (for the local tools only: no request path scans). */
export const scanPages = (input: Paged<ScanCommandInput>): AsyncGenerator<ScanCommandOutput> =>
  pagesOf(
    (start) => runtime().ddb.send(new ScanCommand({ ...input, TableName: tableName(), ExclusiveStartKey: start })),
    lastKey,
  );

/** Every item a Query matches, page after page (for reads that need the whole result). */
export const queryAll = async <T = Record<string, unknown>>(input: Paged<QueryCommandInput>): Promise<T[]> => {
  const items: T[] = [];
  for await (const page of queryPages(input)) items.push(...((page.Items ?? []) as T[]));
  return items;
};

/** One page of a listing as the store hands it out: the items and the token of the next page. */
export interface Page<T> {
  items: T[];
  nextToken?: string;
}

/** Every item of a paged listing, following its tokens to the end. */
export const allPages = async <T>(page: (nextToken: string | undefined) => Promise<Page<T>>): Promise<T[]> => {
  const items: T[] = [];
  for await (const p of pagesOf(page, (p) => p.nextToken)) items.push(...p.items);
  return items;
};

/** Sends one conditional write: true when it applied, false when its condition refused it. */
export const writeIf = async (command: UpdateCommand | PutCommand): Promise<boolean> => {
  try {
    await (command instanceof PutCommand ? runtime().ddb.send(command) : runtime().ddb.send(command));
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    throw e;
  }
};

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand, type UpdateCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { runtime } from '../runtime.ts';

/**
 * Builds an UpdateExpression from plain objects, so store modules say what changes and
 * never hand-write placeholders. A key with dots (`reservations.P1`) addresses a map entry.
 */
export class UpdateBuilder {
  private names: Record<string, string> = {};
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
    }
    return this;
  }

  setRaw(expr: string): this {
    this.sets.push(expr);
    return this;
  }

  remove(...paths: string[]): this {
    for (const p of paths) this.removes.push(this.name(p));
    return this;
  }

  add(path: string, n: number): this {
    this.adds.push(`${this.name(path)} ${this.value(n)}`);
    return this;
  }

  increment(path: string, by: number): this {
    const p = this.name(path);
    this.sets.push(`${p} = if_not_exists(${p}, ${this.value(0)}) + ${this.value(by)}`);
    return this;
  }

  appendTo(path: string, items: unknown[]): this {
    const p = this.name(path);
    this.sets.push(`${p} = list_append(if_not_exists(${p}, ${this.value([])}), ${this.value(items)})`);
    return this;
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

export const isConditionFailure = (e: unknown): boolean =>
  e instanceof ConditionalCheckFailedException || (e as { name?: string })?.name === 'ConditionalCheckFailedException';

export const tableName = (): string => runtime().tableName;

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

/** Every item a Query matches, page after page (for reads that need the whole result). */
export const queryAll = async <T = Record<string, unknown>>(
  input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
): Promise<T[]> => {
  const items: T[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await runtime().ddb.send(
      new QueryCommand({ ...input, TableName: tableName(), ExclusiveStartKey: start }),
    );
    items.push(...((out.Items ?? []) as T[]));
    start = out.LastEvaluatedKey;
  } while (start);
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

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';

/*
 * lib-dynamodb's commands, sent without DynamoDBDocumentClient. That client builds the
 * SDK's whole middleware stack again for every call (it cannot use the client's
 * `cacheMiddleware`: its handler keeps the first command), about a fifth of the CPU a call
 * costs this process. Here each command's own description of which of its fields hold
 * items (`inputKeyNodes`, `outputKeyNodes`) drives util-dynamodb's marshall and
 * unmarshall, as lib-dynamodb does, and the low-level command goes through a client that
 * caches its handler per command class.
 */

/** lib-dynamodb's map of a command's fields: `null` the value itself, `{}`/`[]` each member, `{'*': …}` each entry. */
type KeyNodes = { [field: string]: KeyNodes } | KeyNodes[] | null;

interface DocumentCommand {
  input: Record<string, unknown>;
  inputKeyNodes: KeyNodes;
  outputKeyNodes: KeyNodes;
  clientCommand: object;
}

type Convert = (value: unknown) => unknown;

const EACH = '*';

const each = (value: unknown, convert: Convert, nodes: KeyNodes): unknown => {
  if (Array.isArray(value)) return value.map((v) => walk(v, convert, nodes));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const converted = walk(v, convert, nodes);
    if (converted !== undefined) out[k] = converted;
  }
  return out;
};

const walk = (value: unknown, convert: Convert, nodes: KeyNodes): unknown => {
  if (value === undefined) return undefined;
  if (nodes === null) return convert(value);
  const keys = Object.keys(nodes);
  if (keys.length === 0) return each(value, convert, null);
  if (keys.length === 1 && keys[0] === EACH)
    return each(value, convert, (nodes as Record<string, KeyNodes>)[EACH] ?? null);
  return fields(value as Record<string, unknown>, convert, nodes as Record<string, KeyNodes>);
};

const fields = (value: Record<string, unknown>, convert: Convert, nodes: Record<string, KeyNodes>) => {
  const out: Record<string, unknown> = { ...value };
  for (const [field, sub] of Object.entries(nodes)) {
    const converted = walk(value[field], convert, sub);
    if (converted !== undefined) out[field] = converted;
  }
  return out;
};

const toStore: Convert = (v) => marshall(v, { removeUndefinedValues: true, convertTopLevelContainer: true });
const fromStore: Convert = (v) => unmarshall(v as never, { convertWithoutMapWrapper: true });

/** The part of DynamoDBDocumentClient the product uses: `send` of lib-dynamodb's commands. */
export type DocumentSender = Pick<DynamoDBDocumentClient, 'send'>;

/**
 * A sender of lib-dynamodb's commands (GetCommand, UpdateCommand, …) over `raw`, which
 * should be made with `cacheMiddleware: true`. Answers and errors are those of
 * DynamoDBDocumentClient: the same items in, the same items and exceptions out.
 */
export const documentSender = (raw: DynamoDBClient): DocumentSender => ({
  send: (async (command: DocumentCommand) => {
    const LowLevel = command.clientCommand.constructor as new (input: unknown) => Parameters<DynamoDBClient['send']>[0];
    const output = await raw.send(new LowLevel(fields(command.input, toStore, command.inputKeyNodes as never)));
    return fields(output as unknown as Record<string, unknown>, fromStore, command.outputKeyNodes as never);
  }) as unknown as DocumentSender['send'],
});

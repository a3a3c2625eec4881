import { Logger } from '@aws-lambda-powertools/logger';
import { readFileSync } from 'node:fs';
import { configureRuntime, makeDocumentClient, runtime, type OutgoingMessage } from '../../functions/runtime.ts';
import { OrgTreeSchema, seedOrg } from '../../functions/store/config.ts';
import { startLocalDynamo, TABLE_NAME, type LocalDynamo } from '../../infra/local/dynamo.ts';

/**
 * The embedded DynamoDB (dynalite, in memory) wired as the runtime, for integration
 * tests of the store and handlers without the HTTP server. The clock is settable.
 */
export const embeddedStore = async (start = '2025-09-23T02:00:00Z') => {
  const dynamo: LocalDynamo = await startLocalDynamo(undefined);
  let now = new Date(start);
  const sent: OutgoingMessage[] = [];
  /** Tokens handed back: as a success (`output`), or as a failure (`error`, with the state its cause carries as `output`). */
  const signals: { token: string; output: Record<string, unknown>; error?: string }[] = [];
  const started: string[] = [];
  configureRuntime({
    tableName: TABLE_NAME,
    rawDdb: dynamo.client,
    ddb: makeDocumentClient(dynamo.client),
    clock: { now: () => now },
    workflow: {
      start: async (id) => void started.push(id),
      sendTaskSuccess: async (token, output) => void signals.push({ token, output }),
      sendTaskFailure: async (token, error, cause) => void signals.push({ token, error, output: JSON.parse(cause) }),
    },
    notify: { enqueue: async (m) => void sent.push(...m) },
    logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
    local: true,
  });
  return {
    sent,
    signals,
    started,
    setNow: (iso: string) => (now = new Date(iso)),
    stop: () => dynamo.close(),
  };
};

/** Seeds the demo district's org tree (functions/policies/org/demo-district.json) into the store. */
export const seedDemoDistrict = async (): Promise<void> => {
  const file = new URL('../../functions/policies/org/demo-district.json', import.meta.url);
  await seedOrg(OrgTreeSchema.parse(JSON.parse(readFileSync(file, 'utf8'))));
};

/** A command as the runtime's store client is given it. */
export type SentCommand = object & { input?: unknown };

/**
 * Has `around` make every call of the runtime's store client: it gets the command and the
 * client's own send, and may look before or after it, throw instead, or throw after it
 * (a process that dies once the store has answered).
 */
export const wrapSends = (
  around: (command: SentCommand, send: (c: SentCommand) => Promise<unknown>) => Promise<unknown>,
): void => {
  const ddb = runtime().ddb;
  const send = ddb.send.bind(ddb) as (c: SentCommand) => Promise<unknown>;
  (ddb as unknown as { send: (c: SentCommand) => Promise<unknown> }).send = (command) => around(command, send);
};

/** Calls `see` with every command the runtime's store client sends, before it is sent; `see` may throw instead. */
export const watchSends = (see: (command: SentCommand) => void): void =>
  wrapSends(async (command, send) => {
    see(command);
    return send(command);
  });

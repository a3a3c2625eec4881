import { Logger } from '@aws-lambda-powertools/logger';
import { configureRuntime, makeDocumentClient, type OutgoingMessage } from '../../functions/runtime.ts';
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

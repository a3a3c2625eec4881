import { contextSlot } from './requestContext.ts';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';

import type { Clock, NotifyPort, WorkflowPort } from './ports.ts';
import { documentSender, type DocumentSender } from './documentClient.ts';
import { withPlainConfig } from './plainClientConfig.ts';
import { withLightSerde } from './lightSerde.ts';
import { requiredEnv, sdkClient, type AwsWiring } from './aws/wiring.ts';

// Re-exported so that handlers keep one import for what they run against.
export type { Clock, NotifyPort, OutgoingMessage, WorkflowPort } from './ports.ts';
export { requiredEnv, sdkClient, type AwsService, type AwsWiring, type InstrumentedClient } from './aws/wiring.ts';

export interface Runtime {
  tableName: string;
  /** lib-dynamodb's commands, sent (documentClient.ts). */
  ddb: DocumentSender;
  /** Made with `cacheMiddleware: true`: its handler for each command class is built once. */
  rawDdb: DynamoDBClient;
  clock: Clock;
  workflow: WorkflowPort;
  notify: NotifyPort;
  logger: Logger;
  /** True in the local build: enables /local routes and relaxes nothing else. */
  local: boolean;
  /** How this function reaches AWS (its environment, its SDK clients); absent in the all-ports local build. */
  aws?: AwsWiring;
}

let current: Runtime | undefined;
// One process serves many functions when the local build runs as deployed: each invocation runs in its own.
const scoped = contextSlot<Runtime>('runtime');

/** Runs `fn` (one invocation) with `rt` as its runtime, whatever else runs meanwhile. */
export const runAs = <T>(rt: Runtime, fn: () => T): T => scoped.run(rt, fn);

/** The local server installs its stand-ins here before the first request. */
export const configureRuntime = (runtime: Runtime): void => {
  current = runtime;
};

export const runtime = (): Runtime => {
  const own = scoped.get();
  if (own) return own;
  if (!current) current = awsRuntime({ env: process.env });
  return current;
};

export const makeDocumentClient = (raw: DynamoDBClient): DocumentSender => documentSender(raw);

/** The runtime of one deployed function, from its wiring (process.env in Lambda). */
export const awsRuntime = (wiring: AwsWiring): Runtime => {
  const tableName = requiredEnv(wiring, 'TABLE_NAME');
  const rawDdb = sdkClient(wiring, 'dynamodb', (c) =>
    withLightSerde(withPlainConfig(new DynamoDBClient({ ...c, cacheMiddleware: true }))),
  );
  // Imported lazily so that functions which never touch the workflow or the queue do not pay for the clients.
  const lazy = <T>(load: () => Promise<T>) => {
    let p: Promise<T> | undefined;
    return () => (p ??= load());
  };
  const sfn = lazy(() => import('./aws/stepFunctions.ts').then((m) => m.stepFunctionsPort(wiring)));
  const sqs = lazy(() => import('./aws/notifyQueue.ts').then((m) => m.sqsNotifyPort(wiring)));
  return {
    tableName,
    rawDdb,
    ddb: makeDocumentClient(rawDdb),
    clock: wiring.clock ?? { now: () => new Date() },
    workflow: {
      start: async (id, input) => (await sfn()).start(id, input),
      sendTaskSuccess: async (token, output) => (await sfn()).sendTaskSuccess(token, output),
      sendTaskFailure: async (token, error, cause) => (await sfn()).sendTaskFailure(token, error, cause),
    },
    notify: { enqueue: async (m) => (await sqs()).enqueue(m) },
    logger: wiring.logger ?? new Logger({ serviceName: wiring.env.POWERTOOLS_SERVICE_NAME ?? 'community-fund' }),
    local: false,
    aws: wiring,
  };
};

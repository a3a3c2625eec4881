import { AsyncLocalStorage } from 'node:async_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';

/** Where "now" comes from: the wall clock in AWS, the simulated clock locally. */
export interface Clock {
  now(): Date;
}

/** The lifecycle engine as the handlers see it: Step Functions in AWS, the in-process runner locally. */
export interface WorkflowPort {
  /** Starts the project's execution (named by project id); starting it twice is a no-op. */
  start(projectId: string, input: Record<string, unknown>): Promise<void>;
  /** Hands a decision to a parked human step. A token that is no longer waiting is ignored. */
  sendTaskSuccess(token: string, output: Record<string, unknown>): Promise<void>;
}

export interface OutgoingMessage {
  /** One message is sent once: a repeat with the same key is dropped. */
  idempotencyKey: string;
  channel: 'sms' | 'email';
  to: string;
  template: string;
  subject?: string;
  text: string;
}

/** The notification queue: SQS in AWS, the outbox locally. */
export interface NotifyPort {
  enqueue(messages: OutgoingMessage[]): Promise<void>;
}

export interface Runtime {
  tableName: string;
  ddb: DynamoDBDocumentClient;
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

export type AwsService = 'dynamodb' | 'sfn' | 'sqs' | 'ses' | 'sms';

/** An SDK client as the wiring sees it: its middleware stack. */
export interface InstrumentedClient {
  middlewareStack: { add(middleware: unknown, options: Record<string, unknown>): void };
}

/**
 * What a function is given by its deployment: in Lambda, process.env and default clients;
 * when the local build runs as deployed, the environment its synthesized template gives it
 * and clients whose every call is checked against its synthesized policy.
 */
export interface AwsWiring {
  env: Readonly<Record<string, string | undefined>>;
  /** Extra configuration of each SDK client (the local endpoint and credentials). */
  clientConfig?: (service: AwsService) => Record<string, unknown>;
  /** Sees each SDK client before its first call. */
  instrument?: (service: AwsService, client: InstrumentedClient) => void;
  clock?: Clock;
  logger?: Logger;
}

/** Creates an SDK client the way the function's wiring says. */
export const sdkClient = <C extends InstrumentedClient>(
  wiring: AwsWiring,
  service: AwsService,
  make: (config: Record<string, unknown>) => C,
): C => {
  const client = make(wiring.clientConfig?.(service) ?? {});
  wiring.instrument?.(service, client);
  return client;
};

/** Reads a variable the function cannot run without. */
export const requiredEnv = (wiring: AwsWiring, name: string): string => {
  const v = wiring.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};

let current: Runtime | undefined;
// One process serves many functions when the local build runs as deployed: each invocation runs in its own.
const scoped = new AsyncLocalStorage<Runtime>();

/** Runs `fn` (one invocation) with `rt` as its runtime, whatever else runs meanwhile. */
export const runAs = <T>(rt: Runtime, fn: () => T): T => scoped.run(rt, fn);

/** The local server installs its stand-ins here before the first request. */
export const configureRuntime = (runtime: Runtime): void => {
  current = runtime;
};

export const runtime = (): Runtime => {
  const own = scoped.getStore();
  if (own) return own;
  if (!current) current = awsRuntime({ env: process.env });
  return current;
};

export const makeDocumentClient = (raw: DynamoDBClient): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });

/** The runtime of one deployed function, from its wiring (process.env in Lambda). */
export const awsRuntime = (wiring: AwsWiring): Runtime => {
  const tableName = requiredEnv(wiring, 'TABLE_NAME');
  const rawDdb = sdkClient(wiring, 'dynamodb', (c) => new DynamoDBClient(c));
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
    },
    notify: { enqueue: async (m) => (await sqs()).enqueue(m) },
    logger: wiring.logger ?? new Logger({ serviceName: wiring.env.POWERTOOLS_SERVICE_NAME ?? 'community-fund' }),
    local: false,
    aws: wiring,
  };
};

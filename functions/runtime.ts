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
}

let current: Runtime | undefined;

/** The local server installs its stand-ins here before the first request. */
export const configureRuntime = (runtime: Runtime): void => {
  current = runtime;
};

export const runtime = (): Runtime => {
  if (!current) current = awsRuntime();
  return current;
};

export const makeDocumentClient = (raw: DynamoDBClient): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });

const awsRuntime = (): Runtime => {
  const tableName = process.env.TABLE_NAME;
  if (!tableName) throw new Error('TABLE_NAME is not set');
  const rawDdb = new DynamoDBClient({});
  // Imported lazily so that functions which never touch the workflow or the queue do not pay for the clients.
  const lazy = <T>(load: () => Promise<T>) => {
    let p: Promise<T> | undefined;
    return () => (p ??= load());
  };
  const sfn = lazy(() => import('./aws/stepFunctions.ts').then((m) => m.stepFunctionsPort()));
  const sqs = lazy(() => import('./aws/notifyQueue.ts').then((m) => m.sqsNotifyPort()));
  return {
    tableName,
    rawDdb,
    ddb: makeDocumentClient(rawDdb),
    clock: { now: () => new Date() },
    workflow: {
      start: async (id, input) => (await sfn()).start(id, input),
      sendTaskSuccess: async (token, output) => (await sfn()).sendTaskSuccess(token, output),
    },
    notify: { enqueue: async (m) => (await sqs()).enqueue(m) },
    logger: new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'community-fund' }),
    local: false,
  };
};

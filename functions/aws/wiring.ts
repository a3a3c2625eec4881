import type { Logger } from '@aws-lambda-powertools/logger';

/*
 * The ports a function's runtime offers and how a deployed function reaches AWS. Kept
 * apart from runtime.ts so that the AWS adapters (stepFunctions.ts, notifyQueue.ts),
 * which runtime.ts loads, depend on this and not back on runtime.ts.
 */

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

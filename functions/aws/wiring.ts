import type { Logger } from '@aws-lambda-powertools/logger';
import type { Clock } from '../ports.ts';

/*
 * How a function reaches AWS, apart from the runtime that uses it: the runtime loads the
 * AWS ports lazily, and they need these without importing the runtime back.
 */

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

/**
 * What one Lambda function reaches beyond its own code: declared next to each handler,
 * read by the CDK stacks to give the function exactly these environment variables and
 * grants (infra/stacks/ports.ts), and by nothing else. Pure data: no AWS here.
 */
export type TableAccess = 'read' | 'readAppend' | 'readWrite';

export interface FunctionPorts {
  /** `readAppend` is reads plus PutItem, for handlers that only read but still append items (the API audits refused reads). */
  table: TableAccess;
  /** Starts a project's execution, and/or hands decisions to parked steps (task tokens). */
  workflow?: { start?: boolean; taskTokens?: boolean };
  /** Queues reminders for the sender. */
  notify?: boolean;
  /** Sends email through SES (the sender only). */
  email?: boolean;
  /** Sends SMS through End User Messaging (the sender only). */
  sms?: boolean;
}

/*
 * The ports a handler runs against, whatever implements them: AWS (functions/aws/) or
 * the local stand-ins (infra/local/). Types only.
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
  /** Fails a parked human step with `error` (what its Catch matches) and `cause`. A token that is no longer waiting is ignored. */
  sendTaskFailure(token: string, error: string, cause: string): Promise<void>;
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

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

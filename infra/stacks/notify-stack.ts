import { Annotations, Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ports as senderPorts } from '../../functions/notify/sender.ts';
import type { TableRef } from './access.ts';
import type { SenderSettings } from './ports.ts';
import { AppFunction, type FunctionRuntime } from './function.ts';

export type { SenderSettings };

export interface NotifyStackProps extends StackProps {
  runtime: FunctionRuntime;
  table: TableRef;
  sender: SenderSettings;
}

const SENDER_TIMEOUT = Duration.seconds(30);

/** Reminders by SMS and email: handlers enqueue, one sender delivers. */
export class NotifyStack extends Stack {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly sender: AppFunction;

  constructor(scope: Construct, id: string, props: NotifyStackProps) {
    super(scope, id, props);
    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is the dead-letter queue of the notify queue; a dead-letter queue of its own would only move the problem.',
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS's guidance for Lambda consumers: six times the function timeout.
      visibilityTimeout: Duration.seconds(SENDER_TIMEOUT.toSeconds() * 6),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 5 },
    });

    const s = props.sender;
    this.sender = new AppFunction(this, 'Sender', {
      entry: 'functions/notify/sender.ts',
      service: 'notify-sender',
      description: 'Delivers queued reminders by SMS and email',
      timeout: SENDER_TIMEOUT,
      runtime: props.runtime,
      // The ledger: each message's idempotency key is claimed in the table before it is sent.
      ports: senderPorts,
      resources: { table: props.table, sender: s },
    });
    if (!s.emailFrom || !s.smsOriginationIdentity) {
      Annotations.of(this.sender).addInfo(
        'Context emailFrom and smsOriginationIdentity are not both set: the sender will fail every message of the missing channel, and those messages will land in the notify DLQ.',
      );
    }
    this.sender.fn.addEventSource(new SqsEventSource(this.queue, { batchSize: 10, reportBatchItemFailures: true }));
  }
}

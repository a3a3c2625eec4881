import { Annotations, Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { grantTableAccess, type TableRef } from './access.ts';
import { AppFunction, type FunctionRuntime } from './function.ts';

/** Where reminders come from; read from context (`cdk synth -c emailFrom=…`). */
export interface SenderSettings {
  /** A verified SES identity, e.g. `noreply@example.gov.cn` (EMAIL_FROM). */
  emailFrom?: string;
  /** A registered sender id, phone number or pool of End User Messaging SMS (SMS_ORIGINATION_IDENTITY). */
  smsOriginationIdentity?: string;
  emailConfigurationSet?: string;
  smsConfigurationSet?: string;
}

export interface NotifyStackProps extends StackProps {
  runtime: FunctionRuntime;
  table: TableRef;
  sender: SenderSettings;
}

const SENDER_TIMEOUT = Duration.seconds(30);

/** The resource types End User Messaging SMS authorises SendTextMessage against. */
const SMS_RESOURCE_TYPES = ['phone-number', 'sender-id', 'pool', 'configuration-set', 'opt-out-list'];

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
      reason: 'This queue is the dead-letter queue of the notify queue; a dead-letter queue of its own would only move the problem.',
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS's guidance for Lambda consumers: six times the function timeout.
      visibilityTimeout: Duration.seconds(SENDER_TIMEOUT.toSeconds() * 6),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 5 },
    });

    const s = props.sender;
    const environment: Record<string, string> = {};
    if (s.emailFrom) environment.EMAIL_FROM = s.emailFrom;
    if (s.smsOriginationIdentity) environment.SMS_ORIGINATION_IDENTITY = s.smsOriginationIdentity;
    if (s.emailConfigurationSet) environment.EMAIL_CONFIGURATION_SET = s.emailConfigurationSet;
    if (s.smsConfigurationSet) environment.SMS_CONFIGURATION_SET = s.smsConfigurationSet;
    this.sender = new AppFunction(this, 'Sender', {
      entry: 'functions/notify/sender.ts',
      service: 'notify-sender',
      description: 'Delivers queued reminders by SMS and email',
      timeout: SENDER_TIMEOUT,
      runtime: props.runtime,
      environment,
    });
    if (!s.emailFrom || !s.smsOriginationIdentity) {
      Annotations.of(this.sender).addInfo(
        'Context emailFrom and smsOriginationIdentity are not both set: the sender will fail every message of the missing channel, and those messages will land in the notify DLQ.',
      );
    }
    this.sender.fn.addEventSource(new SqsEventSource(this.queue, { batchSize: 10, reportBatchItemFailures: true }));
    // The ledger: each message's idempotency key is claimed in the table before it is sent.
    grantTableAccess(this.sender.role, props.table, 'readWrite');

    const arn = (service: string, resource: string) => `arn:${this.partition}:${service}:${this.region}:${this.account}:${resource}`;
    this.sender.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['sms-voice:SendTextMessage'],
        resources: SMS_RESOURCE_TYPES.map((type) => arn('sms-voice', `${type}/*`)),
      }),
    );
    for (const type of SMS_RESOURCE_TYPES) {
      Validations.of(this.sender.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sms-voice:<AWS::Region>:<AWS::AccountId>:${type}/*]`,
        reason: `SendTextMessage is authorised against the ${type} resources involved in a send, whose ids End User Messaging assigns at registration (the origination identity is often given by name); scoped to this account, this region and the one action.`,
      });
    }

    // SES authorises against the address identity or its domain, whichever is verified.
    const emailIdentities = s.emailFrom
      ? [...new Set([s.emailFrom, s.emailFrom.split('@').pop()!])].map((i) => arn('ses', `identity/${i}`))
      : [arn('ses', 'identity/*')];
    const configurationSet = arn('ses', `configuration-set/${s.emailConfigurationSet ?? '*'}`);
    this.sender.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['ses:SendEmail'], resources: [...emailIdentities, configurationSet] }),
    );
    if (!s.emailFrom) {
      Validations.of(this.sender.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:identity/*]',
        reason: 'No sender address was given (context emailFrom), so SendEmail is allowed from any identity verified in this account and region; setting emailFrom narrows it to that address and its domain.',
      });
    }
    if (!s.emailConfigurationSet) {
      Validations.of(this.sender.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:configuration-set/*]',
        reason: 'SES also authorises SendEmail against a default configuration set an identity may carry, unknown here; setting emailConfigurationSet narrows this to that one set.',
      });
    }
  }
}

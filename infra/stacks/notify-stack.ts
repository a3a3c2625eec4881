import { Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { AppFunction, type FunctionRuntime } from './function.ts';

export interface NotifyStackProps extends StackProps {
  runtime: FunctionRuntime;
  /**
   * The SES identity (domain or address) mail is sent from. Without it the sender may use
   * any verified identity of this account and region.
   */
  emailIdentity?: string;
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

    this.sender = new AppFunction(this, 'Sender', {
      entry: 'functions/notify/sender.ts',
      service: 'notify-sender',
      description: 'Delivers queued reminders by SMS and email',
      timeout: SENDER_TIMEOUT,
      runtime: props.runtime,
    });
    this.sender.fn.addEventSource(
      new SqsEventSource(this.queue, { batchSize: 10, reportBatchItemFailures: true }),
    );

    const smsResources = SMS_RESOURCE_TYPES.map(
      (type) => `arn:${this.partition}:sms-voice:${this.region}:${this.account}:${type}/*`,
    );
    this.sender.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['sms-voice:SendTextMessage'], resources: smsResources }),
    );
    const identity = props.emailIdentity ?? '*';
    this.sender.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [
          `arn:${this.partition}:ses:${this.region}:${this.account}:identity/${identity}`,
          `arn:${this.partition}:ses:${this.region}:${this.account}:configuration-set/*`,
        ],
      }),
    );
    for (const type of SMS_RESOURCE_TYPES) {
      Validations.of(this.sender.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sms-voice:<AWS::Region>:<AWS::AccountId>:${type}/*]`,
        reason: `SendTextMessage is authorised against whichever ${type} the account provisions for the district (chosen at send time, not known at synth); scoped to this account and region and to the one action.`,
      });
    }
    Validations.of(this.sender.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:configuration-set/*]',
      reason: 'SES checks SendEmail against the configuration set the message names, which is set per deployment; scoped to this account and region and to the one action.',
    });
    if (!props.emailIdentity) {
      Validations.of(this.sender.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:identity/*]',
        reason: 'No sending identity was given (context emailIdentity), so the sender may use any SES identity verified in this account and region; set emailIdentity to narrow it to one.',
      });
    }
  }
}

import { Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { FunctionPorts } from '../../functions/ports.ts';
import { grantTableAccess, type TableRef } from './access.ts';
import type { AppFunction } from './function.ts';

/** Where reminders come from; read from context (`cdk synth -c emailFrom=…`). */
export interface SenderSettings {
  /** A verified SES identity, e.g. `noreply@example.gov.cn` (EMAIL_FROM). */
  emailFrom?: string;
  /** A registered sender id, phone number or pool of End User Messaging SMS (SMS_ORIGINATION_IDENTITY). */
  smsOriginationIdentity?: string;
  emailConfigurationSet?: string;
  smsConfigurationSet?: string;
}

/** The resources a stack can offer its functions; each function takes only what its declaration names. */
export interface PortResources {
  table: TableRef;
  stateMachineArn?: string;
  notifyQueue?: IQueue;
  sender?: SenderSettings;
}

/**
 * The actions that answer a parked step. The Service Authorization Reference for Step
 * Functions lists no resource type for them (task tokens are opaque and not ARNs), so
 * IAM only honours them in a statement whose Resource is "*"; a statement scoped to the
 * state machine's ARN is not one AWS documents as matching.
 */
export const TASK_TOKEN_ACTIONS = ['states:SendTaskSuccess', 'states:SendTaskFailure'] as const;

/** The resource types End User Messaging SMS authorises SendTextMessage against. */
const SMS_RESOURCE_TYPES = ['phone-number', 'sender-id', 'pool', 'configuration-set', 'opt-out-list'];

const XRAY_REASON =
  'X-Ray active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords do not support resource-level permissions, so AWS requires Resource "*".';

/**
 * Gives `fn` the environment and the grants its declaration names, from `resources`.
 * A port the stack cannot serve fails synthesis, naming the function: a function must
 * never deploy without something its code reaches for.
 */
export const wirePorts = (fn: AppFunction, entry: string, ports: FunctionPorts, resources: PortResources): void => {
  const missing = (what: string) => new Error(`${entry} declares ${what}, but ${fn.node.path} was given none`);
  grantTableAccess(fn.role, resources.table, ports.table);
  const star: string[] = [XRAY_REASON];

  if (ports.workflow?.start || ports.workflow?.taskTokens) {
    if (!resources.stateMachineArn) throw missing('the workflow port');
    fn.fn.addEnvironment('STATE_MACHINE_ARN', resources.stateMachineArn);
    if (ports.workflow.start) {
      fn.role.addToPrincipalPolicy(
        new PolicyStatement({ actions: ['states:StartExecution'], resources: [resources.stateMachineArn] }),
      );
    }
    if (ports.workflow.taskTokens) {
      fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: [...TASK_TOKEN_ACTIONS], resources: ['*'] }));
      star.push(
        'states:SendTaskSuccess and states:SendTaskFailure: the Service Authorization Reference lists no resource type for the task-token actions (SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat), so Resource must be "*"; only SendTaskSuccess and SendTaskFailure (a step rerouted when its Next does not fit the status) are granted, never SendTaskHeartbeat, and a token is only ever read from the project it belongs to.',
      );
    }
  }

  if (ports.notify) {
    if (!resources.notifyQueue) throw missing('the notify queue');
    fn.fn.addEnvironment('NOTIFY_QUEUE_URL', resources.notifyQueue.queueUrl);
    resources.notifyQueue.grantSendMessages(fn.role);
  }

  if (ports.email || ports.sms) {
    if (!resources.sender) throw missing('the email and SMS channels');
    grantChannels(fn, ports, resources.sender);
  }
  Validations.of(fn.role).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason: star.join(' ') });
};

const grantChannels = (fn: AppFunction, ports: FunctionPorts, s: SenderSettings): void => {
  const stack = Stack.of(fn);
  const arn = (service: string, resource: string) =>
    `arn:${stack.partition}:${service}:${stack.region}:${stack.account}:${resource}`;
  if (ports.sms) {
    if (s.smsOriginationIdentity) fn.fn.addEnvironment('SMS_ORIGINATION_IDENTITY', s.smsOriginationIdentity);
    if (s.smsConfigurationSet) fn.fn.addEnvironment('SMS_CONFIGURATION_SET', s.smsConfigurationSet);
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['sms-voice:SendTextMessage'],
        resources: SMS_RESOURCE_TYPES.map((type) => arn('sms-voice', `${type}/*`)),
      }),
    );
    for (const type of SMS_RESOURCE_TYPES) {
      Validations.of(fn.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sms-voice:<AWS::Region>:<AWS::AccountId>:${type}/*]`,
        reason: `SendTextMessage is authorised against the ${type} resources involved in a send, whose ids End User Messaging assigns at registration (the origination identity is often given by name); scoped to this account, this region and the one action.`,
      });
    }
  }
  if (ports.email) {
    if (s.emailFrom) fn.fn.addEnvironment('EMAIL_FROM', s.emailFrom);
    if (s.emailConfigurationSet) fn.fn.addEnvironment('EMAIL_CONFIGURATION_SET', s.emailConfigurationSet);
    // SES authorises against the address identity or its domain, whichever is verified.
    const emailIdentities = s.emailFrom
      ? [...new Set([s.emailFrom, s.emailFrom.split('@').pop()!])].map((i) => arn('ses', `identity/${i}`))
      : [arn('ses', 'identity/*')];
    const configurationSet = arn('ses', `configuration-set/${s.emailConfigurationSet ?? '*'}`);
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['ses:SendEmail'], resources: [...emailIdentities, configurationSet] }),
    );
    if (!s.emailFrom) {
      Validations.of(fn.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:identity/*]',
        reason:
          'No sender address was given (context emailFrom), so SendEmail is allowed from any identity verified in this account and region; setting emailFrom narrows it to that address and its domain.',
      });
    }
    if (!s.emailConfigurationSet) {
      Validations.of(fn.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:configuration-set/*]',
        reason:
          'SES also authorises SendEmail against a default configuration set an identity may carry, unknown here; setting emailConfigurationSet narrows this to that one set.',
      });
    }
  }
};

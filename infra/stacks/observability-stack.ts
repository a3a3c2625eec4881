import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, Dashboard, GraphWidget, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { keyPolicy } from './access.ts';

export interface ObservabilityStackProps extends StackProps {
  httpApi: IHttpApi;
  functions: { name: string; fn: IFunction }[];
  stateMachine: IStateMachine;
  deadLetterQueues: { name: string; queue: IQueue }[];
}

/** Alarms that need a person, sent to one encrypted topic, and a dashboard of the same signals. */
export class ObservabilityStack extends Stack {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: ObservabilityStackProps) {
    super(scope, id, props);
    const cloudwatch = new ServicePrincipal('cloudwatch.amazonaws.com');
    /*
     * A customer managed key, because CloudWatch alarms cannot publish to a topic
     * encrypted with the AWS managed SNS key (its policy cannot admit CloudWatch).
     */
    const key = new Key(this, 'AlarmTopicKey', {
      description: 'Encrypts the alarm topic',
      enableKeyRotation: true,
      policy: keyPolicy([
        new PolicyStatement({
          principals: [cloudwatch],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: ['*'],
          conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
        }),
      ]),
    });
    this.topic = new Topic(this, 'Alarms', { masterKey: key, enforceSSL: true, displayName: 'Community fund alarms' });
    const action = new SnsAction(this.topic);

    const alarm = (id: string, metric: IMetric, description: string, threshold = 1) => {
      const a = new Alarm(this, id, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      a.addAlarmAction(action);
      return a;
    };
    const period = Duration.minutes(5);

    alarm('Api5xx', props.httpApi.metricServerError({ period, statistic: 'Sum' }), 'The API answered 5xx', 5);
    for (const { name, fn } of props.functions) {
      alarm(`${name}Errors`, fn.metricErrors({ period, statistic: 'Sum' }), `Function ${name} failed`, 3);
      alarm(`${name}Throttles`, fn.metricThrottles({ period, statistic: 'Sum' }), `Function ${name} was throttled`);
    }
    alarm('ExecutionsFailed', props.stateMachine.metricFailed({ period, statistic: 'Sum' }), 'A project lifecycle execution failed');
    alarm('ExecutionsTimedOut', props.stateMachine.metricTimedOut({ period, statistic: 'Sum' }), 'A project lifecycle execution timed out');
    for (const { name, queue } of props.deadLetterQueues) {
      alarm(
        `${name}Depth`,
        queue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
        `Messages are waiting in the dead-letter queue ${name}`,
      );
    }

    new Dashboard(this, 'Dashboard', {
      widgets: [
        [
          new GraphWidget({ title: 'API 5xx', left: [props.httpApi.metricServerError({ period, statistic: 'Sum' })] }),
          new GraphWidget({
            title: 'Lifecycle executions',
            left: [props.stateMachine.metricFailed({ period }), props.stateMachine.metricTimedOut({ period })],
          }),
        ],
        [
          new GraphWidget({
            title: 'Function errors',
            left: props.functions.map(({ fn }) => fn.metricErrors({ period })),
            width: 24,
          }),
        ],
      ],
    });
  }
}

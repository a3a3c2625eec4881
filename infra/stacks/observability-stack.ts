import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  TreatMissingData,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Rule, RuleTargetInput, EventField } from 'aws-cdk-lib/aws-events';
import { SnsTopic } from 'aws-cdk-lib/aws-events-targets';
import { Function as LambdaFunction, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';

export interface ObservabilityStackProps extends StackProps {
  httpApi: IHttpApi;
  /** The product's functions: graphed on the dashboard when one is asked for (alarms watch every function of the account). */
  functions: { name: string; fn: IFunction }[];
  stateMachine: IStateMachine;
  deadLetterQueues: { name: string; queue: IQueue }[];
}

/** The context key that adds the dashboard: `cdk deploy -c dashboard=true`. */
export const DASHBOARD_CONTEXT = 'dashboard';

/** The execution endings that need a person: every way a project's lifecycle can stop short of its end. */
export const EXECUTION_ENDINGS_ALERTED = ['FAILED', 'TIMED_OUT', 'ABORTED'] as const;

/**
 * What a deployment pays CloudWatch for its alarms: one alarm per kind of failure, each
 * billed per metric it reads (US$0.10 a metric a month). bench/cost.ts prices this list,
 * and the infra test checks it against the synthesized alarms, so the two cannot drift.
 */
export const alarmMetricsBilled = (deadLetterQueues: number): { kind: string; metrics: number }[] => [
  { kind: 'function errors, every function of the account', metrics: 1 },
  { kind: 'function throttles, every function of the account', metrics: 1 },
  { kind: 'API 5xx', metrics: 1 },
  { kind: 'messages in a dead-letter queue', metrics: deadLetterQueues },
];

/**
 * Alarms that need a person, sent to one topic: one alarm per kind of failure rather than
 * one per function, and the lifecycle's failed executions by their own (free) events.
 */
export class ObservabilityStack extends Stack {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: ObservabilityStackProps) {
    super(scope, id, props);
    /*
     * Not encrypted at rest, with a reason: CloudWatch alarms and EventBridge can publish
     * only to a topic whose key policy admits them, which the AWS managed SNS key's policy
     * cannot, so encryption would need a customer managed key at US$12 a year, a fifth of
     * a deployment's fixed cost. What passes through is alarm names, states, metric values
     * and execution ARNs named by project id: no resident's or staff member's data. In
     * transit, publishing without TLS is refused (enforceSSL).
     */
    this.topic = new Topic(this, 'Alarms', { enforceSSL: true, displayName: 'Community fund alarms' });
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

    /*
     * Lambda publishes Errors and Throttles also without a dimension, summed over every
     * function of the account and region: one metric each watches all of the product's
     * functions, including any added later. A sum of at least 3 fires whenever one
     * function alone would have reached the old per-function threshold of 3, so nothing
     * the 41 per-function alarms caught is missed; another application's functions in a
     * shared account can only add alarms, never hide one.
     */
    alarm(
      'FunctionErrors',
      LambdaFunction.metricAllErrors({ period, statistic: 'Sum' }),
      'Functions failed (errors of every function of the account, summed)',
      3,
    );
    alarm(
      'FunctionThrottles',
      LambdaFunction.metricAllThrottles({ period, statistic: 'Sum' }),
      'A function was throttled (every function of the account)',
    );
    // Handlers answer an unexpected error with a 500 themselves, which Lambda does not count as an error: the API's 5xx does.
    alarm('Api5xx', props.httpApi.metricServerError({ period, statistic: 'Sum' }), 'The API answered 5xx', 5);
    // FILL: a queue that has not reported in the period counts as empty instead of blanking the sum.
    alarm(
      'DeadLetters',
      new MathExpression({
        expression: props.deadLetterQueues.map((_, i) => `FILL(dlq${i}, 0)`).join(' + '),
        usingMetrics: Object.fromEntries(
          props.deadLetterQueues.map(({ queue }, i) => [
            `dlq${i}`,
            queue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
          ]),
        ),
        period,
        label: 'Messages waiting in dead-letter queues',
      }),
      `Messages are waiting in a dead-letter queue (${props.deadLetterQueues.map((d) => d.name).join(', ')})`,
    );

    /*
     * Failed, timed-out and aborted executions by their status-change events: AWS service
     * events on the default bus cost nothing, where an alarm on ExecutionsFailed and
     * ExecutionsTimedOut would cost two alarm metrics. Each ending is reported with the
     * project's execution, which an alarm could not name.
     */
    new Rule(this, 'LifecycleEndedShort', {
      description: 'A project lifecycle execution failed, timed out or was stopped',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: { status: [...EXECUTION_ENDINGS_ALERTED], stateMachineArn: [props.stateMachine.stateMachineArn] },
      },
      targets: [
        new SnsTopic(this.topic, {
          message: RuleTargetInput.fromText(
            `Project lifecycle execution ${EventField.fromPath('$.detail.name')} ended ${EventField.fromPath('$.detail.status')}: ${EventField.fromPath('$.detail.executionArn')}`,
          ),
        }),
      ],
    });

    // A dashboard is US$3 a month once an account has three; the alarms above need none.
    const wanted = this.node.tryGetContext(DASHBOARD_CONTEXT);
    if (wanted === true || wanted === 'true') {
      new Dashboard(this, 'Dashboard', {
        widgets: [
          [
            new GraphWidget({
              title: 'API 5xx',
              left: [props.httpApi.metricServerError({ period, statistic: 'Sum' })],
            }),
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
}

import { Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnSchedule } from 'aws-cdk-lib/aws-scheduler';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ports as yearEndPorts } from '../../functions/jobs/yearEnd.ts';
import { ports as reminderSweepPorts } from '../../functions/jobs/reminderSweep.ts';
import type { TableRef } from './access.ts';
import { AppFunction, type FunctionRuntime } from './function.ts';

export const SCHEDULE_TIME_ZONE = 'Asia/Shanghai';

export interface SchedulesStackProps extends StackProps {
  runtime: FunctionRuntime;
  table: TableRef;
  notifyQueue: IQueue;
  /** The lifecycle state machine: the year-end check wakes the workflows of the projects it fails. */
  stateMachineArn: string;
  /** The profile's `yearEnd.checkOn`, 'MM-DD'. */
  yearEndCheckOn: string;
}

/** Turns 'MM-DD' into the day and month fields of a Scheduler cron expression. */
export const yearEndCron = (checkOn: string): string => {
  const m = /^(\d{2})-(\d{2})$/.exec(checkOn);
  const month = m ? Number(m[1]) : NaN;
  const day = m ? Number(m[2]) : NaN;
  // 29 February is refused: a yearly check must run every year.
  const daysIn = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  if (!m || month < 1 || month > 12 || day < 1 || day > daysIn[month - 1]) {
    throw new Error(`yearEnd.checkOn must be 'MM-DD', got '${checkOn}'`);
  }
  return `cron(30 0 ${day} ${month} ? *)`;
};

/** The yearly year-end check and the daily reminder sweep, on Beijing time. */
export class SchedulesStack extends Stack {
  readonly yearEnd: AppFunction;
  readonly reminderSweep: AppFunction;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: SchedulesStackProps) {
    super(scope, id, props);
    const resources = { table: props.table, notifyQueue: props.notifyQueue, stateMachineArn: props.stateMachineArn };
    this.yearEnd = new AppFunction(this, 'YearEnd', {
      entry: 'functions/jobs/yearEnd.ts',
      service: 'job-year-end',
      description: 'Yearly year-end check: surplus, failed projects, sanctions',
      timeout: Duration.minutes(15),
      runtime: props.runtime,
      ports: yearEndPorts,
      resources,
    });

    this.reminderSweep = new AppFunction(this, 'ReminderSweep', {
      entry: 'functions/jobs/reminderSweep.ts',
      service: 'job-reminder-sweep',
      description: 'Daily sweep that queues reminders for due and overdue steps',
      timeout: Duration.minutes(5),
      runtime: props.runtime,
      ports: reminderSweepPorts,
      resources,
    });

    this.deadLetterQueue = new Queue(this, 'FailedInvocations', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is the dead-letter queue of the schedules; its depth raises an alarm, and nothing consumes it automatically.',
    });

    const role = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
      description: 'Lets EventBridge Scheduler invoke the two scheduled jobs',
    });
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [this.yearEnd.fn.functionArn, this.reminderSweep.fn.functionArn],
      }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.deadLetterQueue.queueArn] }),
    );

    const schedule = (id: string, expression: string, fn: AppFunction, job: string, description: string) =>
      new CfnSchedule(this, id, {
        description,
        scheduleExpression: expression,
        scheduleExpressionTimezone: SCHEDULE_TIME_ZONE,
        flexibleTimeWindow: { mode: 'OFF' },
        state: 'ENABLED',
        target: {
          arn: fn.fn.functionArn,
          roleArn: role.roleArn,
          // The handler takes the year and the day from the scheduled time, so a late retry still does the right day.
          input: JSON.stringify({ job, scheduledTime: '<aws.scheduler.scheduled-time>' }),
          retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 6 * 3600 },
          deadLetterConfig: { arn: this.deadLetterQueue.queueArn },
        },
      });
    schedule('YearEndSchedule', yearEndCron(props.yearEndCheckOn), this.yearEnd, 'yearEnd', 'Year-end check');
    schedule('ReminderSweepSchedule', 'cron(0 8 * * ? *)', this.reminderSweep, 'reminderSweep', 'Daily reminder sweep');
  }
}

import { readFileSync } from 'node:fs';
import { ArnFormat, Duration, Names, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { CfnSamplingRule } from 'aws-cdk-lib/aws-xray';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { ports as parkPorts } from '../../functions/tasks/park.ts';
import { ports as stepPorts } from '../../functions/tasks/step.ts';
import type { TableRef } from './access.ts';
import { AppFunction, repoPath, type FunctionRuntime } from './function.ts';

export const LIFECYCLE_DEFINITION = 'workflows/project-lifecycle.asl.json';

/**
 * The share of lifecycle executions X-Ray records (with their tasks' functions, which
 * trace what their caller sampled): no reservoir, so a district's few executions a second
 * are not all traced by the default rule's one a second. bench/cost.ts prices this rate.
 */
export const WORKFLOW_TRACE_SAMPLING = { fixedRate: 0.05, reservoirSize: 0 } as const;

export interface WorkflowStackProps extends StackProps {
  runtime: FunctionRuntime;
  table: TableRef;
  notifyQueue: IQueue;
}

/** One Standard execution per project holds its timers and parked human steps. */
export class WorkflowStack extends Stack {
  readonly stateMachine: StateMachine;
  readonly stateMachineName: string;
  readonly park: AppFunction;
  readonly step: AppFunction;

  constructor(scope: Construct, id: string, props: WorkflowStackProps) {
    super(scope, id, props);
    /*
     * The name is fixed so that the ARN can be written down before the state machine
     * exists: park needs it in its policy, and the state machine needs park's ARN in its
     * definition; referencing the resource itself would be a dependency cycle.
     */
    this.stateMachineName = `${this.stackName}-ProjectLifecycle`;
    const stateMachineArn = this.formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: this.stateMachineName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });

    this.park = new AppFunction(this, 'Park', {
      entry: 'functions/tasks/park.ts',
      service: 'workflow-park',
      description: 'Stores the task token of a parked human step on the project',
      timeout: Duration.seconds(30),
      runtime: props.runtime,
      ports: parkPorts,
      resources: { table: props.table, stateMachineArn },
    });

    this.step = new AppFunction(this, 'Step', {
      entry: 'functions/tasks/step.ts',
      service: 'workflow-step',
      description: 'Loads, closes windows and escalates for the lifecycle',
      timeout: Duration.seconds(30),
      runtime: props.runtime,
      ports: stepPorts,
      resources: { table: props.table, notifyQueue: props.notifyQueue },
    });

    const role = new Role(this, 'StateMachineRole', { assumedBy: new ServicePrincipal('states.amazonaws.com') });
    // Unqualified ARNs only: the definition invokes $LATEST, never a version or alias.
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [this.park.fn.functionArn, this.step.fn.functionArn],
      }),
    );

    const logGroup = new LogGroup(this, 'StateMachineLogs', {
      // The vendedlogs prefix keeps the account's CloudWatch Logs resource policy small.
      logGroupName: `/aws/vendedlogs/states/${this.stateMachineName}`,
      retention: RetentionDays.ONE_YEAR,
    });

    this.stateMachine = new StateMachine(this, 'Lifecycle', {
      stateMachineName: this.stateMachineName,
      stateMachineType: StateMachineType.STANDARD,
      /*
       * Inlined rather than DefinitionBody.fromFile: fromFile uploads the file as an S3
       * asset, which hides the definition from the template (and from `cdk diff` and the
       * tests). The same file still serves the local runner unchanged.
       */
      definitionBody: DefinitionBody.fromString(
        JSON.stringify(JSON.parse(readFileSync(repoPath(LIFECYCLE_DEFINITION), 'utf8'))),
      ),
      definitionSubstitutions: {
        ParkFunctionArn: this.park.fn.functionArn,
        StepFunctionArn: this.step.fn.functionArn,
      },
      role,
      tracingEnabled: true,
      logs: {
        destination: logGroup,
        // Execution data carries task tokens, which must never reach a log.
        level: LogLevel.ERROR,
        includeExecutionData: false,
      },
    });

    new CfnSamplingRule(this, 'LifecycleTraceSampling', {
      samplingRule: {
        ruleName: Names.uniqueResourceName(this, { maxLength: 32 }),
        priority: 100,
        fixedRate: WORKFLOW_TRACE_SAMPLING.fixedRate,
        reservoirSize: WORKFLOW_TRACE_SAMPLING.reservoirSize,
        serviceName: this.stateMachineName,
        serviceType: 'AWS::StepFunctions::StateMachine',
        host: '*',
        httpMethod: '*',
        urlPath: '*',
        resourceArn: '*',
        version: 1,
      },
    });

    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-SF1',
      reason:
        'Logging is ERROR level without execution data on purpose: state input and output carry task tokens, which must never be logged. The project event items in DynamoDB are the audit history.',
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Added by CDK for logging and tracing: the CloudWatch Logs delivery APIs (logs:CreateLogDelivery and friends) and X-Ray PutTraceSegments/GetSamplingRules do not support resource-level permissions.',
    });
  }
}

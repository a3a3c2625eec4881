import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import aslValidator from 'asl-validator';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { API_MODULE_PORTS } from '../../functions/api/modulePorts.ts';
import { ROUTES } from '../../functions/api/routes.ts';
import { buildApp, STACK_PREFIX } from '../../infra/app.ts';
import { DataStack } from '../../infra/stacks/data-stack.ts';
import { createTableIndexes } from '../../functions/store/indexes.ts';
import { repoPath } from '../../infra/stacks/function.ts';
import { yearEndCron } from '../../infra/stacks/schedules-stack.ts';
import { alarmMetricsBilled } from '../../infra/stacks/observability-stack.ts';
import { PRICED_DEPLOYMENT } from '../../bench/cost.ts';
import { LIFECYCLE_DEFINITION } from '../../infra/stacks/workflow-stack.ts';
import { acknowledgements, actionsOf, stackById, statements, synthFindings, testApp, type Finding } from './synth.ts';

const NAMES = ['Data', 'Auth', 'Notify', 'Workflow', 'Gateway', 'Api', 'Schedules', 'Observability'] as const;
type Name = (typeof NAMES)[number];

let app: App;
let synthError: Error | undefined;
let findings: Finding[];
const templates = {} as Record<Name, Template>;
const json = {} as Record<
  Name,
  {
    Resources: Record<
      string,
      { Type: string; Properties?: any; DeletionPolicy?: string; UpdateReplacePolicy?: string }
    >;
  }
>;

beforeAll(() => {
  app = buildApp(testApp({ profile: 'guandu' }));
  ({ findings, error: synthError } = synthFindings(app));
  for (const name of NAMES) {
    const stack = stackById(app, `${STACK_PREFIX}-${name}`);
    // After a failed validation fromStack would only throw again; the templates were written before it ran.
    templates[name] = synthError
      ? Template.fromJSON(JSON.parse(readFileSync(join(app.outdir, stack.templateFile), 'utf8')))
      : Template.fromStack(stack);
    json[name] = templates[name].toJSON() as (typeof json)[Name];
  }
});

const resourcesOf = (name: Name, type: string) =>
  Object.entries(json[name].Resources).filter(([, r]) => r.Type === type);

/** The id AwsCustomResource gives its provider: CDK's own function, run only during deployments (it sets the API's CORS). */
const CDK_CUSTOM_RESOURCE_PROVIDER = /^AWS679f53fac002430cb0da5b7982bd2287/;

/** The product's own functions: every Lambda function but CDK's custom-resource provider. */
const productFunctions = (name: Name) =>
  resourcesOf(name, 'AWS::Lambda::Function').filter(([id]) => !CDK_CUSTOM_RESOURCE_PROVIDER.test(id));

/** The role of the function whose logical id starts with `prefix`, and all actions its policies allow. */
const functionPolicy = (name: Name, prefix: string) => {
  const fns = resourcesOf(name, 'AWS::Lambda::Function').filter(([id]) => id.startsWith(prefix));
  expect(fns, `one function ${prefix} in ${name}`).toHaveLength(1);
  const roleId = fns[0][1].Properties.Role['Fn::GetAtt'][0] as string;
  const policies = resourcesOf(name, 'AWS::IAM::Policy').filter(([, p]) =>
    (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId),
  );
  const stmts = policies.flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Record<string, unknown>[]);
  return { fn: fns[0][1], stmts, actions: new Set(stmts.flatMap(actionsOf)) };
};

describe('data', () => {
  it('has one table with PITR, deletion protection, Retain, TTL, on-demand billing and the three GSIs', () => {
    const t = templates.Data;
    t.resourceCountIs('AWS::DynamoDB::Table', 1);
    t.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
        SSESpecification: { SSEEnabled: true },
        GlobalSecondaryIndexes: [1, 2, 3, 4].map((i) => ({
          IndexName: `gsi${i}`,
          KeySchema: [
            { AttributeName: `gsi${i}pk`, KeyType: 'HASH' },
            { AttributeName: `gsi${i}sk`, KeyType: 'RANGE' },
          ],
          Projection: Match.objectLike({ ProjectionType: 'INCLUDE' }),
        })),
      }),
    });
  });

  it('projects into each index only what its queries return, exactly as the local table does', () => {
    // Prepare
    const stack = new DataStack(new App(), 'Data', { customerManagedKey: false });

    // Act
    const table = Object.values(Template.fromStack(stack).findResources('AWS::DynamoDB::Table'))[0];
    const indexes = table.Properties.GlobalSecondaryIndexes as {
      IndexName: string;
      KeySchema: unknown[];
      Projection: { ProjectionType: string; NonKeyAttributes?: string[] };
    }[];

    // Assess
    const byName = Object.fromEntries(indexes.map((i) => [i.IndexName, i.Projection]));
    for (const p of Object.values(byName)) expect(p.ProjectionType).not.toBe('ALL');
    // The lists carry a summary: the fields they filter on and show, never the records that grow.
    for (const name of ['gsi1', 'gsi2', 'gsi4']) {
      expect(byName[name].NonKeyAttributes).toEqual(expect.arrayContaining(['id', 'status', 'title', 'amountFen']));
      for (const heavy of ['history', 'tranches', 'deliberations', 'measures', 'remindersSent', 'taskToken'])
        expect(byName[name].NonKeyAttributes).not.toContain(heavy);
    }
    // The unit's contacts share gsi1 and are returned from it.
    expect(byName.gsi1.NonKeyAttributes).toEqual(expect.arrayContaining(['sub', 'role', 'phone', 'email']));
    expect(byName.gsi3.NonKeyAttributes?.sort()).toEqual(['id', 'status']);
    // The notice board's index carries the summary, and nothing a contact has.
    expect(byName.gsi4.NonKeyAttributes).not.toContain('phone');
    // The local table is created from the same definitions.
    expect(
      createTableIndexes().map((i) => ({ IndexName: i.IndexName, KeySchema: i.KeySchema, Projection: i.Projection })),
    ).toEqual(indexes.map((i) => ({ IndexName: i.IndexName, KeySchema: i.KeySchema, Projection: i.Projection })));
  });

  it('uses a customer managed key, with no wildcard action in its policy, when asked', () => {
    const stack = new DataStack(new App(), 'Data', { customerManagedKey: true });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
    });
    t.hasResource('AWS::KMS::Key', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ EnableKeyRotation: true }),
    });
    for (const { statement } of statements(t.toJSON())) {
      for (const action of actionsOf(statement)) expect(action).not.toContain('*');
    }
  });
});

describe('auth', () => {
  it('is on the Lite tier with TOTP required at every sign-in, and no threat-protection add-on', () => {
    const [[, pool]] = resourcesOf('Auth', 'AWS::Cognito::UserPool');
    expect(pool.Properties.UserPoolTier).toBe('LITE');
    expect(pool.Properties.MfaConfiguration).toBe('ON');
    expect(pool.Properties.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(pool.Properties.UserPoolAddOns).toBeUndefined();
  });
});

describe('api', () => {
  it('creates every route of ROUTES with JWT on staff routes and none on /v1/public/* and the OpenAPI document', () => {
    const routes = resourcesOf('Api', 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties);
    expect(routes).toHaveLength(ROUTES.length);
    const authorizers = resourcesOf('Api', 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizers).toHaveLength(1);
    const [authorizerId] = authorizers[0];
    for (const route of ROUTES) {
      const key = `${route.method} ${route.path}`;
      const found = routes.find((r) => r.RouteKey === key);
      expect(found, key).toBeDefined();
      if (route.path.startsWith('/v1/public/') || route.path === '/v1/openapi.json') {
        expect(route.access, key).toBe('public');
        expect(found.AuthorizationType ?? 'NONE', key).toBe('NONE');
        expect(found.AuthorizerId, key).toBeUndefined();
      } else {
        expect(found.AuthorizationType, key).toBe('JWT');
        expect(found.AuthorizerId, key).toEqual({ Ref: authorizerId });
      }
    }
  });

  it('trusts the Cognito pool as issuer and its two app clients (SRP and the console) as audience', () => {
    templates.Api.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [
          { 'Fn::ImportValue': Match.stringLikeRegexp('UserPoolWebClient') },
          { 'Fn::ImportValue': Match.stringLikeRegexp('CommunityFund-Console:.*ConsoleClient') },
        ],
        Issuer: {
          'Fn::Join': [
            '',
            Match.arrayWith([
              'https://cognito-idp.',
              '.amazonaws.com/',
              { 'Fn::ImportValue': Match.stringLikeRegexp('RefUserPool') },
            ]),
          ],
        },
      },
    });
  });

  it('has one function per route module, and a throttled default stage with access logs', () => {
    const modules = new Set(ROUTES.map((r) => r.module));
    expect(productFunctions('Api')).toHaveLength(modules.size);
    templates.Api.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
    });
  });

  it('gives the workflow port, its variable and its grants exactly to the modules that declare it', () => {
    for (const module of new Set(ROUTES.map((r) => r.module))) {
      const declared = API_MODULE_PORTS[module].workflow;
      const { fn, actions } = functionPolicy('Api', `Fn${module}`);
      expect(fn.Properties.Environment.Variables.STATE_MACHINE_ARN !== undefined, module).toBe(Boolean(declared));
      expect(actions.has('states:StartExecution'), module).toBe(Boolean(declared?.start));
      expect(actions.has('states:SendTaskSuccess'), module).toBe(Boolean(declared?.taskTokens));
      expect(actions.has('states:SendTaskFailure'), module).toBe(Boolean(declared?.taskTokens));
      expect(
        [...actions].filter(
          (a) =>
            a.startsWith('states:') &&
            !['states:StartExecution', 'states:SendTaskSuccess', 'states:SendTaskFailure'].includes(a),
        ),
        module,
      ).toEqual([]);
    }
    // The two lifecycle drivers today: the workflow actions and the year-end check run by hand.
    expect(functionPolicy('Api', 'FnworkflowActions').actions).toContain('states:StartExecution');
    expect(functionPolicy('Api', 'FnyearEnd').actions).toContain('states:SendTaskSuccess');
  });

  it('gives modules that only answer GETs reads and appends (for the audit trail), no updates or deletes', () => {
    for (const module of new Set(ROUTES.map((r) => r.module))) {
      const onlyGets = ROUTES.filter((r) => r.module === module).every((r) => r.method === 'GET');
      const { actions } = functionPolicy('Api', `Fn${module}`);
      expect(actions.has('dynamodb:PutItem'), module).toBe(true);
      expect(actions.has('dynamodb:UpdateItem'), module).toBe(!onlyGets);
      expect(actions.has('dynamodb:DeleteItem'), module).toBe(!onlyGets);
    }
  });
});

describe('workflow', () => {
  const definition = JSON.parse(readFileSync(repoPath(LIFECYCLE_DEFINITION), 'utf8')) as {
    States: Record<string, { Type: string }>;
  };
  const taskStates = Object.entries(definition.States)
    .filter(([, s]) => s.Type === 'Task')
    .map(([name]) => name);

  it('has a valid definition file', () => {
    const result = aslValidator(definition);
    expect(result.errors, result.errorsText?.('\n')).toEqual([]);
    expect(result.isValid).toBe(true);
  });

  it('is a STANDARD state machine whose definition holds every task state', () => {
    expect(taskStates.length).toBeGreaterThan(0);
    const [[, sm]] = resourcesOf('Workflow', 'AWS::StepFunctions::StateMachine');
    expect(sm.Properties.StateMachineType).toBe('STANDARD');
    const body = JSON.stringify(sm.Properties.DefinitionString);
    for (const name of taskStates) expect(body).toContain(`\\"${name}\\"`);
    expect(Object.keys(sm.Properties.DefinitionSubstitutions).sort()).toEqual(['ParkFunctionArn', 'StepFunctionArn']);
    expect(sm.Properties.LoggingConfiguration).toMatchObject({ Level: 'ERROR', IncludeExecutionData: false });
    expect(sm.Properties.TracingConfiguration).toEqual({ Enabled: true });
  });

  it('traces the share of executions the cost model prices, by a sampling rule on this state machine', () => {
    const [[, sm]] = resourcesOf('Workflow', 'AWS::StepFunctions::StateMachine');
    const rules = resourcesOf('Workflow', 'AWS::XRay::SamplingRule');
    expect(rules).toHaveLength(1);
    const [[, rule]] = rules;
    expect(rule.Properties.SamplingRule).toMatchObject({
      ServiceType: 'AWS::StepFunctions::StateMachine',
      ServiceName: sm.Properties.StateMachineName,
      FixedRate: PRICED_DEPLOYMENT.traceSampling.fixedRate,
      ReservoirSize: PRICED_DEPLOYMENT.traceSampling.reservoirSize,
    });
    expect(rule.Properties.SamplingRule.RuleName.length).toBeLessThanOrEqual(32);
  });

  it('lets the state machine role invoke exactly park and step', () => {
    const [[, sm]] = resourcesOf('Workflow', 'AWS::StepFunctions::StateMachine');
    const roleId = sm.Properties.RoleArn['Fn::GetAtt'][0];
    const stmts = resourcesOf('Workflow', 'AWS::IAM::Policy')
      .filter(([, p]) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Record<string, unknown>[]);
    const lambda = stmts.filter((s) => actionsOf(s).some((a) => a.startsWith('lambda:')));
    expect(lambda).toHaveLength(1);
    expect(actionsOf(lambda[0])).toEqual(['lambda:InvokeFunction']);
    const targets = (lambda[0].Resource as { 'Fn::GetAtt': [string, string] }[]).map((r) => r['Fn::GetAtt'][0]).sort();
    expect(targets).toHaveLength(2);
    expect(targets[0]).toMatch(/^ParkFunction/);
    expect(targets[1]).toMatch(/^StepFunction/);
  });

  /*
   * The Service Authorization Reference for Step Functions (list_awsstepfunctions) gives
   * SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat no resource type: a task token
   * is not an ARN, so the actions are only documented as matching Resource "*". A grant
   * scoped to the state machine's ARN (what park and workflowActions had before) is not
   * one AWS documents. StartExecution's resource type is the stateMachine, and keeps it.
   * Checked against a list generated from that reference (udondan/iam-floyd, lib/states.ts):
   * the three SendTask* actions have access level Write and no resourceTypes entry, while
   * e.g. DeleteActivity names `activity` and DescribeExecution names `execution`.
   */
  it('grants the task-token action on "*" (no resource type in the reference) and StartExecution on the state machine only', () => {
    const tokenStatements = NAMES.flatMap((n) => statements(json[n])).filter(({ statement }) =>
      actionsOf(statement).some((a) => /^states:SendTask(Success|Failure|Heartbeat)$/.test(a)),
    );
    expect(tokenStatements.length).toBeGreaterThanOrEqual(4);
    for (const { resource, statement } of tokenStatements) {
      expect(statement.Resource, resource).toBe('*');
      // Success and failure (a reroute), never the heartbeat, which nothing sends.
      expect(actionsOf(statement), resource).toEqual(['states:SendTaskSuccess', 'states:SendTaskFailure']);
    }
    const starts = NAMES.flatMap((n) => statements(json[n])).filter(({ statement }) =>
      actionsOf(statement).includes('states:StartExecution'),
    );
    expect(starts.length).toBeGreaterThan(0);
    for (const { resource, statement } of starts)
      expect(JSON.stringify(statement.Resource), resource).toMatch(/Lifecycle/);
  });

  it('lets park send task success and failure, and step write to the notify queue', () => {
    const park = functionPolicy('Workflow', 'ParkFunction');
    expect(park.actions.has('states:SendTaskSuccess')).toBe(true);
    expect(park.actions.has('states:SendTaskFailure')).toBe(true);
    expect(park.actions.has('dynamodb:PutItem')).toBe(true);
    const step = functionPolicy('Workflow', 'StepFunction');
    expect(step.actions.has('sqs:SendMessage')).toBe(true);
    expect(step.fn.Properties.Environment.Variables.NOTIFY_QUEUE_URL).toBeDefined();
  });
});

describe('schedules', () => {
  it('gives the scheduled jobs the workflow they wake: year end failing a project, the sweep finishing an interrupted operation', () => {
    const yearEnd = functionPolicy('Schedules', 'YearEnd');
    expect(yearEnd.fn.Properties.Environment.Variables.STATE_MACHINE_ARN).toBeDefined();
    expect(yearEnd.actions.has('states:SendTaskSuccess')).toBe(true);
    expect(yearEnd.actions.has('states:SendTaskFailure')).toBe(true);
    expect(yearEnd.actions.has('states:StartExecution')).toBe(false);
    const sweep = functionPolicy('Schedules', 'ReminderSweep');
    expect(sweep.fn.Properties.Environment.Variables.STATE_MACHINE_ARN).toBeDefined();
    expect(sweep.actions.has('states:SendTaskSuccess')).toBe(true);
    expect(sweep.actions.has('states:SendTaskFailure')).toBe(true);
    expect(sweep.actions.has('sqs:SendMessage')).toBe(true);
  });

  it('runs the year-end check on the profile day at 00:30 and the sweep at 08:00, Asia/Shanghai, with a DLQ', () => {
    const schedules = resourcesOf('Schedules', 'AWS::Scheduler::Schedule').map(([, s]) => s.Properties);
    expect(schedules.map((s) => s.ScheduleExpression).sort()).toEqual(['cron(0 8 * * ? *)', 'cron(30 0 31 12 ? *)']);
    for (const s of schedules) {
      expect(s.ScheduleExpressionTimezone).toBe('Asia/Shanghai');
      expect(s.Target.DeadLetterConfig.Arn).toBeDefined();
    }
  });

  it('lets the scheduler role invoke only the two jobs', () => {
    const roles = resourcesOf('Schedules', 'AWS::IAM::Role').filter(([, r]) =>
      JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('scheduler.amazonaws.com'),
    );
    expect(roles).toHaveLength(1);
    const stmts = resourcesOf('Schedules', 'AWS::IAM::Policy')
      .filter(([, p]) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roles[0][0]))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Record<string, unknown>[]);
    expect(new Set(stmts.flatMap(actionsOf))).toEqual(new Set(['lambda:InvokeFunction', 'sqs:SendMessage']));
    const invoke = stmts.find((s) => actionsOf(s).includes('lambda:InvokeFunction'))!;
    const targets = (invoke.Resource as { 'Fn::GetAtt': [string, string] }[]).map((r) => r['Fn::GetAtt'][0]).sort();
    expect(targets.map((t) => t.replace(/Function.*/, ''))).toEqual(['ReminderSweep', 'YearEnd']);
  });

  it('refuses a checkOn that is not a day of every year', () => {
    expect(yearEndCron('12-31')).toBe('cron(30 0 31 12 ? *)');
    expect(() => yearEndCron('02-29')).toThrow(/checkOn/);
    expect(() => yearEndCron('1231')).toThrow(/checkOn/);
  });
});

describe('notify', () => {
  it('has an encrypted, TLS-only queue with a DLQ after 5 receives, consumed with batch item failures', () => {
    const t = templates.Notify;
    t.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: 5 },
    });
    for (const [, q] of resourcesOf('Notify', 'AWS::SQS::Queue')) expect(q.Properties.SqsManagedSseEnabled).toBe(true);
    expect(resourcesOf('Notify', 'AWS::SQS::QueuePolicy')).toHaveLength(2);
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', { FunctionResponseTypes: ['ReportBatchItemFailures'] });
  });

  it('lets the sender send SMS and email and nothing else', () => {
    const sender = functionPolicy('Notify', 'SenderFunction');
    // Besides its logs, traces, the queue it consumes and the delivery ledger in the table.
    const infrastructure = ['logs:', 'xray:', 'sqs:', 'dynamodb:'];
    const outbound = [...sender.actions].filter((a) => !infrastructure.some((p) => a.startsWith(p)));
    expect(outbound.sort()).toEqual(['ses:SendEmail', 'sms-voice:SendTextMessage']);
    const consume = [
      'sqs:ReceiveMessage',
      'sqs:ChangeMessageVisibility',
      'sqs:GetQueueUrl',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
    ];
    expect([...sender.actions].filter((a) => a.startsWith('sqs:')).every((a) => consume.includes(a))).toBe(true);
  });

  it('narrows SES to the configured sender address and configuration set', () => {
    const custom = buildApp(
      testApp({
        profile: 'guandu',
        emailFrom: 'noreply@fund.example.cn',
        emailConfigurationSet: 'reminders',
        smsOriginationIdentity: 'FUND',
      }),
    );
    const stack = stackById(custom, `${STACK_PREFIX}-Notify`);
    const fn = stack.node.findAll().find((c): c is NodejsFunction => c instanceof NodejsFunction)!;
    const vars = stack.resolve((fn.node.defaultChild as CfnFunction).environment).variables;
    expect(vars).toMatchObject({
      EMAIL_FROM: 'noreply@fund.example.cn',
      EMAIL_CONFIGURATION_SET: 'reminders',
      SMS_ORIGINATION_IDENTITY: 'FUND',
    });
    const ses = stack.node
      .findAll()
      .flatMap((c) =>
        'document' in c && c.node.id === 'DefaultPolicy' ? [stack.resolve((c as any).document.toJSON())] : [],
      )
      .flatMap((d) => d.Statement as Record<string, any>[])
      .find((st) => actionsOf(st).includes('ses:SendEmail'))!;
    const text = JSON.stringify(ses.Resource);
    expect(text).toContain(':identity/noreply@fund.example.cn');
    expect(text).toContain(':identity/fund.example.cn');
    expect(text).toContain(':configuration-set/reminders');
    expect(text).not.toContain('*');
  });
});

describe('observability', () => {
  type Props = Record<string, any>;
  const alarms = () =>
    resourcesOf('Observability', 'AWS::CloudWatch::Alarm').map(([id, a]) => ({ id, p: a.Properties as Props }));
  /** The metrics an alarm reads: its own, or those its metric math expression uses. */
  const metricsOf = (
    p: Props,
  ): { Namespace: string; MetricName: string; Dimensions: { Name: string; Value: unknown }[] }[] =>
    p.MetricName
      ? [{ Namespace: p.Namespace, MetricName: p.MetricName, Dimensions: p.Dimensions ?? [] }]
      : (p.Metrics as Props[])
          .filter((m) => m.MetricStat)
          .map((m) => ({ ...m.MetricStat.Metric, Dimensions: m.MetricStat.Metric.Dimensions ?? [] }));
  /** The alarms that read `metricName` of `namespace`. */
  const watching = (namespace: string, metricName: string) =>
    alarms().filter(({ p }) => metricsOf(p).some((m) => m.Namespace === namespace && m.MetricName === metricName));
  const topicRef = () => ({ Ref: resourcesOf('Observability', 'AWS::SNS::Topic')[0][0] });

  it('alarms on a failed invocation of any function: one metric over every function of the account', () => {
    const found = watching('AWS/Lambda', 'Errors');
    expect(found).toHaveLength(1);
    const [{ p }] = found;
    expect(metricsOf(p)[0].Dimensions).toEqual([]);
    expect(p.Threshold).toBeLessThanOrEqual(3);
  });

  it('alarms on a throttled invocation of any function', () => {
    const found = watching('AWS/Lambda', 'Throttles');
    expect(found).toHaveLength(1);
    expect(metricsOf(found[0].p)[0].Dimensions).toEqual([]);
    expect(found[0].p.Threshold).toBe(1);
  });

  it('alarms on the API answering 5xx', () => {
    const found = watching('AWS/ApiGateway', '5xx');
    expect(found).toHaveLength(1);
    expect(JSON.stringify(metricsOf(found[0].p)[0].Dimensions)).toMatch(/ApiId/);
  });

  it('alarms on a message in either dead-letter queue, the notify one and the schedules one', () => {
    const found = watching('AWS/SQS', 'ApproximateNumberOfMessagesVisible');
    const queues = found.flatMap(({ p }) =>
      metricsOf(p).flatMap((m) => m.Dimensions.map((d) => JSON.stringify(d.Value))),
    );
    expect(queues.some((q) => /DeadLetters/.test(q))).toBe(true);
    expect(queues.some((q) => /FailedInvocations/.test(q))).toBe(true);
    for (const { p } of found) expect(p.Threshold).toBe(1);
  });

  it('reports every failed, timed-out or aborted lifecycle execution to the topic', () => {
    const rules = resourcesOf('Observability', 'AWS::Events::Rule').map(([, r]) => r.Properties as Props);
    const rule = rules.find((r) => r.EventPattern?.source?.includes('aws.states'));
    expect(rule).toBeDefined();
    expect(rule!.EventPattern['detail-type']).toEqual(['Step Functions Execution Status Change']);
    expect(rule!.EventPattern.detail.status).toEqual(expect.arrayContaining(['FAILED', 'TIMED_OUT', 'ABORTED']));
    expect(JSON.stringify(rule!.EventPattern.detail.stateMachineArn)).toMatch(/Lifecycle/);
    expect(rule!.Targets.map((t: Props) => t.Arn)).toEqual([topicRef()]);
    const policies = resourcesOf('Observability', 'AWS::SNS::TopicPolicy').flatMap(
      ([, tp]) => tp.Properties.PolicyDocument.Statement as Props[],
    );
    expect(
      policies.some((st) => st.Effect === 'Allow' && JSON.stringify(st.Principal).includes('events.amazonaws.com')),
    ).toBe(true);
  });

  it('sends every alarm to the topic, over TLS only', () => {
    expect(alarms().length).toBeGreaterThan(0);
    for (const { id, p } of alarms()) expect(p.AlarmActions, id).toEqual([topicRef()]);
    const statements = resourcesOf('Observability', 'AWS::SNS::TopicPolicy').flatMap(
      ([, tp]) => tp.Properties.PolicyDocument.Statement as Props[],
    );
    expect(
      statements.some((st) => st.Effect === 'Deny' && JSON.stringify(st.Condition).includes('aws:SecureTransport')),
    ).toBe(true);
  });

  it('bills the alarm metrics the cost model prices, and no customer managed key or dashboard by default', () => {
    const billed = alarms().reduce((n, { p }) => n + metricsOf(p).length, 0);
    expect(billed).toBe(alarmMetricsBilled(2).reduce((n, k) => n + k.metrics, 0));
    expect(resourcesOf('Observability', 'AWS::KMS::Key')).toEqual([]);
    expect(resourcesOf('Observability', 'AWS::CloudWatch::Dashboard')).toEqual([]);
  });
});

describe('every function', () => {
  const all = () => NAMES.flatMap((n) => productFunctions(n).map(([id, f]) => ({ stack: n, id, f })));

  it('runs nodejs24.x with the memory, architecture and tracing the cost model prices, its own log group and the shared environment', () => {
    const fns = all();
    expect(fns.length).toBe(new Set(ROUTES.map((r) => r.module)).size + 5);
    expect(PRICED_DEPLOYMENT).toMatchObject({ memoryMb: 512, architecture: 'arm64', tracingMode: 'PassThrough' });
    for (const { stack, id, f } of fns) {
      const p = f.Properties;
      expect(p.Runtime, id).toBe('nodejs24.x');
      expect(p.Architectures, id).toEqual([PRICED_DEPLOYMENT.architecture]);
      expect(p.MemorySize, id).toBe(PRICED_DEPLOYMENT.memoryMb);
      // A function traces what its caller sampled: the workflow's executions, never every API request.
      expect(p.TracingConfig, id).toEqual({ Mode: PRICED_DEPLOYMENT.tracingMode });
      expect(p.LoggingConfig.LogGroup.Ref, id).toBeDefined();
      const logGroup = json[stack].Resources[p.LoggingConfig.LogGroup.Ref];
      expect(logGroup.Properties.RetentionInDays, id).toBeGreaterThan(0);
      expect(Object.keys(p.Environment.Variables), id).toEqual(
        expect.arrayContaining(['TABLE_NAME', 'POLICY_PROFILE', 'POWERTOOLS_SERVICE_NAME']),
      );
    }
  });

  it('reaches the table only through it and its named indexes', () => {
    for (const name of NAMES) {
      for (const { resource, statement } of statements(json[name])) {
        if (!actionsOf(statement).some((a) => a.startsWith('dynamodb:'))) continue;
        const targets = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
        for (const target of targets) {
          const text = JSON.stringify(target);
          expect(text, `${name}/${resource}`).toMatch(/Table/);
          if (text.includes('/index/')) expect(text, `${name}/${resource}`).toMatch(/\/index\/gsi[1234]"/);
          expect(target).not.toBe('*');
        }
      }
    }
  });
});

describe('IAM and cdk-nag', () => {
  it('allows no action containing "*" in any policy statement', () => {
    for (const name of NAMES) {
      for (const { resource, statement } of statements(json[name])) {
        // Deny statements only narrow (enforceSSL denies sqs:* without TLS); wildcards there are right.
        if (statement.Effect === 'Deny') continue;
        for (const action of actionsOf(statement)) expect(action, `${name}/${resource}`).not.toContain('*');
        expect(statement.NotAction, `${name}/${resource}`).toBeUndefined();
      }
    }
  });

  it('leaves no AwsSolutions finding unacknowledged, errors or warnings', () => {
    expect(synthError?.message).toBeUndefined();
    expect(findings).toEqual([]);
  });

  it('leaves no unacknowledged CDK warning or error annotation', () => {
    for (const name of NAMES) {
      const annotations = Annotations.fromStack(stackById(app, `${STACK_PREFIX}-${name}`));
      expect(annotations.findWarning('*', Match.anyValue()), name).toEqual([]);
      expect(annotations.findError('*', Match.anyValue()), name).toEqual([]);
    }
  });

  it('gives every acknowledgement a real reason', () => {
    const acks = acknowledgements(app);
    expect(acks.length).toBeGreaterThan(0);
    for (const a of acks) {
      expect(typeof a.reason, `${a.path} ${a.id}`).toBe('string');
      const reason = (a.reason as string).trim();
      expect(reason.length, `${a.path} ${a.id}`).toBeGreaterThanOrEqual(40);
      expect(reason, `${a.path} ${a.id}`).not.toContain(a.id);
    }
  });

  it('reports an unacknowledged finding (the check above can fail)', () => {
    const probe = new App({
      context: { 'aws:cdk:bundling-stacks': [] },
      outdir: mkdtempSync(join(tmpdir(), 'cf-nag-probe-')),
    });
    const stack = new Stack(probe, 'Probe');
    new Queue(stack, 'Plain');
    Validations.of(probe).addPlugins(new AwsSolutionsChecks(probe));
    const { findings: probeFindings, error } = synthFindings(probe);
    expect(error).toBeDefined();
    expect(probeFindings.map((f) => f.rule)).toEqual(
      expect.arrayContaining(['AwsSolutions-SQS3', 'AwsSolutions-SQS4']),
    );
  });
});

describe('policy profile', () => {
  const guandu = JSON.parse(readFileSync(repoPath('functions/policies/profiles/guandu.json'), 'utf8'));
  const writeProfile = (mutate: (p: any) => void): string => {
    const p = structuredClone(guandu);
    mutate(p);
    const file = join(mkdtempSync(join(tmpdir(), 'cf-profile-')), 'profile.json');
    writeFileSync(file, JSON.stringify(p));
    return file;
  };

  it('refuses an invalid profile file, naming the field', () => {
    const file = writeProfile((p) => {
      p.yearEnd.checkOn = '13-45';
    });
    expect(() => buildApp(testApp({ profile: file }))).toThrow(/yearEnd\.checkOn/);
  });

  it('ships a valid profile file inside the bundles and names it in POLICY_PROFILE', () => {
    const file = writeProfile((p) => {
      p.yearEnd.checkOn = '12-30';
    });
    const custom = buildApp(testApp({ profile: file }));
    const fns = custom.node.findAll().filter((c): c is NodejsFunction => c instanceof NodejsFunction);
    expect(fns.length).toBeGreaterThan(0);
    for (const fn of fns) {
      const vars = Stack.of(fn).resolve((fn.node.defaultChild as CfnFunction).environment) as {
        variables: Record<string, unknown>;
      };
      expect(vars.variables.POLICY_PROFILE).toBe('policy-profile.json');
      expect(vars.variables.POLICY_PROFILE_JSON).toBeUndefined();
    }
  });
});

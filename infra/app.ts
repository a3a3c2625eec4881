import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { PolicyProfile } from '../functions/domain/policy.ts';
import { builtInProfileIds, loadProfile } from '../functions/policies/index.ts';
import { ApiStack } from './stacks/api-stack.ts';
import { AuthStack } from './stacks/auth-stack.ts';
import { BoardStack } from './stacks/board-stack.ts';
import { ConsoleStack } from './stacks/console-stack.ts';
import { DataStack } from './stacks/data-stack.ts';
import { NotifyStack } from './stacks/notify-stack.ts';
import { ObservabilityStack } from './stacks/observability-stack.ts';
import { SchedulesStack } from './stacks/schedules-stack.ts';
import { BUNDLED_PROFILE_FILE, type FunctionRuntime } from './stacks/function.ts';
import { GatewayStack } from './stacks/gateway-stack.ts';
import { WorkflowStack } from './stacks/workflow-stack.ts';

export const STACK_PREFIX = 'CommunityFund';

const CROSS_STACK_REFERENCES = '@aws-cdk/core:defaultCrossStackReferences';

const booleanContext = (app: App, key: string): boolean => {
  const value: unknown = app.node.tryGetContext(key);
  // `cdk synth -c kmsKey=true` passes a string, cdk.json a boolean.
  return value === true || value === 'true';
};

const stringContext = (app: App, key: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(key);
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
};

/**
 * The profile every function runs with. A built-in profile travels as its id. A district's
 * own file travels inside the bundles, not as POLICY_PROFILE_JSON: a profile is ~10-12 KB
 * and Lambda caps a function's whole environment at 4 KB.
 */
const functionRuntime = (ref: string, tableName: string): FunctionRuntime => {
  const environment = { TABLE_NAME: tableName };
  if ((builtInProfileIds as readonly string[]).includes(ref))
    return { environment: { ...environment, POLICY_PROFILE: ref } };
  return {
    environment: { ...environment, POLICY_PROFILE: BUNDLED_PROFILE_FILE },
    profileFile: resolve(ref),
  };
};

/** Adds the product's stacks and the cdk-nag checks to `app`; synthesis is the caller's. */
export const buildApp = (app: App): App => {
  // Strong references: CloudFormation then refuses to remove the table or the queue while another stack uses it.
  if (app.node.tryGetContext(CROSS_STACK_REFERENCES) === undefined)
    app.node.setContext(CROSS_STACK_REFERENCES, 'strong');
  const profileRef = String(app.node.tryGetContext('profile') ?? 'guandu');
  let profile: PolicyProfile;
  try {
    profile = loadProfile(profileRef);
  } catch (err) {
    // Fail before any stack exists: a bad profile must never reach a deployment.
    throw new Error(`Invalid policy profile '${profileRef}': ${(err as Error).message}`, { cause: err });
  }

  const data = new DataStack(app, `${STACK_PREFIX}-Data`, {
    description: 'Community fund: the table',
    customerManagedKey: booleanContext(app, 'kmsKey'),
  });
  const runtime = functionRuntime(profileRef, data.table.tableName);

  const auth = new AuthStack(app, `${STACK_PREFIX}-Auth`, {
    description: 'Community fund: staff sign-in',
    domainPrefix: stringContext(app, 'authDomainPrefix'),
  });
  const notify = new NotifyStack(app, `${STACK_PREFIX}-Notify`, {
    description: 'Community fund: SMS and email reminders',
    runtime,
    table: data.tableRef,
    sender: {
      emailFrom: stringContext(app, 'emailFrom'),
      smsOriginationIdentity: stringContext(app, 'smsOriginationIdentity'),
      emailConfigurationSet: stringContext(app, 'emailConfigurationSet'),
      smsConfigurationSet: stringContext(app, 'smsConfigurationSet'),
    },
  });
  const workflow = new WorkflowStack(app, `${STACK_PREFIX}-Workflow`, {
    description: 'Community fund: project lifecycle',
    runtime,
    table: data.tableRef,
    notifyQueue: notify.queue,
  });
  /*
   * The order that needs no cycle: the API resource first (the pages' CSP names it), then
   * the board and the console (the console's sign-in client needs its CloudFront domain),
   * then the routes (the JWT authorizer trusts both clients) and the CORS origins.
   */
  const gateway = new GatewayStack(app, `${STACK_PREFIX}-Gateway`, { description: 'Community fund: the HTTP API' });
  const apiUrl = gateway.httpApi.apiEndpoint;
  const board = new BoardStack(app, `${STACK_PREFIX}-Board`, {
    description: "Community fund: the residents' notice board",
    apiUrl,
  });
  const staffConsole = new ConsoleStack(app, `${STACK_PREFIX}-Console`, {
    description: 'Community fund: the staff console',
    apiUrl,
    userPool: auth.userPool,
    issuerUrl: auth.issuerUrl,
    idpOrigin: auth.idpOrigin,
    signInUrl: auth.signInUrl,
  });
  const api = new ApiStack(app, `${STACK_PREFIX}-Api`, {
    description: 'Community fund: HTTP API routes',
    runtime,
    table: data.tableRef,
    httpApi: gateway.httpApi,
    jwtIssuer: auth.issuerUrl,
    jwtAudience: [auth.client.userPoolClientId, staffConsole.client.userPoolClientId],
    stateMachineArn: workflow.stateMachine.stateMachineArn,
    notifyQueue: notify.queue,
    webOrigins: [board.origin, staffConsole.origin],
  });
  const schedules = new SchedulesStack(app, `${STACK_PREFIX}-Schedules`, {
    description: 'Community fund: year-end check and reminder sweep',
    runtime,
    table: data.tableRef,
    notifyQueue: notify.queue,
    stateMachineArn: workflow.stateMachine.stateMachineArn,
    yearEndCheckOn: profile.yearEnd.checkOn,
  });
  new ObservabilityStack(app, `${STACK_PREFIX}-Observability`, {
    description: 'Community fund: alarms and dashboard',
    httpApi: gateway.httpApi,
    stateMachine: workflow.stateMachine,
    functions: [
      ...[...api.functions].map(([module, f]) => ({ name: `Api-${module}`, fn: f.fn })),
      { name: 'Park', fn: workflow.park.fn },
      { name: 'Step', fn: workflow.step.fn },
      { name: 'YearEnd', fn: schedules.yearEnd.fn },
      { name: 'ReminderSweep', fn: schedules.reminderSweep.fn },
      { name: 'Sender', fn: notify.sender.fn },
    ],
    deadLetterQueues: [
      { name: 'NotifyDlq', queue: notify.deadLetterQueue },
      { name: 'SchedulesDlq', queue: schedules.deadLetterQueue },
    ],
  });

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return app;
};

const runDirectly = process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (runDirectly) buildApp(new App()).synth();

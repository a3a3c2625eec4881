import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Logger } from '@aws-lambda-powertools/logger';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { Context, SQSEvent } from 'aws-lambda';
import {
  awsRuntime,
  runAs,
  type AwsService,
  type AwsWiring,
  type Clock,
  type OutgoingMessage,
  type Runtime,
} from '../../../functions/runtime.ts';
import { callsOf, isAllowed, type Call } from './policy.ts';
import {
  queueUrlToArn,
  readDeployment,
  REGION,
  type DeployedFunction,
  type Deployment,
  type Template,
} from './template.ts';

const ROOT = resolve(import.meta.dirname, '../../..');

/** Context of the local as-deployed synth: a sender identity of each channel, so the sender can deliver. */
export const LOCAL_SENDER_CONTEXT = { emailFrom: 'noreply@example.gov.cn', smsOriginationIdentity: 'CommunityFund' };

const sourceHash = (profile: string, context: Record<string, string>): string => {
  const h = createHash('sha256').update(JSON.stringify({ profile, context }));
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (name === 'node_modules' || name === 'dist' || name === 'board') continue;
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ts|json)$/.test(name)) h.update(relative(ROOT, p)).update(readFileSync(p));
    }
  };
  for (const d of ['infra', 'functions', 'workflows']) walk(join(ROOT, d));
  return h.digest('hex').slice(0, 16);
};

/**
 * The templates `cdk synth` would produce for `profile` (without bundling: the handlers
 * run from source), kept on disk by a hash of the sources so that a second start, or
 * the next e2e file, does not synthesize again.
 */
export const synthesizeTemplates = async (profile: string): Promise<Record<string, Template>> => {
  const context = { profile, ...LOCAL_SENDER_CONTEXT };
  const dir = join(ROOT, 'node_modules/.cache/community-fund/as-deployed', sourceHash(profile, LOCAL_SENDER_CONTEXT));
  const file = join(dir, `${profile}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  const { App, Stack } = await import('aws-cdk-lib');
  const { buildApp } = await import('../../app.ts');
  const outdir = `${dir}.synth-${process.pid}`;
  const app = buildApp(new App({ context: { 'aws:cdk:bundling-stacks': [], ...context }, outdir }));
  app.synth();
  const templates: Record<string, Template> = {};
  for (const s of app.node.children)
    if (Stack.isStack(s)) templates[s.stackName] = JSON.parse(readFileSync(join(outdir, s.templateFile), 'utf8'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${file}.${process.pid}`, JSON.stringify(templates));
  renameSync(`${file}.${process.pid}`, file);
  rmSync(outdir, { recursive: true, force: true });
  return templates;
};

/** A call the function's policy would deny in AWS. */
export interface Denial extends Call {
  function: string;
}

/** The local stand-ins the deployed functions reach through their SDK clients. */
export interface StandIns {
  dynamoEndpoint: string;
  tableName: string;
  clock: Clock;
  startExecution(name: string, input: Record<string, unknown>): Promise<void>;
  sendTaskSuccess(token: string, output: Record<string, unknown>): Promise<void>;
  sendTaskFailure(token: string, error: string, cause: string): Promise<void>;
  /** Where messages the sender delivered are kept (the outbox). */
  delivered(messages: OutgoingMessage[]): Promise<void>;
  logLevel: string;
}

const accessDenied = (fn: DeployedFunction, call: Call): Error =>
  Object.assign(
    new Error(
      `${fn.name} (${fn.roleArn}) is not authorized to perform: ${call.action} on resource: ${call.resource} because no identity-based policy allows the ${call.action} action`,
    ),
    { name: 'AccessDeniedException', $fault: 'client', $metadata: { httpStatusCode: 400 } },
  );

/**
 * The product as deployed, in this process: each function runs its own handler file with
 * the environment its template gives it and nothing else, and every AWS SDK call it makes
 * is checked against its synthesized policy before the local stand-in answers it.
 */
export class AsDeployed {
  readonly denials: Denial[] = [];
  /** Invocations that threw (the Lambda would report an error). */
  readonly failures: { function: string; error: string }[] = [];
  /** Every authorised call, by function, for the tests to see who did what. */
  readonly calls: Denial[] = [];
  private readonly runtimes = new Map<string, Runtime>();
  private readonly http = new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: 64 }) });

  constructor(
    readonly deployment: Deployment,
    private readonly standIns: StandIns,
  ) {}

  /** The function whose handler file is `entry` (one per file in this product). */
  byEntry(entry: string): DeployedFunction {
    const hits = this.deployment.functions.filter((f) => f.entry === entry);
    if (hits.length !== 1) throw new Error(`${hits.length} deployed functions run ${entry}`);
    return hits[0];
  }

  private byArn(arn: string): DeployedFunction {
    const f = this.deployment.functions.find((x) => x.arn === arn);
    if (!f) throw new Error(`no deployed function ${arn}`);
    return f;
  }

  /** Invokes `fn` with `event`, as Lambda would: its own runtime, its failures recorded. */
  async invoke<T = unknown>(fn: DeployedFunction, event: unknown): Promise<T> {
    const mod = (await import(pathToFileURL(join(ROOT, fn.entry)).href)) as {
      handler: (e: unknown, c: Context) => Promise<T>;
    };
    const context = {
      functionName: fn.name,
      invokedFunctionArn: fn.arn,
      awsRequestId: crypto.randomUUID(),
      getRemainingTimeInMillis: () => 30_000,
    } as unknown as Context;
    try {
      return await runAs(this.runtimeOf(fn), () => mod.handler(event, context));
    } catch (e) {
      this.failures.push({ function: fn.name, error: (e as Error).message });
      throw e;
    }
  }

  /** A task state of the state machine: its role must be allowed to invoke the function its definition names. */
  async invokeTask(placeholder: string, payload: unknown): Promise<unknown> {
    const sm = this.deployment.stateMachine;
    const fnArn = sm.substitutions[placeholder.replace(/^\$\{|\}$/g, '')];
    if (!fnArn) throw new Error(`the state machine's definition has no ${placeholder}`);
    const call = { action: 'lambda:InvokeFunction', resource: fnArn };
    if (!isAllowed(sm.roleStatements, call)) {
      this.denials.push({ function: 'StateMachineRole', ...call });
      throw new Error(`the state machine's role may not invoke ${fnArn}`);
    }
    return this.invoke(this.byArn(fnArn), payload);
  }

  private runtimeOf(fn: DeployedFunction): Runtime {
    let rt = this.runtimes.get(fn.name);
    if (!rt) {
      const env: Record<string, string> = { ...fn.env, AWS_REGION: REGION, AWS_LAMBDA_FUNCTION_NAME: fn.name };
      const wiring: AwsWiring = {
        env,
        clock: this.standIns.clock,
        logger: this.recordingLogger(fn, env.POWERTOOLS_SERVICE_NAME),
        clientConfig: (service) => ({
          region: REGION,
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
          ...(service === 'dynamodb'
            ? { endpoint: this.standIns.dynamoEndpoint, maxAttempts: 3, requestHandler: this.http }
            : {}),
        }),
        instrument: (service, client) =>
          client.middlewareStack.add(
            (next: (a: unknown) => Promise<unknown>, context: { commandName: string }) =>
              async (args: { input: Record<string, unknown> }) => {
                for (const call of callsOf(service, context.commandName, args.input)) {
                  if (!isAllowed(fn.statements, call)) {
                    this.denials.push({ function: fn.name, ...call });
                    // Loud: the handler may catch it (an escalation notice is left to the sweep), AWS would still deny it.
                    console.error(`as deployed: DENIED ${fn.name} ${call.action} on ${call.resource}`);
                    throw accessDenied(fn, call);
                  }
                  this.calls.push({ function: fn.name, ...call });
                }
                if (service === 'dynamodb') return next(args);
                return {
                  output: { $metadata: {}, ...(await this.serve(service, context.commandName, args.input)) },
                  response: {},
                };
              },
            { step: 'initialize', name: 'asDeployedPolicyCheck', priority: 'high' },
          ),
      };
      // The table's name must be the one the stand-in serves, or the function would reach another table.
      if (env.TABLE_NAME !== this.standIns.tableName)
        throw new Error(`${fn.name}: TABLE_NAME is ${env.TABLE_NAME}, the local table is ${this.standIns.tableName}`);
      rt = { ...awsRuntime(wiring), local: true };
      this.runtimes.set(fn.name, rt);
    }
    return rt;
  }

  /**
   * The function's logger, which also records its ERROR lines as failures: the API's
   * handlers answer 500 instead of throwing, and the jobs log a project they give up on.
   */
  private recordingLogger(fn: DeployedFunction, serviceName: string | undefined): Logger {
    const failures = this.failures;
    return new (class extends Logger {
      override error(message: unknown, ...extra: unknown[]): void {
        const err = extra.map((x) => (x as { error?: unknown })?.error).find((e) => e instanceof Error) as
          | Error
          | undefined;
        failures.push({ function: fn.name, error: err?.message ?? String(message) });
        super.error(message as string, ...(extra as []));
      }
    })({ serviceName, logLevel: this.standIns.logLevel as 'WARN' });
  }

  /** The local stand-in behind each service the functions call. */
  private async serve(service: AwsService, command: string, input: any): Promise<Record<string, unknown>> {
    switch (`${service}:${command}`) {
      case 'sfn:StartExecutionCommand':
        await this.standIns.startExecution(input.name, JSON.parse(input.input));
        return {
          executionArn: `${input.stateMachineArn}:${input.name}`.replace(':stateMachine:', ':execution:'),
          startDate: new Date(),
        };
      case 'sfn:SendTaskSuccessCommand':
        await this.standIns.sendTaskSuccess(input.taskToken, JSON.parse(input.output));
        return {};
      case 'sfn:SendTaskFailureCommand':
        await this.standIns.sendTaskFailure(input.taskToken, input.error, input.cause);
        return {};
      case 'sqs:SendMessageBatchCommand':
        await this.deliverQueued(input.QueueUrl, input.Entries);
        return {
          Successful: input.Entries.map((e: { Id: string }) => ({ Id: e.Id, MessageId: e.Id, MD5OfMessageBody: '' })),
          Failed: [],
        };
      case 'ses:SendEmailCommand':
      case 'sms:SendTextMessageCommand':
        return { MessageId: crypto.randomUUID() };
      default:
        throw new Error(`no local stand-in for ${service}:${command}`);
    }
  }

  /** The queue's event source mapping, at once: its consumer gets the batch, and what it did not hand back was delivered. */
  private async deliverQueued(queueUrl: string, entries: { Id: string; MessageBody: string }[]): Promise<void> {
    const queueArn = queueUrlToArn(queueUrl);
    const consumer = this.deployment.consumers[queueArn];
    if (!consumer) throw new Error(`nothing consumes ${queueArn}`);
    const event: SQSEvent = {
      Records: entries.map(
        (e) => ({ messageId: e.Id, body: e.MessageBody, eventSourceARN: queueArn }) as SQSEvent['Records'][number],
      ),
    };
    const out = await this.invoke<{ batchItemFailures: { itemIdentifier: string }[] }>(this.byArn(consumer), event);
    const failed = new Set(out.batchItemFailures.map((f) => f.itemIdentifier));
    if (failed.size)
      this.failures.push({ function: consumer, error: `${failed.size} messages handed back to the queue` });
    await this.standIns.delivered(
      entries.filter((e) => !failed.has(e.Id)).map((e) => JSON.parse(e.MessageBody) as OutgoingMessage),
    );
  }
}

/** Synthesizes (or reads the kept templates) and prepares the functions to run as deployed. */
export const asDeployed = async (
  profile: string,
  standIns: StandIns,
  adjust?: (templates: Record<string, Template>) => void,
): Promise<AsDeployed> => {
  const templates = structuredClone(await synthesizeTemplates(profile));
  adjust?.(templates);
  return new AsDeployed(readDeployment(templates, standIns.tableName), standIns);
};

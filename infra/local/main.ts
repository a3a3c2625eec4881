import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Logger } from '@aws-lambda-powertools/logger';
import { configureRuntime, makeDocumentClient, type WorkflowPort } from '../../functions/runtime.ts';
import { loadProfile } from '../../functions/policies/index.ts';
import { OrgTreeSchema, isOrgSeeded, seedOrg } from '../../functions/store/config.ts';
import { anyProjectStored, listOpenProjects, reshardOpenProjects } from '../../functions/store/projects.ts';
import { ensurePublicityIndexBuilt } from '../../functions/store/publicityIndex.ts';
import { park, runStep, type ParkInput, type StepInput } from '../../functions/tasks/lifecycleSteps.ts';
import { resumePendingOperations } from '../../functions/executor/operations.ts';
import { releaseInProgressRecords } from '../../functions/store/idempotency.ts';
import { moduleEntry } from '../../functions/api/routes.ts';
import { SimClock, parseDuration } from './clock.ts';
import { startLocalDynamo, TABLE_NAME } from './dynamo.ts';
import { LocalStepFunctions } from './stepFunctions.ts';
import { LocalTokens } from './tokens.ts';
import { LocalOutbox } from './outbox.ts';
import { DEFAULT_CONCURRENCY, configuredConcurrency, invocationGate } from './invocationGate.ts';
import { startServer, portOf, TokenRequest, type LocalRoute } from './server.ts';
import { startSchedules } from './scheduler.ts';
import { firstOf, staticFiles } from './static.ts';
import { withDocs } from './docs.ts';
import { LocalStats, cpuMsOf, instrumentDynamo } from './stats.ts';
import { setRequestTagging, tagStoreCalls } from './requestTag.ts';
import type { AsDeployed } from './deployed/harness.ts';
import type { Template } from './deployed/template.ts';

// This machine runs Node 20 on purpose (DESIGN.md); the SDK's notice about Node 22 would only be noise.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface LocalOptions {
  port: number;
  dataDir: string;
  profile: string;
  orgFile?: string;
  /**
   * How many API requests are handled at once; the rest wait in arrival order
   * (`--concurrency`, LOCAL_CONCURRENCY; {@link DEFAULT_CONCURRENCY} when unset).
   */
  concurrency?: number;
  /**
   * Run every handler as its deployed function: the environment and IAM policy of the
   * synthesized template, every AWS SDK call checked (`--as-deployed`, AS_DEPLOYED=1).
   */
  asDeployed?: boolean | { adjust(templates: Record<string, Template>): void };
}

const problem = (status: number, title: string, detail: string, extra: Record<string, unknown> = {}) => ({
  status,
  body: { type: 'about:blank', title, status, detail, ...extra },
});

/**
 * The whole product on one machine: the same handlers and workflow definition as in
 * AWS, wired to dynalite, the in-process state machine runner, a simulated clock, a
 * local token issuer and an outbox.
 */
export const startLocal = async (opts: LocalOptions) => {
  // Made first, so that a limit it refuses stops the start before anything is opened.
  const inTurn = invocationGate(opts.concurrency ?? DEFAULT_CONCURRENCY);
  process.env.POLICY_PROFILE = opts.profile;
  const profile = loadProfile(opts.profile);
  mkdirSync(opts.dataDir, { recursive: true });
  const dynamo = await startLocalDynamo(opts.dataDir, { ownProcess: true });
  const stats = LocalStats.enabled() ? new LocalStats() : undefined;
  if (stats) instrumentDynamo(dynamo.client, stats);
  tagStoreCalls(dynamo.client);
  const clock = SimClock.inDir(opts.dataDir);
  const tokens = await LocalTokens.inDir(opts.dataDir);
  const ddb = makeDocumentClient(dynamo.client);
  const outbox = new LocalOutbox(opts.dataDir, clock, stats);
  let engine: LocalStepFunctions | undefined;
  const timed = <T>(name: string, run: () => Promise<T>) => (stats ? stats.time('tasks', name, run) : run());
  const workflow: WorkflowPort = {
    start: (id, input) => engine!.start(id, input),
    sendTaskSuccess: (token, output) => engine!.sendTaskSuccess(token, output),
    sendTaskFailure: (token, error, cause) => engine!.sendTaskFailure(token, error, cause),
  };
  configureRuntime({
    tableName: TABLE_NAME,
    ddb,
    rawDdb: dynamo.client,
    clock,
    workflow,
    notify: outbox,
    logger: new Logger({ serviceName: 'community-fund-local', logLevel: (process.env.LOG_LEVEL as 'INFO') ?? 'WARN' }),
    local: true,
  });
  let deployed: AsDeployed | undefined;
  if (opts.asDeployed) {
    const { asDeployed } = await import('./deployed/harness.ts');
    deployed = await asDeployed(
      opts.profile,
      {
        dynamoEndpoint: dynamo.endpoint,
        tableName: TABLE_NAME,
        clock,
        startExecution: (id, input) => engine!.start(id, input),
        sendTaskSuccess: (token, output) => engine!.sendTaskSuccess(token, output),
        sendTaskFailure: (token, error, cause) => engine!.sendTaskFailure(token, error, cause),
        delivered: (messages) => outbox.enqueue(messages),
        logLevel: process.env.LOG_LEVEL ?? 'WARN',
      },
      typeof opts.asDeployed === 'object' ? opts.asDeployed.adjust : undefined,
    );
  }
  const task =
    (placeholder: string, local: (p: Record<string, unknown>) => Promise<unknown>) => (p: Record<string, unknown>) =>
      deployed ? deployed.invokeTask(placeholder, p) : local(p);
  engine = new LocalStepFunctions(
    join(root, 'workflows/project-lifecycle.asl.json'),
    {
      callback: {
        // Counted apart by action: a park is a write of its own, a close of a publicity window parks in its own
        // write, the close of a completion publicity parks nothing.
        '${ParkFunctionArn}': (p) =>
          timed(typeof p.action === 'string' ? p.action : 'park', () =>
            task('${ParkFunctionArn}', (x) => park(x as unknown as ParkInput))(p),
          ) as Promise<void>,
      },
      invoke: {
        '${StepFunctionArn}': (p) =>
          timed('step', () => task('${StepFunctionArn}', (x) => runStep(x as unknown as StepInput))(p)),
      },
    },
    clock,
    stats,
  );

  if (!(await isOrgSeeded())) {
    const file = opts.orgFile ?? join(root, 'functions/policies/org/demo-district.json');
    const tree = OrgTreeSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!tree.success)
      throw new Error(
        `org tree ${file}: ${tree.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    await seedOrg(tree.data);
  }

  // A data dir from before the open-deadline index was sharded keeps its entries under one key: move them.
  await reshardOpenProjects();
  // Nor had it the notice board's index: its projects in publicity get their entries.
  await ensurePublicityIndexBuilt(clock.now());
  // A command killed between its writes left its intent on the project: complete (or undo) it
  // before anything runs. Nothing else is running yet, so every pending operation is an orphan.
  await resumePendingOperations({ all: true, wake: false });
  // Requests that died with the previous process hold in-progress marks: their retries may run now.
  await releaseInProgressRecords();
  // Executions are not durable locally: every unfinished project continues from its stored status.
  const open = await listOpenProjects();
  for (const p of open) if (p.status !== 'DRAFT') await engine.start(p.id, { projectId: p.id, resumeAt: p.status });
  const scheduled = (entry: string, job: string) => () =>
    deployed!.invoke(deployed!.byEntry(entry), { job, scheduledTime: clock.now().toISOString() });
  const schedules = startSchedules(
    clock,
    profile,
    stats,
    deployed
      ? {
          yearEnd: scheduled('functions/jobs/yearEnd.ts', 'yearEnd'),
          reminderSweep: scheduled('functions/jobs/reminderSweep.ts', 'reminderSweep'),
        }
      : undefined,
  );
  // The instant a kill interrupted is finished first: its due timers and schedules run again.
  if (clock.interrupted) await clock.advanceTo(clock.now().getTime());

  const local: Record<string, LocalRoute> = {
    '/local/token': async ({ method, body }) => {
      if (method !== 'POST') return problem(405, 'Method Not Allowed', 'POST a {sub, role, orgUnitId}');
      const r = TokenRequest.safeParse(body);
      if (!r.success)
        return problem(400, 'Bad Request', 'Invalid token request', {
          errors: r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        });
      return { status: 200, body: { token: await tokens.issue(r.data) } };
    },
    '/local/clock': async ({ method, body }) => {
      if (method === 'GET') return { status: 200, body: { now: clock.now().toISOString() } };
      if (method !== 'POST') return problem(405, 'Method Not Allowed', 'GET or POST');
      const b = body as { advance?: unknown; set?: unknown };
      if (typeof b.advance === 'string' && b.set === undefined) {
        const ms = parseDuration(b.advance);
        if (ms === undefined)
          return problem(400, 'Bad Request', 'advance must be an ISO 8601 duration such as P7D or PT2H', {
            errors: [{ path: 'advance', message: 'ISO 8601 duration' }],
          });
        await clock.advanceTo(clock.now().getTime() + ms);
        return { status: 200, body: { now: clock.now().toISOString() } };
      }
      if (typeof b.set === 'string' && b.advance === undefined) {
        const t = Date.parse(b.set);
        if (Number.isNaN(t))
          return problem(400, 'Bad Request', 'set must be an ISO 8601 instant', {
            errors: [{ path: 'set', message: 'ISO 8601 instant' }],
          });
        if (t < clock.now().getTime()) {
          if (await anyProjectStored())
            return problem(409, 'Conflict', 'The clock only moves forward once a project exists', {
              now: clock.now().toISOString(),
            });
          clock.jumpTo(t);
          schedules.reschedule();
        } else {
          await clock.advanceTo(t);
        }
        return { status: 200, body: { now: clock.now().toISOString() } };
      }
      return problem(400, 'Bad Request', 'Give exactly one of advance or set', {
        errors: [{ path: 'advance', message: 'exactly one of advance, set' }],
      });
    },
    '/local/outbox': async ({ method }) =>
      method === 'GET' ? { status: 200, body: await outbox.list() } : problem(405, 'Method Not Allowed', 'GET'),
  };
  // Only with LOCAL_STATS=1 (the benchmark): GET the counts, POST to zero them ({"pricing": false}: count calls only;
  // {"recording": false}: pause the record of store calls the bench asked for, and the requests' numbers with it).
  let cpuAtReset = { productMs: 0, storeMs: 0 };
  if (stats)
    local['/local/stats'] = async ({ method, body }) => {
      const cpu = { productMs: cpuMsOf(process.cpuUsage()), storeMs: (await dynamo.cpuMs?.()) ?? 0 };
      if (method === 'POST') {
        const { pricing, recording } = (body ?? {}) as { pricing?: unknown; recording?: unknown };
        for (const [path, value] of Object.entries({ pricing, recording }))
          if (value !== undefined && typeof value !== 'boolean')
            return problem(400, 'Bad Request', `${path} must be true or false`, {
              errors: [{ path, message: 'a boolean' }],
            });
        if (typeof pricing === 'boolean') stats.pricing = pricing;
        if (typeof recording === 'boolean') {
          setRequestTagging(recording);
          await dynamo.setRecording(recording);
        }
        stats.reset();
        cpuAtReset = cpu;
      } else if (method !== 'GET') return problem(405, 'Method Not Allowed', 'GET or POST');
      const used = { productMs: cpu.productMs - cpuAtReset.productMs, storeMs: cpu.storeMs - cpuAtReset.storeMs };
      return { status: 200, body: { ...stats.snapshot(), cpu: used } };
    };

  // The notice board (npm start builds it when stale); without a build the API still runs.
  const board = join(root, 'infra/board/dist');
  if (!existsSync(join(board, 'index.html')))
    console.warn('notice board not built: run `npm run build:board` to serve it at /');
  // The staff console under /console/ (built the same way), before the board so its paths win.
  const consoleDist = join(root, 'infra/console/dist');
  if (!existsSync(join(consoleDist, 'index.html')))
    console.warn('staff console not built: run `npm run build:console` to serve it at /console/');
  const server = await startServer(opts.port, {
    verify: (t) => tokens.verify(t),
    local,
    inTurn,
    fallback: withDocs(firstOf(staticFiles(consoleDist, '/console'), staticFiles(board))),
    handlerFor: deployed ? (m) => (event) => deployed.invoke(deployed.byEntry(moduleEntry(m)), event) : undefined,
  });
  return {
    port: portOf(server),
    clock,
    deployed,
    isRunning: (projectId: string) => engine!.isRunning(projectId),
    async stop() {
      schedules.stop();
      await new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections?.();
      await dynamo.close();
    },
  };
};

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const { values } = parseArgs({
    options: {
      profile: { type: 'string' },
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      'as-deployed': { type: 'boolean' },
      concurrency: { type: 'string' },
    },
    allowPositionals: true,
  });
  const opts: LocalOptions = {
    port: Number(values.port ?? process.env.PORT ?? 3000),
    dataDir: resolve(values['data-dir'] ?? process.env.DATA_DIR ?? '.local'),
    profile: values.profile ?? process.env.POLICY_PROFILE ?? 'guandu',
    orgFile: process.env.ORG_FILE,
    concurrency: configuredConcurrency(values.concurrency),
    asDeployed: values['as-deployed'] ?? ['1', 'true'].includes(process.env.AS_DEPLOYED ?? ''),
  };
  try {
    const app = await startLocal(opts);
    console.log(
      `community-fund listening on http://localhost:${app.port} (profile ${opts.profile}, data ${opts.dataDir}, clock ${app.clock.now().toISOString()}${app.deployed ? `, as deployed: ${app.deployed.deployment.functions.length} functions` : ''})`,
    );
    const shutdown = async () => {
      await app.stop();
      process.exit(0);
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
  } catch (e) {
    console.error(`community-fund could not start: ${(e as Error).message}`);
    process.exit(1);
  }
}

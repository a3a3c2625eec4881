import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import type { WorkflowPort } from '../../functions/runtime.ts';
import type { SimClock } from './clock.ts';
import type { LocalStats } from './stats.ts';

// aws-local-stepfunctions uses Promise.withResolvers, which Node 20 lacks.
if (!(Promise as unknown as { withResolvers?: unknown }).withResolvers) {
  (Promise as unknown as { withResolvers: () => unknown }).withResolvers = () => {
    let resolve!: (v: unknown) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

type Json = Record<string, unknown>;

export interface LocalTaskHandlers {
  /** `.waitForTaskToken` tasks, by the FunctionName placeholder (e.g. `${ParkFunctionArn}`). */
  callback: Record<string, (payload: Json) => Promise<void>>;
  /** Plain `lambda:invoke` tasks, by placeholder. */
  invoke: Record<string, (payload: Json) => Promise<unknown>>;
}

/** A task that never ends by itself locally: the simulated clock fires its real timeout. */
const LOCAL_TASK_TIMEOUT_SECONDS = 2_000_000;

interface Waiter {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  parked: boolean;
  cancelTimer?: () => void;
}

/**
 * Runs the very ASL file that CDK deploys, in process. The definition is adapted at
 * load only where the engine would use real time: every Wait becomes a Task that sleeps
 * on the simulated clock, and every task timeout is driven by the simulated clock.
 */
export class LocalStepFunctions implements WorkflowPort {
  private readonly machine: StateMachine;
  private readonly overrides: Record<string, (input: unknown) => Promise<unknown>> = {};
  private readonly running = new Set<string>();
  private readonly waiters = new Map<string, Waiter>();

  constructor(
    definitionFile: string,
    private readonly handlers: LocalTaskHandlers,
    private readonly clock: SimClock,
    /** When given, executions, state transitions and task successes are counted (the engine's billable operations). */
    private readonly stats?: LocalStats,
  ) {
    const def = JSON.parse(readFileSync(definitionFile, 'utf8'));
    for (const [name, state] of Object.entries<Json>(def.States)) {
      if (state.Type === 'Wait') {
        def.States[name] = {
          Type: 'Task',
          Resource: 'arn:aws:states:::local:wait',
          Parameters: { 'at.$': state.TimestampPath },
          ResultPath: null,
          TimeoutSeconds: LOCAL_TASK_TIMEOUT_SECONDS,
          Next: state.Next,
        };
        this.overrides[name] = (input) => this.sleepUntil((input as { at: string }).at);
      } else if (state.Type === 'Task') {
        const params = state.Parameters as { FunctionName: string; Payload: Json };
        if (state.TimeoutSecondsPath) {
          delete state.TimeoutSecondsPath;
          state.TimeoutSeconds = LOCAL_TASK_TIMEOUT_SECONDS;
        }
        state.TimeoutSeconds ??= LOCAL_TASK_TIMEOUT_SECONDS;
        if (String(state.Resource).endsWith('.waitForTaskToken')) {
          const fn = handlers.callback[params.FunctionName];
          if (!fn) throw new Error(`no local handler for ${params.FunctionName} (state ${name})`);
          this.overrides[name] = (input) => this.parkOn(fn, (input as { Payload: Json }).Payload);
        } else {
          const fn = handlers.invoke[params.FunctionName];
          if (!fn) throw new Error(`no local handler for ${params.FunctionName} (state ${name})`);
          this.overrides[name] = async (input) => ({ Payload: await fn((input as { Payload: Json }).Payload) });
        }
      }
    }
    this.machine = new StateMachine(def, { validationOptions: { checkArn: false, checkPaths: false } });
  }

  async start(name: string, input: Json): Promise<void> {
    if (this.running.has(name)) return;
    this.running.add(name);
    this.clock.busy();
    const { result, eventLogs } = this.machine.run(input as never, {
      overrides: { taskResourceLocalHandlers: this.overrides as never },
      context: { Execution: { Name: name, Id: name }, Task: { Token: 'local' } } as never,
    });
    const stats = this.stats;
    if (stats) stats.workflow.started++;
    // The engine queues every event until it is read, input and output included: read them
    // always, so that a long execution does not hold its whole history in memory.
    void (async () => {
      // Step Functions bills each state entered, retries included; the local Wait-as-Task keeps the count the same.
      for await (const e of eventLogs)
        if (stats && (e.type === 'StateEntered' || e.type === 'StateRetried')) stats.workflow.transitions++;
    })();
    result
      .catch((e: unknown) => console.error(`execution ${name} failed:`, (e as Error).message))
      .finally(() => {
        this.running.delete(name);
        this.clock.idle();
      });
  }

  isRunning(name: string): boolean {
    return this.running.has(name);
  }

  async sendTaskSuccess(token: string, output: Json): Promise<void> {
    if (this.stats) this.stats.workflow.taskSuccess++;
    this.finish(token, (w) => w.resolve(output));
  }

  /** Fails the parked task as Step Functions would: its Catch sees `error` as Error and `cause` as Cause. */
  async sendTaskFailure(token: string, error: string, cause: string): Promise<void> {
    this.finish(token, (w) => w.reject(Object.assign(new Error(cause), { name: error })));
  }

  private finish(token: string, settle: (w: Waiter) => void): void {
    const w = this.waiters.get(token);
    if (!w) return;
    this.waiters.delete(token);
    w.cancelTimer?.();
    if (w.parked) this.clock.busy();
    settle(w);
  }

  /** A human step: a fresh token each time, its deadline on the simulated clock. */
  private async parkOn(fn: (payload: Json) => Promise<void>, payload: Json): Promise<unknown> {
    const token = `local-${randomUUID()}`;
    const w = {} as Waiter;
    const done = new Promise((resolve, reject) => Object.assign(w, { resolve, reject, parked: false }));
    this.waiters.set(token, w);
    const dueAt = payload.dueAt as string | null;
    if (dueAt) {
      w.cancelTimer = this.clock.schedule(Date.parse(dueAt) + 1000, () =>
        this.finish(token, (x) =>
          x.reject(Object.assign(new Error('the human step passed its deadline'), { name: 'States.Timeout' })),
        ),
      );
    }
    await fn({ ...payload, token });
    if (this.waiters.has(token)) {
      w.parked = true;
      this.clock.idle();
    }
    return done;
  }

  private async sleepUntil(at: string): Promise<unknown> {
    const when = Date.parse(at);
    if (when <= this.clock.now().getTime()) return {};
    this.clock.idle();
    return new Promise((resolve) =>
      this.clock.schedule(when, () => {
        this.clock.busy();
        resolve({});
      }),
    );
  }
}

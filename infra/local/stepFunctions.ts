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

/** One run of the engine: an execution from its start, or from where a dormant one resumes. */
interface Run {
  name: string;
  /** Set when the run ended because its execution went dormant (it lives on as a waiter or a timer). */
  dormant: boolean;
}

/** A Catch of a callback task, as the engine routes a task's error. */
interface Catcher {
  ErrorEquals: string[];
  ResultPath?: string | null;
  Next: string;
}

/** Where a callback task's execution goes on: after success (`next`), or after an error (`catchers`). */
interface CallbackState {
  /** Undefined for a task that ends the execution. */
  next: string | undefined;
  catchers: Catcher[];
}

/**
 * Ends the engine's run of an execution that has parked: neither retried nor caught (the
 * engine honours both flags), so no state of the definition can route it anywhere.
 */
class WentDormant extends Error {
  readonly isRetryable = false;
  readonly isCatchable = false;
  constructor() {
    super('the execution went dormant');
    this.name = 'Local.Dormant';
  }
}

/** The key under which a task's whole state input reaches its local handler (added to its Parameters at load). */
const STATE_INPUT = 'LocalStateInput';

/**
 * Runs the very ASL file that CDK deploys, in process. The definition is adapted at
 * load only where the engine would use real time: every Wait becomes a Task that sleeps
 * on the simulated clock, and every task timeout is driven by the simulated clock.
 *
 * An execution that waits (a human step parked on its token, a Wait on the clock) goes
 * dormant: its run in the engine ends, and what it needs to go on (its name, the state
 * after the wait, that state's input) stays in the waiter or the clock's timer. A token,
 * a deadline or the timer starts a new run at the state the execution would have entered
 * next, with the input it would have had. The engine's own run of one execution holds
 * ~15 KB (promise chains, input copies, its event log), so without this the product's
 * memory grew with every open project; a dormant one holds well under 1 KB. Nothing
 * acknowledged lives only here: the project item holds the token, status and deadlines,
 * and a restart resumes every open project from them (main.ts).
 */
export class LocalStepFunctions implements WorkflowPort {
  private readonly definition: Json & { StartAt: string; States: Record<string, Json> };
  /** The engine's machines by the state they start at: the definition's start, and each state a dormant execution resumes at. */
  private readonly machines = new Map<string, StateMachine>();
  private readonly handlersOf: Record<string, (run: Run, input: Json) => Promise<unknown>> = {};
  private readonly running = new Set<string>();
  private readonly waiters = new Map<string, Waiter>();
  private engineRuns = 0;

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
          Parameters: { 'at.$': state.TimestampPath, [`${STATE_INPUT}.$`]: '$' },
          ResultPath: null,
          TimeoutSeconds: LOCAL_TASK_TIMEOUT_SECONDS,
          Next: state.Next,
        };
        const next = state.Next as string;
        this.handlersOf[name] = (run, input) =>
          this.sleepUntil(run, input.at as string, next, input[STATE_INPUT] as Json);
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
          const resumes = callbackStateOf(name, state);
          state.Parameters = { ...params, [`${STATE_INPUT}.$`]: '$' };
          this.handlersOf[name] = (run, input) =>
            this.parkOn(run, fn, input.Payload as Json, resumes, input[STATE_INPUT] as Json);
        } else {
          const fn = handlers.invoke[params.FunctionName];
          if (!fn) throw new Error(`no local handler for ${params.FunctionName} (state ${name})`);
          this.handlersOf[name] = async (_run, input) => ({ Payload: await fn(input.Payload as Json) });
        }
      }
    }
    this.definition = def;
    this.machineFrom(def.StartAt);
  }

  /** The engine's machine that starts at `state` (built once; the definition was validated with the first). */
  private machineFrom(state: string): StateMachine {
    let machine = this.machines.get(state);
    if (!machine) {
      const validated = this.machines.size > 0;
      machine = new StateMachine({ ...this.definition, StartAt: state } as never, {
        validationOptions: validated ? { noValidate: true } : { checkArn: false, checkPaths: false },
      });
      this.machines.set(state, machine);
    }
    return machine;
  }

  async start(name: string, input: Json): Promise<void> {
    if (this.running.has(name)) return;
    this.running.add(name);
    this.clock.busy();
    if (this.stats) this.stats.workflow.started++;
    this.runFrom(name, this.definition.StartAt, input);
  }

  /**
   * Runs execution `name` from `state` until it ends or goes dormant. The caller has
   * counted it as busy on the clock and in `running`.
   */
  private runFrom(name: string, state: string, input: Json): void {
    const run: Run = { name, dormant: false };
    const overrides = Object.fromEntries(
      Object.entries(this.handlersOf).map(([s, handle]) => [s, (i: unknown) => handle(run, i as Json)]),
    );
    const { result, eventLogs } = this.machineFrom(state).run(input as never, {
      overrides: { taskResourceLocalHandlers: overrides as never },
      context: { Execution: { Name: name, Id: name }, Task: { Token: 'local' } } as never,
    });
    this.engineRuns++;
    void result.then(
      () => this.engineRuns--,
      () => this.engineRuns--,
    );
    const stats = this.stats;
    // The engine queues every event until it is read, input and output included: read them
    // always, so that a long execution does not hold its whole history in memory.
    void (async () => {
      // Step Functions bills each state entered, retries included; the local Wait-as-Task keeps the count the same,
      // and a resumed run starts at the state the execution would have entered next, so it is counted once.
      for await (const e of eventLogs)
        if (stats && (e.type === 'StateEntered' || e.type === 'StateRetried')) stats.workflow.transitions++;
    })();
    result
      .then(
        () => this.ended(name),
        (e: unknown) => {
          if (run.dormant) return;
          console.error(`execution ${name} failed:`, (e as Error).message);
          this.ended(name);
        },
      )
      .catch((e: unknown) => console.error(`execution ${name}:`, (e as Error).message));
  }

  private ended(name: string): void {
    this.running.delete(name);
    this.clock.idle();
  }

  /** How many executions hold a run in the engine now: dormant ones (parked, or waiting on the clock) do not. */
  get runsInEngine(): number {
    return this.engineRuns;
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

  /**
   * A human step: a fresh token each time, its deadline on the simulated clock. Once the
   * step is parked the execution goes dormant: the token's success resumes it at the
   * task's Next with the output, an error (its deadline) at the Catch that takes it.
   */
  private async parkOn(
    run: Run,
    fn: (payload: Json) => Promise<void>,
    payload: Json,
    resumes: CallbackState,
    stateInput: Json,
  ): Promise<unknown> {
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
    // Settled while the park was being written: the execution goes straight on.
    if (!this.waiters.has(token)) return done;
    w.parked = true;
    this.clock.idle();
    const name = run.name;
    const next = resumes.next;
    // A task with End has no state to resume at: its success ends the execution.
    w.resolve = (output) => (next ? this.runFrom(name, next, output as Json) : this.ended(name));
    w.reject = (error) => this.resumeCaught(name, resumes.catchers, stateInput, error as Error);
    run.dormant = true;
    throw new WentDormant();
  }

  /** A dormant execution's task failed: on at the Catch that takes the error, as the engine would; without one the execution fails. */
  private resumeCaught(name: string, catchers: Catcher[], stateInput: Json, error: Error): void {
    const catcher = catchers.find((c) =>
      c.ErrorEquals.some(
        (e) => e === error.name || e === 'States.ALL' || (e === 'States.TaskFailed' && error.name !== 'States.Timeout'),
      ),
    );
    if (!catcher) {
      console.error(`execution ${name} failed:`, error.message);
      this.ended(name);
      return;
    }
    const errorOutput = { Error: error.name, Cause: error.message };
    this.runFrom(name, catcher.Next, withResult(catcher.ResultPath, stateInput, errorOutput));
  }

  /** A Wait: nothing to do if its time has come, else the execution goes dormant on a timer. */
  private async sleepUntil(run: Run, at: string, next: string, stateInput: Json): Promise<unknown> {
    const when = Date.parse(at);
    if (when <= this.clock.now().getTime()) return {};
    this.clock.idle();
    const name = run.name;
    this.clock.schedule(when, () => {
      this.clock.busy();
      // The Wait's ResultPath is null: the next state gets the Wait's own input.
      this.runFrom(name, next, stateInput);
    });
    run.dormant = true;
    throw new WentDormant();
  }
}

/**
 * Where a callback task goes on after it: the local resume needs its output unchanged (no
 * ResultSelector, ResultPath or OutputPath) and catchers whose ResultPath it can apply.
 */
const callbackStateOf = (name: string, state: Json): CallbackState => {
  for (const field of ['ResultSelector', 'ResultPath', 'OutputPath', 'InputPath'])
    if (field in state) throw new Error(`state ${name}: a local dormant callback task cannot apply ${field}`);
  const catchers = (state.Catch ?? []) as Catcher[];
  for (const c of catchers)
    if (c.ResultPath !== undefined && c.ResultPath !== null && !/^\$(\.\w+)*$/.test(c.ResultPath))
      throw new Error(`state ${name}: a local dormant callback task cannot apply the Catch ResultPath ${c.ResultPath}`);
  return { next: state.End === true ? undefined : (state.Next as string), catchers };
};

/** `result` placed into `input` at a ResultPath of the form `$`, `$.a.b`, or null (input kept), as the engine does. */
export const withResult = (path: string | null | undefined, input: Json, result: Json): Json => {
  if (path === null) return input;
  if (path === undefined || path === '$') return result;
  const keys = path.split('.').slice(1);
  const out: Json = structuredClone(input);
  let at = out;
  for (const k of keys.slice(0, -1)) {
    if (typeof at[k] !== 'object' || at[k] === null) at[k] = {};
    at = at[k] as Json;
  }
  at[keys[keys.length - 1]] = result;
  return out;
};

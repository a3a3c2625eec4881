import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { SimClock } from '../../infra/local/clock.ts';
import { LocalStepFunctions } from '../../infra/local/stepFunctions.ts';
import { LocalStats } from '../../infra/local/stats.ts';

/*
 * A waiting execution goes dormant: its run in the engine ends and what it needs to go on
 * stays in the waiter or the clock's timer (that is what keeps the local product's memory
 * flat in the number of open projects). These tests hold that it then goes on exactly where
 * and with what the engine would have: after its token at the task's Next with the token's
 * output, after its deadline at the Catch with the error at the ResultPath, after a Wait at
 * the state after it with the Wait's input, each state counted once.
 */
const DEFINITION = {
  StartAt: 'Ask',
  States: {
    Ask: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: {
        FunctionName: '${Park}',
        Payload: { 'projectId.$': '$.projectId', 'dueAt.$': '$.dueAt', 'token.$': '$$.Task.Token' },
      },
      Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.timedOut', Next: 'Escalate' }],
      Next: 'Pause',
    },
    Pause: { Type: 'Wait', TimestampPath: '$.waitUntil', Next: 'Record' },
    Record: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: '${Step}', 'Payload.$': '$' },
      OutputPath: '$.Payload',
      End: true,
    },
    Escalate: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: '${Step}', Payload: { 'escalated.$': '$' } },
      OutputPath: '$.Payload',
      End: true,
    },
  },
};

const DAY = 86_400_000;

/** A human step that is the execution's last state, as the close of the completion publicity is. */
const ENDING_DEFINITION = {
  StartAt: 'Close',
  States: {
    Close: { ...DEFINITION.States.Ask, Next: undefined, End: true },
    Escalate: DEFINITION.States.Escalate,
  },
};

const engineOnTestDefinition = (definition: object = DEFINITION) => {
  const dir = mkdtempSync(join(tmpdir(), 'cf-dormant-'));
  const file = join(dir, 'definition.asl.json');
  writeFileSync(file, JSON.stringify(definition));
  const clock = SimClock.inDir(dir);
  const stats = new LocalStats();
  const tokens = new Map<string, string>();
  const steps: Record<string, unknown>[] = [];
  const engine = new LocalStepFunctions(
    file,
    {
      callback: {
        '${Park}': async (p) => {
          tokens.set(p.projectId as string, p.token as string);
        },
      },
      invoke: {
        '${Step}': async (p) => {
          steps.push(p);
          return p;
        },
      },
    },
    clock,
    stats,
  );
  const settle = () => clock.advanceTo(clock.now().getTime());
  return { clock, stats, tokens, steps, engine, settle };
};

describe('a dormant execution of the local workflow engine', () => {
  it('holds no engine run while parked, and goes on at the next state with its token output, then after its Wait', async () => {
    // Prepare
    const { clock, stats, tokens, steps, engine, settle } = engineOnTestDefinition();
    const t0 = clock.now().getTime();
    const dueAt = new Date(t0 + 5 * DAY).toISOString();
    const waitUntil = new Date(t0 + DAY).toISOString();
    for (const id of ['p1', 'p2', 'p3']) await engine.start(id, { projectId: id, dueAt });
    await settle();
    const parkedRuns = engine.runsInEngine;
    // Act
    await engine.sendTaskSuccess(tokens.get('p2')!, { projectId: 'p2', waitUntil, note: 'decided' });
    await settle();
    const runsWhileWaiting = engine.runsInEngine;
    const stepsBeforeTheWaitEnds = steps.length;
    await clock.advanceTo(t0 + 2 * DAY);
    // Assess
    expect(parkedRuns).toBe(0);
    expect(runsWhileWaiting).toBe(0);
    expect(stepsBeforeTheWaitEnds).toBe(0);
    expect(steps).toEqual([{ projectId: 'p2', waitUntil, note: 'decided' }]);
    expect(['p1', 'p2', 'p3'].map((id) => engine.isRunning(id))).toEqual([true, false, true]);
    expect(engine.runsInEngine).toBe(0);
    // Ask, Ask, Ask, then p2's Pause and Record: each state entered once, as Step Functions bills them.
    expect(stats.workflow.transitions).toBe(5);
    expect(stats.workflow.started).toBe(3);
  });

  it('goes on at the Catch with the timeout at its ResultPath when a dormant human step passes its deadline', async () => {
    // Prepare
    const { clock, steps, engine, settle } = engineOnTestDefinition();
    const t0 = clock.now().getTime();
    const dueAt = new Date(t0 + DAY).toISOString();
    await engine.start('late', { projectId: 'late', dueAt });
    await settle();
    // Act
    await clock.advanceTo(t0 + 2 * DAY);
    // Assess
    expect(steps).toEqual([
      {
        escalated: {
          projectId: 'late',
          dueAt,
          timedOut: { Error: 'States.Timeout', Cause: 'the human step passed its deadline' },
        },
      },
    ]);
    expect(engine.isRunning('late')).toBe(false);
  });

  it('ignores a token once its step has passed its deadline', async () => {
    // Prepare
    const { clock, tokens, steps, engine, settle } = engineOnTestDefinition();
    const t0 = clock.now().getTime();
    await engine.start('p', { projectId: 'p', dueAt: new Date(t0 + DAY).toISOString() });
    await settle();
    await clock.advanceTo(t0 + 2 * DAY);
    // Act
    await engine.sendTaskSuccess(tokens.get('p')!, { projectId: 'p', waitUntil: new Date(t0).toISOString() });
    await settle();
    // Assess
    expect(steps.map((s) => Object.keys(s))).toEqual([['escalated']]);
  });

  it('ends the execution when the token of a dormant last state comes back', async () => {
    // Prepare
    const { clock, stats, tokens, steps, engine, settle } = engineOnTestDefinition(ENDING_DEFINITION);
    const t0 = clock.now().getTime();
    await engine.start('last', { projectId: 'last', dueAt: new Date(t0 + 5 * DAY).toISOString() });
    await settle();
    const parked = engine.isRunning('last');
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    // Act
    await engine.sendTaskSuccess(tokens.get('last')!, { projectId: 'last', status: 'CLOSED' });
    await settle();
    // Assess
    expect(parked).toBe(true);
    expect(engine.isRunning('last')).toBe(false);
    expect(engine.runsInEngine).toBe(0);
    expect(steps).toEqual([]);
    expect(stats.workflow.transitions).toBe(1);
    // A failed execution is logged as one: this one succeeded.
    expect(errors).not.toHaveBeenCalled();
    errors.mockRestore();
  });
});

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUEST_KINDS } from '../../bench/load.ts';
import type { BenchResults } from '../../bench/run.ts';
import { alarmMetricsBilled } from '../../infra/stacks/observability-stack.ts';

/*
 * The benchmark and the cost model at a tiny size, so that they cannot rot: they run,
 * and their counts add up. Timings are never asserted here; they belong to the bench.
 */
const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'cf-bench-test-'));
const out = join(dir, 'results.json');
let results: BenchResults;
let stdout: string;

// Three district years, the floor, the load and the bundles: under two minutes on a quiet
// machine; the margin is for a machine shared with other suites.
beforeAll(async () => {
  const r = await run(
    process.execPath,
    [
      '--import',
      'tsx',
      'bench/run.ts',
      '--projects',
      '12',
      '--growth',
      '6,12',
      '--concurrency',
      '4',
      '--rate',
      '10',
      '--load-seconds',
      '1',
      '--clients',
      '2',
      '--closed-seconds',
      '1',
      '--by-kind',
      '--kind-seconds',
      '1',
      '--init-runs',
      '1',
      '--quiet',
      '--out',
      out,
    ],
    { cwd: root, maxBuffer: 16 * 1024 * 1024, timeout: 290_000 },
  );
  stdout = r.stdout;
  results = JSON.parse(readFileSync(out, 'utf8'));
}, 300_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run bench at a tiny size', () => {
  it('takes every project to an end: closed, or rejected after a refusal for lack of money', () => {
    const y = results.districtYear;
    expect(y.projects).toBe(12);
    expect(y.failures).toEqual({ count: 0, first: [] });
    expect((y.outcomes.CLOSED ?? 0) + (y.outcomes.REJECTED ?? 0)).toBe(12);
    expect(y.outcomes.REJECTED ?? 0).toBe(y.refusedForMoney);
    expect(y.objections).toBeGreaterThan(0);
    expect(y.yearEnd.paidFen).toBe(y.yearEnd.reservedFen);
    expect(y.yearEnd.reservedFen).toBeLessThanOrEqual(y.yearEnd.allocatedFen);
  });

  it('counts requests, store writes and workflow work that add up', () => {
    const y = results.districtYear;
    const s = y.stats;
    expect(Object.values(y.endpoints).reduce((n, g) => n + g.count, 0)).toBe(y.requests);
    const writes = [
      'PutItemCommand',
      'UpdateItemCommand',
      'DeleteItemCommand',
      'TransactWriteItemsCommand',
      'BatchWriteItemCommand',
    ].reduce((n, c) => n + (s.store[c]?.calls ?? 0), 0);
    expect(y.storeWrites).toBe(writes);
    expect(Object.values(s.storeByKey).reduce((n, c) => n + c.calls, 0)).toBe(
      Object.values(s.store).reduce((n, c) => n + c.calls, 0),
    );
    // One execution per project, started at its first submission.
    expect(s.workflow.started).toBe(12);
    expect(s.workflow.transitions).toBeGreaterThan(s.workflow.taskSuccess);
    // Every token handed back with success was parked by a park or by the close of a publicity
    // window, or is the completion close's own (it ends the execution).
    const tokenTasks =
      s.tasks.park.calls + (s.tasks.closePublicity?.calls ?? 0) + (s.tasks.closeCompletionPublicity?.calls ?? 0);
    expect(tokenTasks).toBeGreaterThanOrEqual(s.workflow.taskSuccess);
    expect(results.floor.writes).toBe(y.storeWrites);
    expect(results.floor.reads).toBe(0);
    expect(results.callFloor.writes + results.callFloor.reads).toBe(y.storeCalls);
    // Updates that asked for the item back are among the updates; the store's CPU is counted from its own process.
    expect(s.store.UpdateItemCommand.itemsReturned).toBeLessThanOrEqual(s.store.UpdateItemCommand.calls);
    expect(s.cpu?.productMs).toBeGreaterThan(0);
    expect(s.cpu?.storeMs).toBeGreaterThan(0);
  });

  it("replays the year's own writes, refused ones too, each getting the answer it got from the product", () => {
    const y = results.districtYear;
    const replay = results.replayFloor;
    const refused = Object.values(y.stats.store).reduce((n, c) => n + (c.refused ?? 0), 0);
    expect(y.storeWritesRefused).toBe(refused);
    expect(replay.calls).toBe(y.storeWrites + refused);
    expect(replay.refused).toBe(refused);
    expect(replay.differing).toBe(0);
    expect(replay.concurrency).toBe(4);
    expect(replay.storeCpuMs).toBeGreaterThan(0);
    expect(replay.meanInFlight).toBeGreaterThan(0);
    expect(replay.meanInFlight).toBeLessThanOrEqual(4);
    // Measured again on fresh stores: each replay as faithful as the first, the ratio to their median.
    expect(replay.runs).toHaveLength(3);
    for (const run of replay.runs) expect(run).toMatchObject({ refused, differing: 0 });
    const times = replay.runs.map((run) => run.wallMs).sort((a, b) => a - b);
    expect(replay.medianWallMs).toBe(times[1]);
    expect(replay.ratio).toBe(Math.round((y.wallMs / times[1]!) * 100) / 100);
    // A command on a copy in a human step without its token reads the project again rather
    // than have its write refused once the workflow's park is in: 0–3 at this size, 14 before.
    expect(y.stats.storeByKey['UpdateItem PROJECT'].refused ?? 0).toBeLessThanOrEqual(y.projects * 0.75);
  });

  it('keeps the workflow within its lean figures: state transitions and park writes per project', () => {
    const y = results.districtYear;
    const s = y.stats;
    // 8.83 per project at this size (7 for a self-run project, 11 for an outsourced one, whose
    // approval and acceptance reroute): 12.6 when every step went back to the Route Choice,
    // 14.75 if the close of a publicity window did not park the next step, 13.25 if a contract
    // that keeps the deadline woke the workflow. A state that does nothing still costs a transition.
    expect(s.workflow.transitions / y.projects).toBeLessThanOrEqual(9);
    // 2.2 park writes per project (3.6 before): the step after a publicity window is parked by
    // the write that closes it, and an outsourced project's contract keeps the approval's park.
    expect(s.tasks.park.calls / y.projects).toBeLessThanOrEqual(2.25);
    expect(s.tasks.closePublicity?.calls ?? 0).toBeGreaterThanOrEqual(y.projects);
  });

  it('keeps store writes per project within the lean figure, with each successful project command audited in its own write', () => {
    const y = results.districtYear;
    const byKind = y.stats.storeByKey;
    // 28.1 per project at this size (fixed writes such as the allocations included): 30.2 when
    // the sweep recorded each window's opening in a write of its own; 3 more when each passed
    // acceptance wrote its intent on its own instead of with the project's record (34.6 → 31.6
    // when that went, before the close of a publicity window parked the next step), 47 before
    // audit entries were folded into the project writes they describe.
    expect(y.storeWrites / y.projects).toBeLessThanOrEqual(28.5);
    // Audit items of their own are left only for writes that change no project (allocations, the year end...).
    expect(byKind['PutItem AUDIT']?.calls ?? 0).toBeLessThan(y.projects * 2);
    // A project's index entries are rewritten only when their keys or projected fields change
    // (1.9 entries per update at this size), not all three on every update as with ALL
    // projections; the notice board's sparse index adds its entry's write and delete, 2 a project.
    const projectUpdates = byKind['UpdateItem PROJECT'];
    expect(projectUpdates.gsiUnits).toBeLessThan(projectUpdates.calls * 2 + y.projects * 2);
    expect(results.machine.cpus).toBeGreaterThan(0);
  });

  it('runs the growth sizes asked for, the load against the store alone and a bare relay, and bundles every function', () => {
    expect(results.growth.map((g) => g.projects)).toEqual([6, 12]);
    expect(results.growth[1].storeWrites).toBe(results.districtYear.storeWrites);
    expect(results.load!.open.requests).toBe(10);
    expect(results.load!.closed.requests).toBeGreaterThan(0);
    expect(results.load!.store.calls).toBeGreaterThan(0);
    // The relay answers each request with the item it names: every one was found.
    expect(results.load!.relay!.calls).toBeGreaterThan(0);
    expect(results.load!.relay!.errors).toBe(0);
    expect(stdout).toContain('| Relay ÷ store');
    // What each load cost: every closed-loop request reads or writes the store at least once,
    // the calls by command add up, and each process named used CPU.
    const { closed, store, relay } = results.load!;
    expect(closed.spent!.storeCalls).toBeGreaterThanOrEqual(closed.requests);
    // The floors replay the loop run just before the measured one, with its record on: its
    // calls, no more (the measured loop's, made with the record paused, are not among them).
    const recorded = results.load!.recordedLoop!;
    expect(recorded.spent!.storeCalls).toBeGreaterThanOrEqual(recorded.requests);
    // The loop's own calls, replayed with no product: every one the product made (refused
    // writes too), each with the answer it got, by as many callers as the loop had clients.
    const loopFloor = results.load!.loopFloor;
    const refusedInLoop = Object.values(recorded.spent!.storeRefusedByKey).reduce((n, c) => n + c, 0);
    expect(loopFloor.calls).toBe(recorded.spent!.storeCalls + refusedInLoop);
    expect(loopFloor.refused).toBe(refusedInLoop);
    expect(loopFloor.differing).toBe(0);
    expect(loopFloor.catchUp.differing).toBe(0);
    expect(loopFloor.concurrency).toBe(recorded.clients);
    // Each of the loop's requests is replayed as one unit of the calls it made.
    expect(loopFloor.requests.count).toBe(recorded.requests);
    expect(loopFloor.requests.p99).toBeGreaterThan(0);
    expect(loopFloor.meanInFlight).toBeLessThanOrEqual(recorded.clients!);
    expect(loopFloor.sent).toBe(loopFloor.calls);
    // The same calls behind a bare HTTP relay, one request for each of the loop's, on a store
    // brought to where the product's stood when the loop began: the relay sent every call,
    // each got the answer it got in the loop, and no request failed.
    const loopRelay = results.load!.loopRelay!;
    expect(loopRelay.setUp.differing).toBe(0);
    expect(loopRelay.setUp.sent).toBeGreaterThanOrEqual(results.districtYear.storeWrites);
    expect(loopRelay.sent).toBe(loopFloor.calls);
    expect(loopRelay.refused).toBe(refusedInLoop);
    expect(loopRelay.differing).toBe(0);
    expect(loopRelay.requests.count).toBe(recorded.requests);
    expect(loopRelay.errors).toBe(0);
    // Each request went to the relay as the loop sent it to the product, and came back with the product's answer.
    expect(loopRelay.answeredAsTheProduct).toBe(recorded.requests);
    for (const ms of [loopRelay.relayCpuMs, loopRelay.storeCpuMs, loopRelay.benchCpuMs]) expect(ms).toBeGreaterThan(0);
    expect(stdout).toContain('| Product ÷ that relay: throughput, p99');
    expect(stdout).toContain('| … the same loop just before it, every store call recorded');
    // The relay's own store-alone reference, measured around it: GetItems answered, CPU counted.
    expect(loopRelay.reference!.calls).toBeGreaterThan(0);
    expect(loopRelay.reference!.errors).toBe(0);
    expect(loopRelay.reference!.cpu.storeMs).toBeGreaterThan(0);
    expect(stdout).toContain('| Store alone around the relay');
    expect(Object.values(closed.spent!.storeCallsByKey).reduce((n, c) => n + c, 0)).toBe(closed.spent!.storeCalls);
    for (const ms of [closed.spent!.productCpuMs, closed.spent!.storeCpuMs, closed.spent!.benchCpuMs])
      expect(ms).toBeGreaterThan(0);
    for (const cpu of [store.cpu, relay!.cpu]) {
      expect(cpu.callerMs).toBeGreaterThan(0);
      expect(cpu.storeMs).toBeGreaterThan(0);
    }
    expect(stdout).toContain('| Closed loop, per request: store calls');
    // Each kind of request alone: every one answered as expected, each with its own store calls.
    const kinds = results.load!.byKind!;
    expect(kinds.map((k) => k.kind)).toEqual(Object.values(REQUEST_KINDS));
    for (const k of kinds) {
      expect(k.requests).toBeGreaterThan(0);
      expect(k.errors).toBe(0);
      expect(k.spent!.storeCalls).toBeGreaterThanOrEqual(k.requests);
    }
    // A need is recorded with its audit item: two puts; a public project read is one read or more.
    expect(kinds.find((k) => k.kind.startsWith('need'))!.spent!.storeCallsByKey).toEqual({
      'PutItem COMMUNITY': expect.any(Number),
      'PutItem AUDIT': expect.any(Number),
    });
    expect(stdout).toContain('| … project (public) alone: throughput');
    expect(stdout).toMatch(/\| Store alone, per GetItem: .* \| [0-9.]+ \/ [0-9.]+; \d+ % \/ \d+ % \|/);
    expect(results.lambda!.length).toBeGreaterThanOrEqual(17);
    for (const f of results.lambda!) expect(f.bytes).toBeGreaterThan(f.floorBytes / 2);
    expect(stdout).toContain('| Product ÷ floor of plain writes |');
    expect(stdout).toContain('| Product ÷ floor of its own writes |');
  });
});

describe('npm run cost on that run', () => {
  it('prices every counted operation, and the scales follow from the per-project and fixed parts', async () => {
    const { stdout: json } = await run(
      process.execPath,
      ['--import', 'tsx', 'bench/cost.ts', '--projects', '1000', '--results', out, '--json'],
      { cwd: root },
    );
    const m = JSON.parse(json);
    const sum = m.perProject.reduce((n: number, l: { usd: number }) => n + l.usd, 0);
    expect(m.perProjectUsd).toBeCloseTo(sum, 12);
    for (const l of m.perProject) expect(Number.isFinite(l.usd) && l.usd >= 0).toBe(true);
    const transitions = m.perProject.find((l: { item: string }) => l.item.startsWith('Step Functions'));
    expect(transitions.quantity).toBeCloseTo(results.districtYear.stats.workflow.transitions / 12, 9);
    const [district, city, perDistrict, oneDeployment] = m.scales;
    expect(district.variableUsd).toBeCloseTo(m.perProjectUsd * 1000, 9);
    expect(city.totalUsd).toBeCloseTo(m.perProjectUsd * 10_000 + m.fixedPerYearUsd, 9);
    // Staff sign-ins are billed once for an organization: the country pays for staff beyond the free 10,000, the same either way.
    expect(perDistrict.cognitoUsd).toBeGreaterThan(0);
    expect(perDistrict.cognitoUsd).toBeCloseTo(oneDeployment.cognitoUsd, 9);
    expect(perDistrict.totalUsd).toBeCloseTo(
      perDistrict.variableUsd + perDistrict.fixedUsd + perDistrict.cognitoUsd,
      6,
    );
  });

  it('prices every fixed item, and the alarms it prices are the ones the stack creates', async () => {
    const { stdout: json } = await run(
      process.execPath,
      ['--import', 'tsx', 'bench/cost.ts', '--projects', '1000', '--results', out, '--json'],
      { cwd: root },
    );
    const m = JSON.parse(json);
    for (const l of m.fixedPerYear) expect(Number.isFinite(l.usd) && l.usd >= 0, l.item).toBe(true);
    expect(m.fixedPerYearUsd).toBeCloseTo(
      m.fixedPerYear.reduce((n: number, l: { usd: number }) => n + l.usd, 0),
      12,
    );
    const alarms = m.fixedPerYear.find((l: { item: string }) => l.item.startsWith('CloudWatch alarm'));
    expect(alarms.quantity).toBe(alarmMetricsBilled(2).reduce((n, k) => n + k.metrics, 0) * 12);
    expect(m.fixedPerYear.some((l: { item: string }) => l.item.startsWith('Cognito'))).toBe(true);
    expect(m.messagesPerProject.smsUsd).toBeGreaterThan(0);
  });
});

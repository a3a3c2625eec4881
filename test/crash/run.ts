import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CrashClient } from './client.ts';
import { ProductProcess, freePort } from './product.ts';
import { plan, runWorkload } from './workload.ts';
import { checkAfterRestart, checkAtEnd, readState, type Violation } from './invariants.ts';

/*
 * The crash test: the local product is killed (SIGKILL to its whole process group) at
 * random moments of a concurrent workload, restarted on the same data each time, and
 * the record is checked afterwards (invariants.ts). Seeded: the seed is printed, and
 * CRASH_SEED=<seed> replays the same plan and the same kill points.
 *
 *   npm run test:crash                                 (CI size: 12 projects, 20 kills)
 *   CRASH_PROJECTS=40 CRASH_KILLS=50 npm run test:crash
 */

const int = (name: string, fallback: number) => {
  const v = process.env[name];
  return v === undefined || v === '' ? fallback : Number.parseInt(v, 10);
};
const projectsCount = int('CRASH_PROJECTS', 12);
const kills = int('CRASH_KILLS', 20);
const concurrency = int('CRASH_CONCURRENCY', 8);
const seed = int('CRASH_SEED', Math.floor(Math.random() * 2 ** 31));
const keep = process.env.CRASH_KEEP === '1';

/** mulberry32: small, seeded, good enough to place kills. */
const rng = (s: number) => () => {
  s = (s + 0x6d2b79f5) | 0;
  let t = Math.imul(s ^ (s >>> 15), 1 | s);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const log = (msg: string) => process.stdout.write(`[crash ${((performance.now() - t0) / 1000).toFixed(1)}s] ${msg}\n`);
const t0 = performance.now();

const main = async (): Promise<number> => {
  log(`seed ${seed}: ${projectsCount} projects, ${kills} kills, concurrency ${concurrency} (replay with CRASH_SEED=${seed})`);
  const random = rng(seed);
  const dataDir = mkdtempSync(join(tmpdir(), 'cf-crash-'));
  const product = new ProductProcess(join(dataDir, 'data'), await freePort());
  const api = new CrashClient(product);
  const { projects, allocations } = plan(projectsCount, String(seed));
  // Kills at random moments: three in four at a random request of the workload (about 12 per
  // project, spread over the first 90 % so that they land inside it), one in four during a
  // random clock move (where the timers' work runs: windows closing, reminders).
  const clockMoves = 19;
  const atClock = Math.round(kills / 4);
  const requestsEstimate = Math.floor((projectsCount * 12 + 20) * 0.9);
  const killAtRequest = Array.from({ length: kills - atClock }, () => 1 + Math.floor(random() * requestsEstimate)).sort((a, b) => a - b);
  const killAtMove = Array.from({ length: atClock }, () => Math.floor(random() * clockMoves)).sort((a, b) => a - b);
  const delayMs = () => Math.floor(random() * 150);
  const violations: Violation[] = [];
  let killed = 0;
  let requests = 0;
  let moves = 0;
  let killing: Promise<void> | undefined;

  const killAndRestart = async (delay: number) => {
    await new Promise((r) => setTimeout(r, delay));
    product.close();
    await product.kill();
    killed++;
    await product.start();
    // Before any request of the workload runs again: is the clock behind something already recorded?
    violations.push(...(await checkAfterRestart(product.baseUrl, projects, killed)));
    product.reopen();
  };
  const kill = () => {
    killing = killAndRestart(delayMs()).finally(() => (killing = undefined));
  };
  // A kill point reached while a kill is under way waits for the next request after the restart.
  api.onRequest = (kind) => {
    if (kind === 'clock') moves++;
    else requests++;
    if (killing) return;
    if (killAtMove.length && killAtMove[0] < moves) {
      killAtMove.shift();
      kill();
    } else if (killAtRequest.length && killAtRequest[0] <= requests) {
      killAtRequest.shift();
      kill();
    }
  };

  await product.start();
  let phaseName = '';
  try {
    await runWorkload(api, projects, allocations, concurrency, (name) => {
      phaseName = name;
      log(`phase: ${name} (kills so far ${killed})`);
    });
    // Kills still owed (the workload was shorter than planned) happen now, between the workload and the checks.
    while (killed < kills) {
      if (killing) await killing;
      else await killAndRestart(0);
    }
    if (killing) await killing;
    await api.now();
    log(`workload done: ${api.counts.requests} requests, ${killed} kills, ${product.starts} starts; checking`);
    const state = await readState(api, projects);
    violations.push(...checkAtEnd(state, projects, allocations, api.acknowledged));
    // CRASH_SHOW=<n>: the history and dossier of project n, to read what a run did.
    const shown = state.projects.find((s) => String(s.plan.n) === process.env.CRASH_SHOW);
    if (shown) log(`project ${shown.plan.n}: ${JSON.stringify({ history: shown.history, dossier: shown.dossier }, null, 1)}`);
  } catch (e) {
    violations.push({ invariant: 'the harness could not finish', detail: `${(e as Error).message} (phase ${phaseName})` });
  } finally {
    await product.stop();
    if (!keep) rmSync(dataDir, { recursive: true, force: true });
    else log(`data kept in ${dataDir}`);
  }

  log(`retries: ${api.counts.retriesAfterDrop} after a dropped connection, ${api.counts.retriesAfter5xx} after a 5xx, ${api.counts.retriesInProgress} after "still being processed"`);
  if (product.errors.length) log(`the product's error lines (first 10 of ${product.errors.length}):\n  ${product.errors.slice(0, 10).join('\n  ')}`);
  if (!violations.length) {
    log(`PASS seed ${seed}: ${projectsCount} projects, ${killed} kills, every invariant held`);
    return 0;
  }
  const counts = new Map<string, number>();
  for (const v of violations) counts.set(v.invariant, (counts.get(v.invariant) ?? 0) + 1);
  log(`FAIL seed ${seed}: ${violations.length} violations`);
  for (const [inv, n] of counts) log(`  ${n} × ${inv}`);
  for (const v of violations.slice(0, 40)) process.stdout.write(`\n- ${v.invariant}${v.project ? ` — project ${v.project}` : ''}\n  ${v.detail}${v.history ? `\n  history: ${v.history}` : ''}\n`);
  if (violations.length > 40) process.stdout.write(`\n… and ${violations.length - 40} more\n`);
  return 1;
};

process.exitCode = await main();

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
 * the record is checked afterwards (invariants.ts). Seeded: the same seed replays the
 * same plan and the same kill points. run.ts is its command line; crash.test.ts runs it
 * at a small size under `npm test`.
 */

export interface CrashOptions {
  projects: number;
  kills: number;
  concurrency: number;
  seed: number;
  /** Keep the product's data directory afterwards (its path is logged). */
  keep?: boolean;
  /** n of a planned project whose history and dossier are logged at the end. */
  show?: string;
  log?: (line: string) => void;
}

export interface CrashResult {
  seed: number;
  seconds: number;
  requests: number;
  kills: number;
  starts: number;
  retries: { afterDrop: number; after5xx: number; inProgress: number };
  violations: Violation[];
  /** The end of the run as it is printed: PASS, or FAIL with the violations counted by invariant and listed. */
  report: string;
  /** The product's error lines (first 10), for reading a failure. */
  productErrors: string[];
}

/** mulberry32: small, seeded, good enough to place kills. */
const rng = (s: number) => () => {
  s = (s + 0x6d2b79f5) | 0;
  let t = Math.imul(s ^ (s >>> 15), 1 | s);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

/** A fresh seed for a run that was given none. */
export const randomSeed = (): number => Math.floor(Math.random() * 2 ** 31);

/** Runs the crash test once: the workload with its kills, then every check. Never throws for a broken invariant: it is in `violations`. */
export const runCrashTest = async (o: CrashOptions): Promise<CrashResult> => {
  const t0 = performance.now();
  const write = o.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const log = (msg: string) => write(`[crash ${((performance.now() - t0) / 1000).toFixed(1)}s] ${msg}`);
  const { seed, kills } = o;
  log(
    `seed ${seed}: ${o.projects} projects, ${kills} kills, concurrency ${o.concurrency} (replay with CRASH_SEED=${seed})`,
  );
  const random = rng(seed);
  const dataDir = mkdtempSync(join(tmpdir(), 'cf-crash-'));
  const product = new ProductProcess(join(dataDir, 'data'), await freePort());
  const api = new CrashClient(product);
  const { projects, allocations } = plan(o.projects, String(seed));
  // Kills at random moments: three in four at a random request of the workload (about 12 per
  // project, spread over the first 90 % so that they land inside it), one in four during a
  // random clock move (where the timers' work runs: windows closing, reminders).
  const clockMoves = 19;
  const atClock = Math.round(kills / 4);
  const requestsEstimate = Math.floor((o.projects * 12 + 20) * 0.9);
  const killAtRequest = Array.from({ length: kills - atClock }, () => 1 + Math.floor(random() * requestsEstimate)).sort(
    (a, b) => a - b,
  );
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
    await runWorkload(api, projects, allocations, o.concurrency, (name) => {
      phaseName = name;
      log(`phase: ${name} (kills so far ${killed})`);
    });
    // Kill points the workload did not reach are dropped, so that the reads of the checks
    // trigger none; the kills still owed happen now, between the workload and the checks.
    api.onRequest = () => undefined;
    while (killed < kills) {
      if (killing) await killing;
      else await killAndRestart(0);
    }
    if (killing) await killing;
    await api.now();
    log(`workload done: ${api.counts.requests} requests, ${killed} kills, ${product.starts} starts; checking`);
    const state = await readState(api, projects);
    violations.push(...checkAtEnd(state, projects, allocations, api.acknowledged));
    const shown = state.projects.find((s) => String(s.plan.n) === o.show);
    if (shown)
      log(
        `project ${shown.plan.n}: ${JSON.stringify({ history: shown.history, objections: shown.objections, dossier: shown.dossier }, null, 1)}`,
      );
  } catch (e) {
    violations.push({
      invariant: 'the harness could not finish',
      detail: `${(e as Error).message} (phase ${phaseName})`,
    });
  } finally {
    await product.stop();
    if (!o.keep) rmSync(dataDir, { recursive: true, force: true });
    else log(`data kept in ${dataDir}`);
  }

  const c = api.counts;
  log(
    `retries: ${c.retriesAfterDrop} after a dropped connection, ${c.retriesAfter5xx} after a 5xx, ${c.retriesInProgress} after "still being processed"`,
  );
  const productErrors = product.errors.slice(0, 10);
  if (product.errors.length)
    log(`the product's error lines (first 10 of ${product.errors.length}):\n  ${productErrors.join('\n  ')}`);
  const result = {
    seed,
    seconds: Math.round((performance.now() - t0) / 100) / 10,
    requests: c.requests,
    kills: killed,
    starts: product.starts,
    retries: { afterDrop: c.retriesAfterDrop, after5xx: c.retriesAfter5xx, inProgress: c.retriesInProgress },
    violations,
    productErrors,
  };
  const report = reportOf(result, o.projects);
  write(report);
  return { ...result, report };
};

/** The verdict as printed: one line when every invariant held, else the counts by invariant and the first 40 violations. */
const reportOf = (r: Omit<CrashResult, 'report'>, projects: number): string => {
  if (!r.violations.length) return `PASS seed ${r.seed}: ${projects} projects, ${r.kills} kills, every invariant held`;
  const counts = new Map<string, number>();
  for (const v of r.violations) counts.set(v.invariant, (counts.get(v.invariant) ?? 0) + 1);
  const lines = [
    `FAIL seed ${r.seed} (replay with CRASH_SEED=${r.seed} CRASH_PROJECTS=${projects}): ${r.violations.length} violations`,
  ];
  for (const [inv, n] of counts) lines.push(`  ${n} × ${inv}`);
  for (const v of r.violations.slice(0, 40))
    lines.push(
      `\n- ${v.invariant}${v.project ? ` — project ${v.project}` : ''}\n  ${v.detail}${v.history ? `\n  history: ${v.history}` : ''}`,
    );
  if (r.violations.length > 40) lines.push(`\n… and ${r.violations.length - 40} more`);
  return lines.join('\n');
};

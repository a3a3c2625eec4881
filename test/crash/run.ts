import { randomSeed, runCrashTest } from './harness.ts';

/*
 * The crash test's command line (harness.ts does the work). The seed is printed, and
 * CRASH_SEED=<seed> replays the same plan and the same kill points.
 *
 *   npm run test:crash                                 (12 projects, 20 kills)
 *   CRASH_PROJECTS=40 CRASH_KILLS=50 npm run test:crash
 *   CRASH_KEEP=1 keeps the data directory; CRASH_SHOW=<n> prints project n's record.
 */

const int = (name: string, fallback: number) => {
  const v = process.env[name];
  return v === undefined || v === '' ? fallback : Number.parseInt(v, 10);
};

const result = await runCrashTest({
  projects: int('CRASH_PROJECTS', 12),
  kills: int('CRASH_KILLS', 20),
  concurrency: int('CRASH_CONCURRENCY', 8),
  seed: int('CRASH_SEED', randomSeed()),
  keep: process.env.CRASH_KEEP === '1',
  show: process.env.CRASH_SHOW,
});
process.exitCode = result.violations.length ? 1 : 0;

import { expect, it } from 'vitest';
import { randomSeed, runCrashTest } from './harness.ts';

/*
 * The crash test at a small size, so that `npm test` kills the product at random moments
 * too: 6 projects, 20 kills, a fresh seed each run. A failure prints the harness's report,
 * with the seed to replay it (CRASH_SEED=<seed> CRASH_PROJECTS=6 npm run test:crash).
 */
it('keeps every acknowledged write, once, through 20 kills of the product during a concurrent workload', async () => {
  // Prepare
  const seed = randomSeed();
  const lines: string[] = [];

  // Act
  const result = await runCrashTest({ projects: 6, kills: 20, concurrency: 8, seed, log: (line) => lines.push(line) });

  // Assess
  expect(result.kills, lines.join('\n')).toBe(20);
  expect(result.violations.length, `${result.report}\n\nthe run:\n${lines.join('\n')}`).toBe(0);
}, 600_000);

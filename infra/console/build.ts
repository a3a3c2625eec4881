/**
 * Builds the staff console into `infra/console/dist` with Vite. `npm start` runs it with
 * `--if-stale` first (as it does the board), so a fresh clone serves a console at /console/.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBuildCommand, viteApp } from '../vite-app.ts';

const root = dirname(fileURLToPath(import.meta.url));

/**
 * What the console bundles from outside its folder: the domain's pure calendar and status
 * list, and the board's labels and project facts. A change in one rebuilds the served copy
 * and gives the deployed asset a new hash.
 */
export const CONSOLE_OUTSIDE_SOURCES = [
  'functions/domain/calendar.ts',
  'functions/domain/lifecycle.ts',
  'infra/board/src/format.ts',
  'infra/board/src/ProjectFacts.tsx',
].map((f) => join(root, '../..', f));

const staffConsole = viteApp(root, CONSOLE_OUTSIDE_SOURCES);

/** True when `dist` is missing or older than any source file of the console. */
export const consoleIsStale = (outDir?: string): boolean => staffConsole.isStale(outDir);

/** Builds the console into `outDir` (default `infra/console/dist`). */
export const buildConsole = (outDir?: string): Promise<void> => staffConsole.build(outDir);

await runBuildCommand(import.meta.url, staffConsole, 'staff console');

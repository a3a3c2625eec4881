/**
 * Builds the staff console into `infra/console/dist` with Vite. `npm start` runs it with
 * `--if-stale` first (as it does the board), so a fresh clone serves a console at /console/.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBuildCommand, viteApp } from '../vite-app.ts';

const root = dirname(fileURLToPath(import.meta.url));
// The console also bundles the pure calendar functions of the domain: a change there rebuilds it.
const staffConsole = viteApp(root, [join(root, '../../functions/domain/calendar.ts')]);

/** True when `dist` is missing or older than any source file of the console. */
export const consoleIsStale = (outDir?: string): boolean => staffConsole.isStale(outDir);

/** Builds the console into `outDir` (default `infra/console/dist`). */
export const buildConsole = (outDir?: string): Promise<void> => staffConsole.build(outDir);

await runBuildCommand(import.meta.url, staffConsole, 'staff console');

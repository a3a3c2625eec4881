/**
 * Builds the staff console into `infra/console/dist` with Vite. `npm start` runs it with
 * `--if-stale` first (as it does the board), so a fresh clone serves a console at /console/.
 */
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export const CONSOLE_ROOT = dirname(fileURLToPath(import.meta.url));
export const CONSOLE_DIST = join(CONSOLE_ROOT, 'dist');
const STAMP = '.built';

// The console also bundles the pure calendar functions of the domain: a change there rebuilds it.
const SOURCES = [CONSOLE_ROOT, join(CONSOLE_ROOT, '../../functions/domain/calendar.ts')];

const newestMtime = (path: string): number => {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = s.mtimeMs;
  for (const e of readdirSync(path)) {
    if (e === 'dist' || e === 'node_modules') continue;
    newest = Math.max(newest, newestMtime(join(path, e)));
  }
  return newest;
};

/** True when `dist` is missing or older than any source file of the console. */
export const consoleIsStale = (outDir = CONSOLE_DIST): boolean => {
  const stamp = join(outDir, STAMP);
  if (!existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  return SOURCES.some((s) => newestMtime(s) > built);
};

/** Builds the console into `outDir` (default `infra/console/dist`). */
export const buildConsole = async (outDir = CONSOLE_DIST): Promise<void> => {
  const { build } = await import('vite');
  await build({
    configFile: join(CONSOLE_ROOT, 'vite.config.ts'),
    build: { outDir: resolve(outDir), emptyOutDir: true },
  });
  // Only the served copy needs a stamp; a copy built for deployment ships without it.
  if (resolve(outDir) === CONSOLE_DIST) writeFileSync(join(outDir, STAMP), new Date().toISOString());
};

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const { values } = parseArgs({ options: { 'if-stale': { type: 'boolean' }, out: { type: 'string' } } });
  const out = values.out ? resolve(values.out) : CONSOLE_DIST;
  if (values['if-stale'] && !consoleIsStale(out)) process.exit(0);
  const started = Date.now();
  await buildConsole(out);
  console.log(`staff console built into ${out} in ${Date.now() - started} ms`);
}

/**
 * Builds the notice board into `infra/board/dist` with Vite. `npm start` runs it with
 * `--if-stale` first, so a fresh clone gets a board and an unchanged one starts at once.
 */
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export const BOARD_ROOT = dirname(fileURLToPath(import.meta.url));
export const BOARD_DIST = join(BOARD_ROOT, 'dist');
const STAMP = '.built';

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

/** True when `dist` is missing or older than any source file of the board. */
export const boardIsStale = (outDir = BOARD_DIST): boolean => {
  const stamp = join(outDir, STAMP);
  if (!existsSync(stamp)) return true;
  return newestMtime(BOARD_ROOT) > statSync(stamp).mtimeMs;
};

/** Builds every page into `outDir` (default `infra/board/dist`). */
export const buildBoard = async (outDir = BOARD_DIST): Promise<void> => {
  const { build } = await import('vite');
  await build({
    configFile: join(BOARD_ROOT, 'vite.config.ts'),
    build: { outDir: resolve(outDir), emptyOutDir: true },
  });
  // Only the served copy needs a stamp; a copy built for deployment ships without it.
  if (resolve(outDir) === BOARD_DIST) writeFileSync(join(outDir, STAMP), new Date().toISOString());
};

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const { values } = parseArgs({ options: { 'if-stale': { type: 'boolean' }, out: { type: 'string' } } });
  const out = values.out ? resolve(values.out) : BOARD_DIST;
  if (values['if-stale'] && !boardIsStale(out)) process.exit(0);
  const started = Date.now();
  await buildBoard(out);
  console.log(`notice board built into ${out} in ${Date.now() - started} ms`);
}

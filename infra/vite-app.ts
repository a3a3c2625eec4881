/**
 * What the notice board and the staff console share as Vite apps: one Vite configuration
 * (a strict-CSP static build), a build into `dist`, and the staleness check `npm start` and
 * the browser tests use to rebuild only when a source changed.
 */
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { UserConfig } from 'vite';

const STAMP = '.built';

/**
 * The Vite configuration both apps build with: `root` is the app's folder, `base` the path it
 * is served under, `input` its HTML pages when there is more than `index.html`.
 */
export const staticAppConfig = (root: string, base: string, input?: Record<string, string>): UserConfig => ({
  root,
  base,
  logLevel: 'warn',
  // Preact's automatic JSX runtime needs no preset plugin: esbuild compiles it.
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: join(root, 'dist'),
    emptyOutDir: true,
    target: 'es2019',
    // Inline scripts and data: URIs would need a looser Content-Security-Policy.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    ...(input ? { rollupOptions: { input } } : {}),
  },
});

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

/** A Vite app with its `vite.config.ts` in `root`, built into `root/dist`. */
export interface ViteApp {
  /** The served copy, the only one that carries a build stamp. */
  readonly dist: string;
  /** True when `outDir` has no stamp or is older than any source file of the app. */
  isStale(outDir?: string): boolean;
  /** Builds the app into `outDir` (default `dist`). */
  build(outDir?: string): Promise<void>;
}

/**
 * The build and staleness check of the Vite app in `root`. `extraSources` are the files
 * outside `root` its bundle also reads, so a change in them rebuilds it too.
 */
export const viteApp = (root: string, extraSources: string[] = []): ViteApp => {
  const dist = join(root, 'dist');
  const sources = [root, ...extraSources];
  return {
    dist,
    isStale(outDir = dist) {
      const stamp = join(outDir, STAMP);
      if (!existsSync(stamp)) return true;
      const built = statSync(stamp).mtimeMs;
      return sources.some((s) => newestMtime(s) > built);
    },
    async build(outDir = dist) {
      const { build } = await import('vite');
      await build({
        configFile: join(root, 'vite.config.ts'),
        build: { outDir: resolve(outDir), emptyOutDir: true },
      });
      // Only the served copy needs a stamp; a copy built for deployment ships without it.
      if (resolve(outDir) === dist) writeFileSync(join(outDir, STAMP), new Date().toISOString());
    },
  };
};

/**
 * The command line of an app's `build.ts` (`--out <dir>`, `--if-stale`), run only when that
 * file is the script node started (`moduleUrl` is its `import.meta.url`), not when imported.
 */
export const runBuildCommand = async (moduleUrl: string, app: ViteApp, name: string): Promise<void> => {
  if (!process.argv[1] || resolve(process.argv[1]) !== fileURLToPath(moduleUrl)) return;
  const { values } = parseArgs({ options: { 'if-stale': { type: 'boolean' }, out: { type: 'string' } } });
  const out = values.out ? resolve(values.out) : app.dist;
  if (values['if-stale'] && !app.isStale(out)) return;
  const started = Date.now();
  await app.build(out);
  console.log(`${name} built into ${out} in ${Date.now() - started} ms`);
};

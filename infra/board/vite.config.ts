import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = dirname(fileURLToPath(import.meta.url));

/** Every HTML file at the root is one page of the board. */
const pages = Object.fromEntries(
  readdirSync(root)
    .filter((f) => f.endsWith('.html'))
    .map((f) => [f.replace(/\.html$/, ''), join(root, f)]),
);

export default defineConfig({
  root,
  base: '/',
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
    rollupOptions: { input: pages },
  },
});

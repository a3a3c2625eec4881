import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = dirname(fileURLToPath(import.meta.url));

/** One page (index.html) under /console/; screens are hash routes, so any static host serves it. */
export default defineConfig({
  root,
  base: '/console/',
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
  },
});

import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { staticAppConfig } from '../vite-app.ts';

const root = dirname(fileURLToPath(import.meta.url));

/** Every HTML file at the root is one page of the board. */
const pages = Object.fromEntries(
  readdirSync(root)
    .filter((f) => f.endsWith('.html'))
    .map((f) => [f.replace(/\.html$/, ''), join(root, f)]),
);

export default defineConfig(staticAppConfig(root, '/', pages));

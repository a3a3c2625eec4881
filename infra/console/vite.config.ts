import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { staticAppConfig } from '../vite-app.ts';

/** One page (index.html) under /console/; screens are hash routes, so any static host serves it. */
export default defineConfig(staticAppConfig(dirname(fileURLToPath(import.meta.url)), '/console/'));

/**
 * Builds the notice board into `infra/board/dist` with Vite. `npm start` runs it with
 * `--if-stale` first, so a fresh clone gets a board and an unchanged one starts at once.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBuildCommand, viteApp } from '../vite-app.ts';

const board = viteApp(dirname(fileURLToPath(import.meta.url)));

/** True when `dist` is missing or older than any source file of the board. */
export const boardIsStale = (outDir?: string): boolean => board.isStale(outDir);

/** Builds every page into `outDir` (default `infra/board/dist`). */
export const buildBoard = (outDir?: string): Promise<void> => board.build(outDir);

await runBuildCommand(import.meta.url, board, 'notice board');

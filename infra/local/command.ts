import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { cpuMsOf } from './stats.ts';

/**
 * A young generation twice V8's default: both processes make short-lived garbage of every
 * request (parsed JSON, SDK middleware state), and with 16 MB semi-spaces the scavenger
 * ran so often that it was a tenth of each one's CPU. At 32 MB a 1,000-project district
 * year took 11 % less CPU in the product and 12 % less in the store, for ~40 MB more RSS.
 */
const YOUNG_GENERATION = '--max-semi-space-size=32';

/**
 * How the local product's process is started, by `npm start` (package.json spells the same
 * flags), the tests and the bench. The old-space cap keeps V8 from growing its heap with
 * every district year it serves: the live data stays well under it (about 55 MB at 300
 * projects), and without it the heap's high-water mark grew to ~370 MB at 1,000 projects.
 */
export const PRODUCT_NODE_FLAGS = ['--max-old-space-size=256', YOUNG_GENERATION] as const;

/** How the local store's process is started, by the product and by the bench's floor alike. */
export const STORE_NODE_FLAGS = [YOUNG_GENERATION] as const;

/** The arguments of `node` that run the product with `args` (from the repository root). */
export const productNodeArgs = (args: readonly string[]): string[] => [
  ...PRODUCT_NODE_FLAGS,
  '--import',
  'tsx',
  'infra/local/main.ts',
  ...args,
];

/** The arguments of `node` that run the local store on `dataDir` (`extra`: flags before the script, e.g. to profile it). */
export const storeNodeArgs = (dataDir: string, extra: readonly string[] = []): string[] => [
  ...STORE_NODE_FLAGS,
  ...extra,
  '--import',
  'tsx',
  fileURLToPath(new URL('./storeProcess.ts', import.meta.url)),
  dataDir,
];

/**
 * The first thing `child` says on stdout that `heard` makes out (where it listens), from
 * all it has said so far; an error naming `who` if it exits before.
 */
export const firstSaid = <T>(child: ChildProcess, heard: (out: string) => T | undefined, who: string): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const said = heard(out);
      if (said !== undefined) resolve(said);
    });
    child.once('exit', (code) => reject(new Error(`${who} exited with ${code} before it listened`)));
  });

/**
 * Sends `ask` over `child`'s IPC channel and resolves with the `answer` field of its first
 * reply that has one; undefined from a child that is gone rather than a wait that never ends.
 */
export const askChild = (child: ChildProcess, ask: unknown, answer: string): Promise<unknown> =>
  new Promise((resolve) => {
    if (!child.connected) return resolve(undefined);
    const done = (value: unknown) => {
      child.off('message', reply);
      child.off('exit', gone);
      resolve(value);
    };
    const reply = (m: unknown) => {
      if (m && typeof m === 'object' && answer in m) done((m as Record<string, unknown>)[answer]);
    };
    const gone = () => done(undefined);
    child.on('message', reply);
    child.once('exit', gone);
    child.send(ask as object);
  });

/** The CPU time `child` has used, in ms, asked over its IPC channel (see `answerParentAsks`); 0 from a child that is gone. */
export const cpuMsOfChild = async (child: ChildProcess): Promise<number> => {
  const cpu = (await askChild(child, 'cpu', 'cpu')) as NodeJS.CpuUsage | undefined;
  return cpu ? cpuMsOf(cpu) : 0;
};

/**
 * A child process's half of `askChild` (the store's and the bench's relays): `cpu` is
 * answered with the CPU time it has used; `{ record: boolean }` pauses or resumes its
 * record of calls, in a child that keeps one (`setRecording`).
 */
export const answerParentAsks = (setRecording?: (on: boolean) => Promise<void>): void => {
  process.on('message', (m) => {
    if (m === 'cpu') process.send?.({ cpu: process.cpuUsage() });
    const record = (m as { record?: unknown } | null)?.record;
    if (setRecording && typeof record === 'boolean')
      void setRecording(record).then(() => process.send?.({ recording: record }));
  });
};

import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { productNodeArgs } from '../infra/local/command.ts';

const root = resolve(import.meta.dirname, '..');

const children = new Set<ChildProcess>();
const dirs = new Set<string>();

/** Everything the bench started goes when it ends, on Ctrl-C too. */
const cleanup = () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  children.clear();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs.clear();
};
process.once('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM'] as const)
  process.once(sig, () => {
    process.stderr.write(`\nbench: ${sig}, stopping what it started\n`);
    cleanup();
    process.exit(130);
  });

/** A fresh directory that is removed when the bench exits. */
export const scratchDir = (prefix: string): string => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.add(d);
  return d;
};

export interface Product {
  port: number;
  pid: number;
  /** Lines the product wrote to stderr (failed executions, unhandled errors): none is expected. */
  errorLines(): string[];
  /** Peak resident set of the product process so far (VmHWM), in MB. */
  peakRssMb(): number;
  stop(): Promise<void>;
}

/**
 * Starts the product as `npm start` does, on a free port and a fresh data dir, with the
 * org tree given and operation counting switched on.
 */
export const startProduct = async (opts: {
  profile: string;
  org: unknown;
  log?: string;
  /** A file the store appends every call it answers to (infra/local/callRecord.ts). */
  recordCalls?: string;
}): Promise<Product> => {
  const dataDir = scratchDir('cf-bench-');
  const orgFile = join(dataDir, 'org.json');
  writeFileSync(orgFile, JSON.stringify(opts.org));
  const child = spawn(
    process.execPath,
    [
      // e.g. BENCH_PRODUCT_NODE_ARGS="--cpu-prof --cpu-prof-dir=prof" profiles the product alone
      ...(process.env.BENCH_PRODUCT_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      ...productNodeArgs(['--port', '0', '--data-dir', join(dataDir, 'data'), '--profile', opts.profile]),
    ],
    {
      cwd: root,
      env: {
        ...process.env,
        PORT: '',
        DATA_DIR: '',
        ORG_FILE: orgFile,
        LOCAL_STATS: '1',
        LOG_LEVEL: 'ERROR',
        LOCAL_STORE_RECORD_CALLS: opts.recordCalls ?? '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.add(child);
  let stderr = '';
  const errors: string[] = [];
  child.stderr!.on('data', (d) => {
    stderr += d;
    if (opts.log) appendFileSync(opts.log, d);
    for (const line of String(d).split('\n')) if (line.trim() && errors.length < 1000) errors.push(line.slice(0, 500));
    if (stderr.length > 20_000) stderr = stderr.slice(-10_000);
  });
  const port = await new Promise<number>((res, rej) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on http:\/\/localhost:(\d+)/.exec(out);
      if (m) res(Number(m[1]));
      // The handlers log errors as JSON lines on stdout (Powertools); those count as the product's errors too.
      for (const line of String(d).split('\n'))
        if (line.includes('"level":"ERROR"')) {
          if (opts.log) appendFileSync(opts.log, `${line}\n`);
          if (errors.length < 1000) errors.push(line.slice(0, 500));
        }
    });
    child.once('exit', (code) => rej(new Error(`product exited with ${code}: ${stderr}`)));
  });
  return {
    port,
    pid: child.pid!,
    errorLines: () => [...errors],
    peakRssMb: () => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        return m ? Math.round(Number(m[1]) / 1024) : 0;
      } catch {
        return 0;
      }
    },
    stop: () =>
      new Promise<void>((res) => {
        children.delete(child);
        if (child.exitCode !== null) return res();
        child.once('exit', () => res());
        child.kill('SIGTERM');
        setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 5000).unref();
      }),
  };
};

import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { productNodeArgs } from '../../infra/local/command.ts';

const root = resolve(import.meta.dirname, '../..');

/** A free TCP port, so that every restart of the product listens where the clients already point. */
export const freePort = (): Promise<number> =>
  new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });

/**
 * The local product as `npm start` runs it (the tsx launcher and the node process it
 * starts), in a process group of its own so that a kill takes the whole tree at once,
 * as a power cut or the OOM killer would. Clients wait on `ready()` while it is down.
 */
export class ProductProcess {
  private child?: ChildProcess;
  private gate: Promise<void> = Promise.resolve();
  private open: () => void = () => undefined;
  starts = 0;
  /** The product's stderr, per start, for the report (failed executions, unhandled errors). */
  readonly errors: string[] = [];

  constructor(
    readonly dataDir: string,
    readonly port: number,
  ) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Resolves when the product answers; requests wait here across a kill and restart. */
  ready(): Promise<void> {
    return this.gate;
  }

  /** Closes the gate: requests wait until `reopen()`. */
  close(): void {
    this.gate = new Promise((r) => (this.open = r));
  }

  reopen(): void {
    this.open();
  }

  /** Starts the product on the data dir and waits until it listens; retried while the port is still held. */
  async start(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.spawnOnce();
        this.starts++;
        return;
      } catch (e) {
        if (attempt >= 20 || !/EADDRINUSE/.test((e as Error).message)) throw e;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  private spawnOnce(): Promise<void> {
    const child = spawn(
      process.execPath,
      productNodeArgs(['--port', String(this.port), '--data-dir', this.dataDir, '--profile', 'guandu']),
      {
        cwd: root,
        detached: true,
        env: { ...process.env, PORT: '', DATA_DIR: '', LOG_LEVEL: 'ERROR' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child = child;
    const start = this.starts + 1;
    let stderr = '';
    child.stderr!.on('data', (d) => {
      stderr += d;
      for (const line of String(d).split('\n'))
        if (line.trim() && !line.includes('notice board not built') && this.errors.length < 500)
          this.errors.push(`start ${start}: ${line.slice(0, 400)}`);
    });
    return new Promise<void>((res, rej) => {
      let out = '';
      child.stdout!.on('data', (d) => {
        out += d;
        if (/listening on http:\/\/localhost:\d+/.test(out)) res();
        for (const line of String(d).split('\n'))
          if (line.includes('"level":"ERROR"') && this.errors.length < 500)
            this.errors.push(`start ${start}: ${line.slice(0, 400)}`);
      });
      child.once('exit', (code, signal) =>
        rej(new Error(`the product exited (${code ?? signal}) before listening: ${stderr.slice(-2000)}`)),
      );
    });
  }

  /** SIGKILL to the whole process group; resolves once no process of the group is left (the store's lock is free). */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const gone =
      child.exitCode !== null || child.signalCode !== null
        ? Promise.resolve()
        : new Promise((r) => child.once('exit', r));
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
    await gone;
    // A zombie nobody reaps would count as alive for ever: give up waiting after 5 s (the start retries anyway).
    for (let waited = 0; groupAlive(child.pid!) && waited < 5000; waited += 20)
      await new Promise((r) => setTimeout(r, 20));
  }

  /** A clean stop at the end (SIGTERM to the group), then SIGKILL if it lingers. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => this.kill(), 5000);
    await gone;
    clearTimeout(timer);
  }
}

/** Whether a process of the group still runs; a zombie (dead, not yet reaped by its new parent) does not count. */
const groupAlive = (pgid: number): boolean => {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  try {
    return readdirSync('/proc').some((pid) => {
      if (!/^\d+$/.test(pid)) return false;
      try {
        // stat: "pid (comm) state ppid pgrp ..."; comm may hold spaces, so read after the last ')'.
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return Number(pgrp) === pgid && state !== 'Z';
      } catch {
        return false;
      }
    });
  } catch {
    return true;
  }
};

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import createClient, { type Client } from 'openapi-fetch';
import type { paths } from '../../functions/openapi/api-types.ts';
import { contractFetch } from './contract.ts';
import { productNodeArgs } from '../../infra/local/command.ts';

const root = resolve(import.meta.dirname, '../..');

export interface Running {
  baseUrl: string;
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * Starts the product as `npm start` does (tsx on infra/local/main.ts) on a free port and
 * a fresh data dir, and resolves once it listens. The same data dir can be reused to
 * test a restart.
 */
export const startProduct = async (opts: { profile?: string; dataDir?: string } = {}): Promise<Running> => {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'cf-e2e-'));
  const child: ChildProcess = spawn(
    process.execPath,
    productNodeArgs(['--port', '0', '--data-dir', dataDir, '--profile', opts.profile ?? 'guandu']),
    {
      cwd: root,
      env: { ...process.env, PORT: '', DATA_DIR: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const port = await new Promise<number>((res, rej) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on http:\/\/localhost:(\d+)/.exec(out);
      if (m) res(Number(m[1]));
    });
    child.once('exit', (code) => rej(new Error(`server exited with ${code}: ${stderr}`)));
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    dataDir,
    stop: () =>
      new Promise<void>((res) => {
        if (child.exitCode !== null) return res();
        child.once('exit', () => res());
        child.kill('SIGTERM');
      }),
  };
};

export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** The client generated from openapi.json: paths, parameters and bodies are typed. */
export type TypedClient = Client<paths, `${string}/${string}`>;

/** What the typed client answers, as the tests read it: the status, the headers, the body or the problem. */
export const replyOf = async (
  call: Promise<{ data?: unknown; error?: unknown; response: Response }>,
): Promise<Reply> => {
  const { data, error, response } = await call;
  return { status: response.status, headers: response.headers, body: data ?? error };
};

/**
 * The HTTP client of the tests. Well-formed calls go through the typed client (`as`);
 * `call` sends anything, hostile bodies included. Every exchange of both is checked
 * against the OpenAPI document (contract.ts).
 */
export class Api {
  private readonly clients = new Map<string, TypedClient>();

  constructor(readonly baseUrl: string) {}

  /** The typed client acting with `token` (none: a resident on the public routes). */
  as(token?: string): TypedClient {
    let c = this.clients.get(token ?? '');
    if (!c) {
      c = createClient<paths>({
        baseUrl: this.baseUrl,
        fetch: contractFetch,
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      this.clients.set(token ?? '', c);
    }
    return c;
  }

  async call<T = any>(
    method: string,
    path: string,
    opts: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: string } = {},
  ): Promise<Reply<T>> {
    const request = new Request(this.baseUrl + path, {
      method,
      headers: {
        ...(opts.body !== undefined || opts.raw !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        ...opts.headers,
      },
      body: opts.raw ?? (opts.body !== undefined ? JSON.stringify(opts.body) : undefined),
    });
    const res = await contractFetch(request);
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    return { status: res.status, headers: res.headers, body: type.includes('json') && text ? JSON.parse(text) : text };
  }

  async token(role: string, orgUnitId: string, sub = `${role}-${orgUnitId}`): Promise<string> {
    const r = await this.call('POST', '/local/token', { body: { sub, role, orgUnitId } });
    if (r.status !== 200) throw new Error(`token: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.token;
  }

  async advance(duration: string): Promise<string> {
    const r = await this.call('POST', '/local/clock', { body: { advance: duration } });
    if (r.status !== 200) throw new Error(`advance: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.now;
  }

  async setClock(iso: string): Promise<Reply> {
    return this.call('POST', '/local/clock', { body: { set: iso } });
  }
}

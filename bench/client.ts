import { Pool, type Dispatcher } from 'undici';
import { REQUEST_TAG_HEADER } from '../infra/local/requestTag.ts';

/** Latencies of one endpoint group, in milliseconds. */
export class Latencies {
  private samples: number[] = [];
  errors = 0;

  add(ms: number, ok: boolean): void {
    this.samples.push(ms);
    if (!ok) this.errors++;
  }

  /** Adds another group's samples (for quantiles over several groups). */
  merge(other: Latencies): void {
    this.samples.push(...other.samples);
    this.errors += other.errors;
  }

  get count(): number {
    return this.samples.length;
  }

  /** The q-quantile (nearest rank) of the samples so far. */
  quantile(q: number): number {
    if (!this.samples.length) return 0;
    const sorted = [...this.samples].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  }

  summary(): { count: number; errors: number; mean: number; p50: number; p99: number; max: number } {
    const mean = this.count ? this.samples.reduce((a, b) => a + b, 0) / this.count : 0;
    return {
      count: this.count,
      errors: this.errors,
      mean: round(mean),
      p50: round(this.quantile(0.5)),
      p99: round(this.quantile(0.99)),
      max: round(this.quantile(1)),
    };
  }
}

export const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;

/** The middle value; for an even count, the mean of the two in the middle. */
export const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return round(sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2);
};

export interface Reply {
  status: number;
  /** The answer's JSON, parsed on first use (a load that only counts statuses never parses it), else its text. */
  readonly body: any;
}

const replyOf = (status: number, contentType: string, text: string): Reply => {
  let parsed: { value: unknown } | undefined;
  return {
    status,
    get body() {
      parsed ??= { value: contentType.includes('json') && text ? JSON.parse(text) : text };
      return parsed.value;
    },
  };
};

/** What a call sent, in the options `call` takes. */
export interface CallOptions {
  token?: string;
  body?: unknown;
  from?: string;
  expect?: number[];
}

/** One call and the product's answer to it, kept by the number the product gave the request. */
export interface Exchange {
  method: string;
  path: string;
  opts: CallOptions;
  status: number;
  /** The answer's headers as received: `answerHeadersOf` keeps the answer's own. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  text: string;
}

const SERVER_HEADERS = new Set([
  REQUEST_TAG_HEADER,
  'date',
  'connection',
  'keep-alive',
  'content-length',
  'transfer-encoding',
]);

/** An answer's own headers: not those every HTTP server adds (date, connection, length), nor the request's number. */
export const answerHeadersOf = (exchange: Exchange): Record<string, string> => {
  const own: Record<string, string> = {};
  for (const [k, v] of Object.entries(exchange.headers))
    if (typeof v === 'string' && !SERVER_HEADERS.has(k)) own[k] = v;
  return own;
};

/**
 * A keep-alive HTTP client that records every call's latency under a group name. A call
 * may come from another loopback address (`from`), which is how distinct residents look
 * to the per-client limits of the public routes.
 *
 * It sends with undici rather than node:http: the bench shares the machine's two cores with
 * the product and its store, and every millisecond of CPU it spends on a request is one
 * they cannot (node:http took ~0.14 ms of the bench's CPU a request in the closed loop).
 */
export class BenchClient {
  readonly groups = new Map<string, Latencies>();
  private readonly origin: string;
  private readonly pool: Pool;
  private readonly pools = new Map<string, Pool>();
  requests = 0;
  /** Set to keep each call with its answer, by the request number the product answered (`Exchange`). */
  exchanges?: Map<string, Exchange>;

  constructor(host: string, port: number) {
    this.origin = `http://${host}:${port}`;
    this.pool = new Pool(this.origin, { connections: 256 });
  }

  group(name: string): Latencies {
    let g = this.groups.get(name);
    if (!g) this.groups.set(name, (g = new Latencies()));
    return g;
  }

  /** One call; `expect` lists the statuses that count as success for this step. */
  async call(group: string, method: string, path: string, opts: CallOptions = {}): Promise<Reply> {
    const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const headers: Record<string, string> = {};
    if (payload) headers['content-type'] = 'application/json';
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    const started = performance.now();
    const pool = opts.from ? this.poolFrom(opts.from) : this.pool;
    const res = await pool.request({ method: method as Dispatcher.HttpMethod, path, headers, body: payload });
    const text = await res.body.text();
    const contentType = res.headers['content-type'];
    const reply = replyOf(res.statusCode, typeof contentType === 'string' ? contentType : '', text);
    // Kept as received: the loop pays for a reference, not for a copy (answerHeadersOf sorts them later).
    const tag = res.headers[REQUEST_TAG_HEADER];
    if (this.exchanges && typeof tag === 'string')
      this.exchanges.set(tag, { method, path, opts, status: res.statusCode, headers: res.headers, text });
    this.requests++;
    const ok = (opts.expect ?? [200, 201]).includes(reply.status);
    this.group(group).add(performance.now() - started, ok);
    return reply;
  }

  /** Like call, but a status outside `expect` stops the run with the reply in the message. */
  async must(group: string, method: string, path: string, opts: CallOptions = {}): Promise<Reply> {
    const r = await this.call(group, method, path, opts);
    if (!(opts.expect ?? [200, 201]).includes(r.status))
      throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
    return r;
  }

  private poolFrom(from: string): Pool {
    let p = this.pools.get(from);
    if (!p) this.pools.set(from, (p = new Pool(this.origin, { connections: 4, localAddress: from })));
    return p;
  }

  close(): void {
    void this.pool.destroy();
    for (const p of this.pools.values()) void p.destroy();
  }
}

/** Runs `work` over `items` with at most `concurrency` in flight; calls `tick` after each. */
export const pool = async <T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, i: number) => Promise<void>,
  tick?: () => void,
): Promise<void> => {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i], i);
      tick?.();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
};

import { Agent, request } from 'node:http';

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

export interface Reply {
  status: number;
  body: any;
}

/**
 * A keep-alive HTTP client that records every call's latency under a group name. A call
 * may come from another loopback address (`from`), which is how distinct residents look
 * to the per-client limits of the public routes.
 */
export class BenchClient {
  readonly groups = new Map<string, Latencies>();
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 256 });
  private readonly agents = new Map<string, Agent>();
  requests = 0;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  group(name: string): Latencies {
    let g = this.groups.get(name);
    if (!g) this.groups.set(name, (g = new Latencies()));
    return g;
  }

  /** One call; `expect` lists the statuses that count as success for this step. */
  async call(
    group: string,
    method: string,
    path: string,
    opts: { token?: string; body?: unknown; from?: string; expect?: number[] } = {},
  ): Promise<Reply> {
    const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const started = performance.now();
    const agent = opts.from ? this.agentFor(opts.from) : this.agent;
    const reply = await new Promise<Reply>((resolve, reject) => {
      const req = request(
        {
          host: this.host,
          port: this.port,
          method,
          path,
          agent,
          ...(opts.from ? { localAddress: opts.from } : {}),
          headers: {
            ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
            ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown = text;
            if ((res.headers['content-type'] ?? '').includes('json') && text) body = JSON.parse(text);
            resolve({ status: res.statusCode ?? 0, body });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
    this.requests++;
    const ok = (opts.expect ?? [200, 201]).includes(reply.status);
    this.group(group).add(performance.now() - started, ok);
    return reply;
  }

  /** Like call, but a status outside `expect` stops the run with the reply in the message. */
  async must(
    group: string,
    method: string,
    path: string,
    opts: { token?: string; body?: unknown; from?: string; expect?: number[] } = {},
  ): Promise<Reply> {
    const r = await this.call(group, method, path, opts);
    if (!(opts.expect ?? [200, 201]).includes(r.status))
      throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
    return r;
  }

  private agentFor(from: string): Agent {
    let a = this.agents.get(from);
    if (!a) this.agents.set(from, (a = new Agent({ keepAlive: true, maxSockets: 4 })));
    return a;
  }

  close(): void {
    this.agent.destroy();
    for (const a of this.agents.values()) a.destroy();
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

import { randomUUID } from 'node:crypto';
import type { ProductProcess } from './product.ts';

export interface Reply {
  status: number;
  body: any;
  /** How many times the request was sent before this answer (more than 1: after a kill, a 5xx or "still being processed"). */
  attempts?: number;
}

/** One acknowledged (2xx) write, with the clock the harness knew to have passed when it was sent. */
export interface Acknowledged {
  method: string;
  path: string;
  key: string;
  body: unknown;
  reply: Reply;
  /** Every instant the clock was acknowledged to have reached before the write was sent: the write's record may not be earlier. */
  notBefore: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Indeterminate answers: the write may or may not have happened, so it is sent again with the same key. */
const indeterminate = (r: Reply) =>
  r.status >= 500 || (r.status === 409 && /still being processed/.test(String(r.body?.detail)));

/**
 * The workload's HTTP client. Every write carries an Idempotency-Key and is sent again
 * with the same key and body until the answer is definite: a dropped connection (the
 * product was killed), a 5xx, or "still being processed" are not answers. Reads are
 * retried the same way. Each 2xx write is kept, for the checks at the end.
 */
export class CrashClient {
  readonly acknowledged: Acknowledged[] = [];
  /** The latest clock any answer of the product acknowledged. */
  clock = '';
  counts = { requests: 0, retriesAfterDrop: 0, retriesAfter5xx: 0, retriesInProgress: 0 };
  /** Called once per request, on its first attempt (the killer counts them to pick its moments). */
  onRequest: (kind: 'write' | 'read' | 'clock') => void = () => undefined;

  constructor(private readonly product: ProductProcess) {}

  private async send(
    method: string,
    path: string,
    opts: { token?: string; body?: unknown; key?: string },
  ): Promise<Reply> {
    await this.product.ready();
    this.counts.requests++;
    const res = await fetch(this.product.baseUrl + path, {
      method,
      headers: {
        ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        ...(opts.key ? { 'idempotency-key': opts.key } : {}),
      },
      body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
      signal: AbortSignal.timeout(120_000),
    });
    const text = await res.text();
    let body: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) body = JSON.parse(text);
    return { status: res.status, body };
  }

  /** Sends until definite; `kind` only tells the killer what is in flight. */
  private async untilDefinite(
    kind: 'write' | 'read' | 'clock',
    method: string,
    path: string,
    opts: { token?: string; body?: unknown; key?: string },
  ): Promise<Reply> {
    for (let attempt = 1; ; attempt++) {
      let r: Reply;
      try {
        // Only first attempts count: retries pile up after a kill and would use up the kill points early.
        if (attempt === 1) this.onRequest(kind);
        r = await this.send(method, path, opts);
      } catch {
        this.counts.retriesAfterDrop++;
        await sleep(50);
        continue;
      }
      if (!indeterminate(r)) return { ...r, attempts: attempt };
      if (attempt >= 400)
        throw new Error(
          `${method} ${path}: still ${r.status} after ${attempt} attempts: ${JSON.stringify(r.body).slice(0, 300)}`,
        );
      if (r.status >= 500) this.counts.retriesAfter5xx++;
      else this.counts.retriesInProgress++;
      await sleep(r.status >= 500 ? 200 : 500);
    }
  }

  /** A write with a fresh Idempotency-Key (or the one given), sent until definite; a 2xx is recorded. */
  async write(
    method: string,
    path: string,
    opts: { token?: string; body?: unknown; key?: string } = {},
  ): Promise<Reply> {
    const key = opts.key ?? randomUUID();
    const notBefore = this.clock;
    const r = await this.untilDefinite('write', method, path, { ...opts, key });
    if (r.status >= 200 && r.status < 300)
      this.acknowledged.push({ method, path, key, body: opts.body, reply: r, notBefore });
    return r;
  }

  async read(path: string, token?: string): Promise<Reply> {
    return this.untilDefinite('read', 'GET', path, { token });
  }

  /** Moves the simulated clock; retried after a kill until it answers (moving to an instant is idempotent). */
  async setClock(iso: string): Promise<string> {
    const r = await this.untilDefinite('clock', 'POST', '/local/clock', { body: { set: iso } });
    if (r.status !== 200) throw new Error(`clock set ${iso}: ${r.status} ${JSON.stringify(r.body)}`);
    this.noteClock(r.body.now);
    return r.body.now;
  }

  async now(): Promise<string> {
    const r = await this.read('/local/clock');
    this.noteClock(r.body.now);
    return r.body.now;
  }

  noteClock(iso: string): void {
    if (iso > this.clock) this.clock = iso;
  }

  async token(sub: string, role: string, orgUnitId: string): Promise<string> {
    const r = await this.untilDefinite('read', 'POST', '/local/token', { body: { sub, role, orgUnitId } });
    if (r.status !== 200) throw new Error(`token: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.token;
  }
}

import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NotifyPort, OutgoingMessage } from '../../functions/runtime.ts';
import type { SimClock } from './clock.ts';
import type { LocalStats } from './stats.ts';

type Sent = OutgoingMessage & { sentAt: string };

/**
 * The local stand-in for SMS and email: every message is kept once per idempotency key,
 * exactly as the queue consumer would send it once in AWS. Kept in an append-only file in
 * the data dir rather than in the table: in AWS these are queue messages, not table
 * writes, so the local store does only the writes the deployed one does.
 */
export class LocalOutbox implements NotifyPort {
  private readonly sent = new Map<string, Sent>();
  private readonly file: string;

  constructor(
    dataDir: string,
    private readonly clock: SimClock,
    private readonly stats?: LocalStats,
  ) {
    this.file = join(dataDir, 'outbox.jsonl');
    if (existsSync(this.file))
      for (const line of readFileSync(this.file, 'utf8').split('\n')) {
        if (!line) continue;
        const m = JSON.parse(line) as Sent;
        this.sent.set(`${m.channel}#${m.idempotencyKey}`, m);
      }
  }

  async enqueue(messages: OutgoingMessage[]): Promise<void> {
    const sentAt = this.clock.now().toISOString();
    for (const m of messages) {
      const key = `${m.channel}#${m.idempotencyKey}`;
      if (this.sent.has(key)) continue;
      const sent = { ...m, sentAt };
      appendFileSync(this.file, `${JSON.stringify(sent)}\n`);
      this.sent.set(key, sent);
      this.stats?.countMessage(m.channel);
    }
  }

  /** Every message, in the order sent (then by channel and key, as the table index had them). */
  async list(): Promise<Record<string, unknown>[]> {
    const order = (m: Sent) => `${m.sentAt}#${m.channel}#${m.idempotencyKey}`;
    return [...this.sent.values()]
      .sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0))
      .map(({ channel, to, template, subject, text, sentAt, idempotencyKey }) => ({ channel, to, template, subject, text, sentAt, idempotencyKey }));
  }
}

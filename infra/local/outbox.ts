import { existsSync, readFileSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import type { NotifyPort, OutgoingMessage } from '../../functions/runtime.ts';
import type { SimClock } from './clock.ts';
import type { LocalStats } from './stats.ts';
import { appendDurably } from './durableFile.ts';

type Sent = OutgoingMessage & { sentAt: string };

/**
 * The local stand-in for SMS and email: every message is kept once per idempotency key,
 * exactly as the queue consumer would send it once in AWS. Kept in an append-only file in
 * the data dir rather than in the table: in AWS these are queue messages, not table
 * writes, so the local store does only the writes the deployed one does.
 *
 * Across crashes: once `enqueue` has returned, its messages are on disk (one write and a
 * flush per call); a kill during the call can leave only a torn last line, which the
 * next start cuts off. The callers record a reminder as sent only after `enqueue`
 * returned and send again what is not recorded, and a message already kept under its
 * key is never kept twice: so each message is kept exactly once.
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
      for (const m of readKept(this.file)) this.sent.set(`${m.channel}#${m.idempotencyKey}`, m);
  }

  async enqueue(messages: OutgoingMessage[]): Promise<void> {
    const sentAt = this.clock.now().toISOString();
    const fresh = new Map<string, Sent>();
    for (const m of messages) {
      const key = `${m.channel}#${m.idempotencyKey}`;
      if (!this.sent.has(key) && !fresh.has(key)) fresh.set(key, { ...m, sentAt });
    }
    if (!fresh.size) return;
    appendDurably(this.file, [...fresh.values()].map((m) => `${JSON.stringify(m)}\n`).join(''));
    for (const [key, m] of fresh) {
      this.sent.set(key, m);
      this.stats?.countMessage(m.channel);
    }
  }

  /** Every message, in the order sent (then by channel and key, as the table index had them). */
  async list(): Promise<Record<string, unknown>[]> {
    const order = (m: Sent) => `${m.sentAt}#${m.channel}#${m.idempotencyKey}`;
    return [...this.sent.values()]
      .sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0))
      .map(({ channel, to, template, subject, text, sentAt, idempotencyKey }) => ({
        channel,
        to,
        template,
        subject,
        text,
        sentAt,
        idempotencyKey,
      }));
  }
}

/**
 * The kept messages. A last line without its newline is what a kill during an append
 * leaves (that call never returned): it is cut off, so that the next append starts on a
 * line of its own. Any other unreadable line is damage this file cannot explain: the start stops.
 */
const readKept = (file: string): Sent[] => {
  const text = readFileSync(file, 'utf8');
  const end = text.lastIndexOf('\n') + 1;
  if (end < text.length) truncateSync(file, Buffer.byteLength(text.slice(0, end)));
  return text
    .slice(0, end)
    .split('\n')
    .filter(Boolean)
    .map((line, i) => {
      try {
        return JSON.parse(line) as Sent;
      } catch {
        throw new Error(`the outbox ${file} is damaged at line ${i + 1}`);
      }
    });
};

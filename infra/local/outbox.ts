import { existsSync, readFileSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import type { NotifyPort, OutgoingMessage } from '../../functions/runtime.ts';
import type { SimClock } from './clock.ts';
import type { LocalStats } from './stats.ts';
import { appendDurablyAsync } from './durableFile.ts';

type Sent = OutgoingMessage & { sentAt: string };

/**
 * The local stand-in for SMS and email: every message is kept once per idempotency key,
 * exactly as the queue consumer would send it once in AWS. Kept in an append-only file in
 * the data dir rather than in the table: in AWS these are queue messages, not table
 * writes, so the local store does only the writes the deployed one does.
 *
 * Across crashes: once `enqueue` has returned, its messages are on disk; a kill during
 * the call can leave only a torn last line, which the next start cuts off. Calls that
 * arrive while a flush is on its way share the next one (one write and one flush for a
 * whole reminder sweep's worth of calls, none of them blocking the event loop). The callers record a reminder as sent only after `enqueue`
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

  private readonly pending = new Map<string, Promise<void>>();
  private next: { lines: string[]; flushed: Promise<void> } | undefined;
  private flushing: Promise<void> = Promise.resolve();

  async enqueue(messages: OutgoingMessage[]): Promise<void> {
    const sentAt = this.clock.now().toISOString();
    const fresh = new Map<string, Sent>();
    const earlier = new Set<Promise<void>>();
    for (const m of messages) {
      const key = `${m.channel}#${m.idempotencyKey}`;
      const inFlight = this.pending.get(key);
      if (inFlight) earlier.add(inFlight);
      else if (!this.sent.has(key) && !fresh.has(key)) fresh.set(key, { ...m, sentAt });
    }
    if (fresh.size) {
      const flushed = this.append([...fresh.values()].map((m) => `${JSON.stringify(m)}\n`).join(''));
      for (const key of fresh.keys()) this.pending.set(key, flushed);
      try {
        await flushed;
      } finally {
        for (const key of fresh.keys()) this.pending.delete(key);
      }
      for (const [key, m] of fresh) {
        this.sent.set(key, m);
        this.stats?.countMessage(m.channel);
      }
    }
    // The same message enqueued by a call still flushing: kept once, and this call waits for it too.
    await Promise.all(earlier);
  }

  /** Joins the flush after the one on its way (group commit). */
  private append(text: string): Promise<void> {
    if (!this.next) {
      const batch = { lines: [] as string[], flushed: Promise.resolve() };
      batch.flushed = this.flushing.then(() => {
        this.next = undefined;
        return appendDurablyAsync(this.file, batch.lines.join(''));
      });
      this.flushing = batch.flushed.catch(() => undefined);
      this.next = batch;
    }
    this.next.lines.push(text);
    return this.next.flushed;
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

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SimClock } from '../../infra/local/clock.ts';
import { LocalOutbox } from '../../infra/local/outbox.ts';

const root = resolve(import.meta.dirname, '../..');
const freshDir = () => mkdtempSync(join(tmpdir(), 'cf-files-'));
const onDisk = (dir: string) =>
  JSON.parse(readFileSync(join(dir, 'clock.json'), 'utf8')) as { now: string; firing?: boolean };

/** A process that does nothing but save its clock, over and over, until it is killed. */
const killWhileSavingClock = async (dir: string, afterMs: number): Promise<void> => {
  const code = `import { SimClock } from ${JSON.stringify(join(root, 'infra/local/clock.ts'))};
const clock = SimClock.inDir(${JSON.stringify(dir)});
let t = clock.now().getTime();
process.stdout.write('saving\\n');
for (;;) clock.jumpTo(++t);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((res, rej) => {
    child.stdout.once('data', () => res());
    child.once('exit', (c) => rej(new Error(`clock writer exited with ${c}`)));
  });
  await new Promise((r) => setTimeout(r, afterMs));
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
};

describe('the files beside the store survive a kill', () => {
  it('a process killed while saving its clock always leaves a clock the next start can read', async () => {
    // Prepare
    const dir = freshDir();
    const readable: boolean[] = [];
    // Act: kill the writer at 12 different moments of its loop
    for (let i = 0; i < 12; i++) {
      await killWhileSavingClock(dir, 5 + ((i * 7) % 23));
      try {
        SimClock.inDir(dir);
        readable.push(true);
      } catch {
        readable.push(false);
      }
    }
    // Assess
    expect(readable).toEqual(Array(12).fill(true));
  }, 60_000);

  it('every instant the clock reaches is on disk before the work of that instant runs', async () => {
    // Prepare
    const dir = freshDir();
    const clock = SimClock.inDir(dir);
    const start = clock.now().getTime();
    const seen: { at: number; saved: string; firing?: boolean }[] = [];
    for (const at of [start + 3_600_000, start + 86_400_000])
      clock.schedule(at, () => {
        const saved = onDisk(dir);
        seen.push({ at, saved: saved.now, firing: saved.firing });
      });
    // Act
    await clock.advanceTo(start + 2 * 86_400_000);
    // Assess: what a kill inside each timer's work would have left on disk
    expect(seen.map((s) => ({ saved: Date.parse(s.saved), firing: s.firing }))).toEqual(
      seen.map((s) => ({ saved: s.at, firing: true })),
    );
    expect(onDisk(dir)).toEqual({ now: new Date(start + 2 * 86_400_000).toISOString() });
  });

  it('a restart after a kill amid an instant says that instant was interrupted', () => {
    // Prepare
    const dir = freshDir();
    writeFileSync(join(dir, 'clock.json'), JSON.stringify({ now: '2025-03-29T00:00:00.000Z', firing: true }));
    // Act
    const clock = SimClock.inDir(dir);
    // Assess
    expect({ now: clock.now().toISOString(), interrupted: clock.interrupted }).toEqual({
      now: '2025-03-29T00:00:00.000Z',
      interrupted: true,
    });
  });

  it('an unreadable clock stops the start with the file named, rather than restarting time from today', () => {
    // Prepare
    const dir = freshDir();
    writeFileSync(join(dir, 'clock.json'), '');
    // Act
    const start = () => SimClock.inDir(dir);
    // Assess
    expect(start).toThrow(/saved clock .*clock\.json is unreadable/);
  });

  it('a torn last line of the outbox (a kill during an append) is cut off; every kept message stays, once', async () => {
    // Prepare
    const dir = freshDir();
    const clock = SimClock.inDir(dir);
    const kept = {
      channel: 'sms',
      to: '13800000000',
      template: 't',
      text: 'first',
      idempotencyKey: 'k1',
      sentAt: '2025-03-03T00:00:00.000Z',
    };
    writeFileSync(join(dir, 'outbox.jsonl'), `${JSON.stringify(kept)}\n{"channel":"sms","to":"138`);
    // Act
    const outbox = new LocalOutbox(dir, clock);
    await outbox.enqueue([
      { channel: 'sms', to: '13800000000', template: 't', text: 'first again', idempotencyKey: 'k1' },
      { channel: 'sms', to: '13800000001', template: 't', text: 'second', idempotencyKey: 'k2' },
      { channel: 'sms', to: '13800000001', template: 't', text: 'second twice in one call', idempotencyKey: 'k2' },
    ] as never);
    const reopened = new LocalOutbox(dir, clock);
    // Assess
    expect((await reopened.list()).map((m) => m.text)).toEqual(['first', 'second']);
    expect(
      readFileSync(join(dir, 'outbox.jsonl'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l).idempotencyKey),
    ).toEqual(['k1', 'k2']);
  });

  it('calls that overlap share flushes, and each message is on disk once when its call returns, also when two calls carry it', async () => {
    // Prepare
    const dir = freshDir();
    const clock = SimClock.inDir(dir);
    const outbox = new LocalOutbox(dir, clock);
    const message = (n: number, text = `m${n}`) => ({
      channel: 'email',
      to: `u${n}@example.org`,
      template: 't',
      text,
      idempotencyKey: `k${n}`,
    });
    const linesOnDisk = () =>
      readFileSync(join(dir, 'outbox.jsonl'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l).idempotencyKey as string);
    const seenOnReturn: Record<number, string[]> = {};
    // Act
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        outbox
          .enqueue([message(i), message(i % 10, 'the same key again')] as never)
          .then(() => (seenOnReturn[i] = linesOnDisk())),
      ),
    );
    // Assess
    const keys = linesOnDisk();
    expect(keys).toHaveLength(40);
    expect(new Set(keys).size).toBe(40);
    for (let i = 0; i < 40; i++) expect(seenOnReturn[i]).toEqual(expect.arrayContaining([`k${i}`, `k${i % 10}`]));
    expect((await new LocalOutbox(dir, clock).list()).map((m) => m.text).sort()).toEqual(
      Array.from({ length: 40 }, (_, i) => `m${i}`).sort(),
    );
  });
});

import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

interface Timer {
  at: number;
  seq: number;
  fire: () => void;
}

/**
 * The simulated clock. It stands still until told to move; moving it fires every timer
 * that fell due, in time order, and after each instant waits until all work that the
 * timers started has settled (parked again or finished). Persisted in the data dir so
 * a restart continues at the same instant.
 */
export class SimClock {
  private current: number;
  private timers: Timer[] = [];
  private seq = 0;
  /** Executions and jobs that are running now (not parked on a timer or a token). */
  private active = 0;
  private moving: Promise<unknown> = Promise.resolve();

  constructor(private readonly file: string) {
    this.current = existsSync(file) ? Date.parse(JSON.parse(readFileSync(file, 'utf8')).now) : Date.now();
    this.persist();
  }

  static inDir(dir: string): SimClock {
    return new SimClock(join(dir, 'clock.json'));
  }

  now(): Date {
    return new Date(this.current);
  }

  /** Runs fire() when the clock reaches `at` (at once, on the next turn, if it already has). */
  schedule(at: number, fire: () => void): () => void {
    const t: Timer = { at, seq: this.seq++, fire };
    this.timers.push(t);
    return () => {
      this.timers = this.timers.filter((x) => x !== t);
    };
  }

  busy(): void {
    this.active++;
  }

  idle(): void {
    this.active--;
  }

  /** Counts work in flight for as long as the promise runs. */
  track<T>(p: Promise<T>): Promise<T> {
    this.busy();
    return p.finally(() => this.idle());
  }

  async settle(): Promise<void> {
    let quiet = 0;
    while (quiet < 3) {
      if (this.active > 0) {
        quiet = 0;
        await new Promise((r) => setTimeout(r, 1));
      } else {
        quiet++;
        await new Promise((r) => setImmediate(r));
      }
    }
  }

  /** Moves to `target`, firing due timers in order; callers queue behind one another. */
  advanceTo(target: number): Promise<void> {
    const run = this.moving.then(async () => {
      await this.settle();
      for (;;) {
        let at = Infinity;
        for (const t of this.timers) if (t.at <= target && t.at < at) at = t.at;
        if (at === Infinity) break;
        // Everything due at the same instant starts together, as it would in AWS (a thousand
        // publicity windows closing at the same midnight are a thousand executions at once),
        // in the order it was scheduled; the clock moves on once all of it has settled.
        const due = this.timers.filter((t) => t.at === at).sort((a, b) => a.seq - b.seq);
        this.timers = this.timers.filter((t) => t.at !== at);
        if (at > this.current) this.current = at;
        for (const t of due) t.fire();
        await this.settle();
      }
      if (target > this.current) this.current = target;
      this.persist();
    });
    this.moving = run.catch(() => undefined);
    return run;
  }

  /** Only for `set` into the past while no project exists. */
  jumpTo(target: number): void {
    this.current = target;
    this.persist();
  }

  private persist(): void {
    writeFileSync(this.file, JSON.stringify({ now: new Date(this.current).toISOString() }));
  }
}

/** ISO 8601 durations as `advance` takes them: P7D, PT36H, P1DT2H30M, P2W. */
export const parseDuration = (s: string): number | undefined => {
  const m = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(s);
  if (!m || s === 'P' || s.endsWith('T')) return undefined;
  const [, w, d, h, min, sec] = m;
  return ((+(w ?? 0) * 7 + +(d ?? 0)) * 86400 + +(h ?? 0) * 3600 + +(min ?? 0) * 60 + +(sec ?? 0)) * 1000;
};

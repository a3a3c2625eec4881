import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './durableFile.ts';

/**
 * At most this many fired timers' work runs at once: a thousand publicity windows closing
 * at one midnight start as their predecessors park or finish, so the product's memory and
 * the store's queue stay bounded while the instant's work is the same.
 */
const FIRING_WINDOW = 64;

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
 *
 * Each instant is saved before any of its work starts, so nothing can be recorded at
 * an instant that a crash would take back: after a restart the clock is at or past
 * every timestamp in the store. The file also says whether that instant's work was
 * still running (`firing`); a restart then runs the instant's schedules again.
 */
export class SimClock {
  private current: number;
  private timers: Timer[] = [];
  private seq = 0;
  /** Executions and jobs that are running now (not parked on a timer or a token). */
  private active = 0;
  private moving: Promise<unknown> = Promise.resolve();
  /** Who waits for `active` to drop below the firing window. */
  private roomWaiters: (() => void)[] = [];

  /** True when the last run was killed while the work of its current instant was running. */
  readonly interrupted: boolean;

  constructor(private readonly file: string) {
    const saved = existsSync(file) ? readSaved(file) : undefined;
    this.current = saved?.now ?? Date.now();
    this.interrupted = saved?.firing ?? false;
    this.persist(this.current, this.interrupted);
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
    if (this.active < FIRING_WINDOW) for (const wake of this.roomWaiters.splice(0)) wake();
  }

  private async room(): Promise<void> {
    while (this.active >= FIRING_WINDOW) await new Promise<void>((r) => this.roomWaiters.push(r));
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
        // Everything due at the same instant runs at that instant (a thousand publicity
        // windows closing at the same midnight are a thousand executions, as in AWS), in the
        // order it was scheduled, through the firing window; the clock moves on once all of
        // it has settled.
        const due = this.timers.filter((t) => t.at === at).sort((a, b) => a.seq - b.seq);
        this.timers = this.timers.filter((t) => t.at !== at);
        if (at > this.current) this.moveTo(at, true);
        for (const t of due) {
          await this.room();
          t.fire();
        }
        await this.settle();
      }
      this.moveTo(Math.max(target, this.current), false);
    });
    this.moving = run.catch(() => undefined);
    return run;
  }

  /** Only for `set` into the past while no project exists. */
  jumpTo(target: number): void {
    this.moveTo(target, false);
  }

  /** On disk first, then in memory: no work can see an instant that is not saved yet. */
  private moveTo(at: number, firing: boolean): void {
    this.persist(at, firing);
    this.current = at;
  }

  private persist(at: number, firing: boolean): void {
    writeFileAtomic(
      this.file,
      JSON.stringify({ now: new Date(at).toISOString(), ...(firing ? { firing: true } : {}) }),
    );
  }
}

/** The saved clock; an unreadable file stops the start rather than restarting time from today. */
const readSaved = (file: string): { now: number; firing: boolean } => {
  const text = readFileSync(file, 'utf8');
  let saved: { now?: unknown; firing?: unknown };
  try {
    saved = JSON.parse(text);
  } catch (e) {
    throw new Error(
      `the saved clock ${file} is unreadable (${(e as Error).message}); set it back by hand to an instant at or after the last recorded event`,
    );
  }
  const now = typeof saved.now === 'string' ? Date.parse(saved.now) : NaN;
  if (Number.isNaN(now)) throw new Error(`the saved clock ${file} has no valid "now"`);
  return { now, firing: saved.firing === true };
};

/** ISO 8601 durations as `advance` takes them: P7D, PT36H, P1DT2H30M, P2W. */
export const parseDuration = (s: string): number | undefined => {
  const m = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(s);
  if (!m || s === 'P' || s.endsWith('T')) return undefined;
  const [, w, d, h, min, sec] = m;
  return ((+(w ?? 0) * 7 + +(d ?? 0)) * 86400 + +(h ?? 0) * 3600 + +(min ?? 0) * 60 + +(sec ?? 0)) * 1000;
};

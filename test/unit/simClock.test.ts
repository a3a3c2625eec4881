import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SimClock } from '../../infra/local/clock.ts';

const freshClock = () => SimClock.inDir(mkdtempSync(join(tmpdir(), 'cf-clock-')));

describe('the simulated clock', () => {
  it('runs a thousand timers of one instant through a bounded window, each at that instant, in order, and only then moves on', async () => {
    // Prepare
    const clock = freshClock();
    const at = clock.now().getTime() + 86_400_000;
    const later = at + 1000;
    const fired: { n: number; now: number }[] = [];
    let running = 0;
    let mostAtOnce = 0;
    for (let n = 0; n < 1000; n++)
      clock.schedule(at, () => {
        clock.busy();
        running++;
        mostAtOnce = Math.max(mostAtOnce, running);
        fired.push({ n, now: clock.now().getTime() });
        // Each piece of work takes a few turns of the event loop, as an execution's store calls would.
        setTimeout(() => {
          running--;
          clock.idle();
        }, 1);
      });
    let laterFiredAfter = -1;
    clock.schedule(later, () => (laterFiredAfter = fired.length));
    // Act
    await clock.advanceTo(later);
    // Assess
    expect(fired.map((f) => f.n)).toEqual(Array.from({ length: 1000 }, (_, n) => n));
    expect(new Set(fired.map((f) => f.now))).toEqual(new Set([at]));
    expect(mostAtOnce).toBeGreaterThan(1);
    expect(mostAtOnce).toBeLessThanOrEqual(64);
    expect(laterFiredAfter).toBe(1000);
    expect(clock.now().getTime()).toBe(later);
  });
});

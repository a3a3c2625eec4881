import type { SimClock } from './clock.ts';
import type { PolicyProfile } from '../../functions/domain/policy.ts';
import { runYearEndSchedule } from '../../functions/jobs/yearEnd.ts';
import { runReminderSweep } from '../../functions/jobs/reminderSweep.ts';
import type { LocalStats } from './stats.ts';

const SHANGHAI_MS = 8 * 3600_000;

/** The next instant at `hh:mm` Shanghai time strictly after `from`, optionally only on `MM-DD`. */
export const nextAt = (from: number, hour: number, minute: number, monthDay?: string): number => {
  const local = new Date(from + SHANGHAI_MS);
  for (let d = 0; d < 370; d++) {
    const day = new Date(
      Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + d, hour, minute) - SHANGHAI_MS,
    );
    if (day.getTime() <= from) continue;
    if (monthDay && new Date(day.getTime() + SHANGHAI_MS).toISOString().slice(5, 10) !== monthDay) continue;
    return day.getTime();
  }
  throw new Error(`no date ${monthDay} within a year`);
};

/**
 * EventBridge Scheduler's part, locally: the yearly check on the profile's date and the
 * daily reminder sweep at 08:00, both on the simulated clock.
 */
export interface ScheduledJobs {
  yearEnd(): Promise<unknown>;
  reminderSweep(): Promise<unknown>;
}

const IN_PROCESS: ScheduledJobs = { yearEnd: () => runYearEndSchedule(), reminderSweep: () => runReminderSweep() };

export const startSchedules = (
  clock: SimClock,
  profile: PolicyProfile,
  stats?: LocalStats,
  jobs: ScheduledJobs = IN_PROCESS,
) => {
  let cancels: (() => void)[] = [];
  const every = (next: (from: number) => number, job: () => Promise<unknown>, firstFrom: number) => {
    const arm = (from: number) => {
      const cancel = clock.schedule(next(from), () => {
        void clock
          .track(job().catch((e) => console.error('scheduled job failed:', (e as Error).message)))
          .then(() => arm(clock.now().getTime()));
      });
      cancels.push(cancel);
    };
    arm(firstFrom);
  };
  const start = (from: number) => {
    const timed = (name: string, job: () => Promise<unknown>) => () => (stats ? stats.time('jobs', name, job) : job());
    every(
      (t) => nextAt(t, 0, 30, profile.yearEnd.checkOn),
      timed('yearEnd', () => jobs.yearEnd()),
      from,
    );
    every(
      (t) => nextAt(t, 8, 0),
      timed('reminderSweep', () => jobs.reminderSweep()),
      from,
    );
  };
  // A run killed amid an instant's work gets that instant's schedules again (both jobs are safe to repeat).
  start(clock.now().getTime() - (clock.interrupted ? 1 : 0));
  return {
    stop: () => cancels.forEach((c) => c()),
    reschedule: () => {
      cancels.forEach((c) => c());
      cancels = [];
      start(clock.now().getTime());
    },
  };
};

/**
 * Working days left before a deadline, counted on the State Council holiday calendar with
 * the domain's own functions (the same arithmetic the API sets deadlines with).
 */
import {
  addCalendarDays,
  type HolidayCalendar,
  isWorkingDay,
  shanghaiDay,
} from '../../../functions/domain/calendar.ts';

export type { HolidayCalendar };

export interface DaysLeft {
  /** Working days after today up to the deadline's day; 0 when it falls due today; negative: working days overdue. */
  days: number;
  overdue: boolean;
  /** A year crossed had no calendar: Monday–Friday was assumed. */
  assumed: boolean;
  /** Counted in calendar days, not working days. */
  calendar?: boolean;
}

/** Deadlines that run on calendar days (the publicity windows); every other one on working days. */
export const CALENDAR_DAY_DEADLINES = new Set(['publicityEndsAt', 'completionPublicityEndsAt']);

/** Working days in (from, to] on the calendars, and whether any year was assumed. */
const workingDaysBetween = (from: string, to: string, calendars: ReadonlyMap<number, HolidayCalendar>) => {
  let n = 0;
  let assumed = false;
  for (let d = addCalendarDays(from, 1); d <= to; d = addCalendarDays(d, 1)) {
    const w = isWorkingDay(d, calendars);
    if (w.assumed) assumed = true;
    if (w.working) n += 1;
  }
  return { n, assumed };
};

/**
 * How many working days are left until `dueAt` at `now` (both instants; days are Shanghai
 * days). Due today gives 0; past the deadline gives the working days since, negative.
 */
export const workingDaysLeft = (
  dueAt: string,
  now: Date,
  calendars: ReadonlyMap<number, HolidayCalendar>,
): DaysLeft => {
  const today = shanghaiDay(now);
  const dueDay = shanghaiDay(new Date(dueAt));
  if (new Date(dueAt).getTime() < now.getTime()) {
    const { n, assumed } = workingDaysBetween(dueDay, today, calendars);
    return { days: -n, overdue: true, assumed };
  }
  const { n, assumed } = workingDaysBetween(today, dueDay, calendars);
  return { days: n, overdue: false, assumed };
};

/**
 * Calendar days left until `dueAt` (a publicity window runs on calendar days, holidays
 * included): 0 on its last day, negative once it has passed.
 */
export const calendarDaysLeft = (dueAt: string, now: Date): DaysLeft => {
  const day = (d: Date) => Date.parse(`${shanghaiDay(d)}T00:00:00Z`);
  const days = Math.round((day(new Date(dueAt)) - day(now)) / 86_400_000);
  return { days, overdue: Date.parse(dueAt) < now.getTime(), assumed: false, calendar: true };
};

/** "还剩 3 个工作日" / "今天截止" / "已逾期 2 个工作日" (or 天 for calendar days), for a cell of the work queue. */
export const daysLeftText = (left: DaysLeft): string => {
  const est = left.assumed ? '（按周一至周五估算）' : '';
  const unit = left.calendar ? '天' : '个工作日';
  // A window that has closed is over, not late.
  if (left.overdue && left.calendar) return '已结束';
  if (left.overdue) return left.days === 0 ? `已逾期${est}` : `已逾期 ${Math.abs(left.days)} ${unit}${est}`;
  return left.days === 0 ? `今天截止${est}` : `还剩 ${left.days} ${unit}${est}`;
};

/** The years whose calendars a set of deadlines needs (today's year and each deadline's). */
export const yearsSpanned = (now: Date, dueAts: (string | undefined)[]): number[] => {
  const years = new Set<number>([Number(shanghaiDay(now).slice(0, 4))]);
  for (const d of dueAts) if (d) years.add(Number(shanghaiDay(new Date(d)).slice(0, 4)));
  return [...years].sort((a, b) => a - b);
};

import * as z from '../zod.ts';

/**
 * Working-day arithmetic for deadlines. Every deadline in the product is a day in
 * Asia/Shanghai; China has no daylight saving, so a fixed +08:00 offset is exact and we
 * avoid depending on the host's time-zone database.
 */

/** One year's State Council holiday notice (国务院办公厅关于某年部分节假日安排的通知). */
export interface HolidayCalendar {
  year: number;
  /** Every official day off, weekend days inside a holiday period included. */
  holidays: string[];
  /** Weekend days worked instead (调休). */
  workdays: string[];
  /** The notice this was transcribed from. */
  source: string;
}

const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;
const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days are handled as UTC midnights so that arithmetic never meets a DST or host-zone shift. */
const parseDay = (day: string): Date => {
  const m = DAY_PATTERN.exec(day);
  if (m) {
    const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    if (formatDay(d) === day) return d;
  }
  throw new RangeError(`not a calendar day (YYYY-MM-DD): ${JSON.stringify(day)}`);
};

const formatDay = (d: Date): string => d.toISOString().slice(0, 10);

const isDay = (s: string): boolean => {
  try {
    parseDay(s);
    return true;
  } catch {
    return false;
  }
};

const DaySchema = z.string().check(z.refine(isDay, { error: 'must be a real date YYYY-MM-DD' }));

export const HolidayCalendarSchema = z
  .strictObject({
    year: z.int({ error: 'must be an integer year' }).check(z.gte(2000), z.lte(2100)),
    holidays: z.array(DaySchema).check(z.maxLength(366)),
    workdays: z.array(DaySchema).check(z.maxLength(366)),
    source: z.string().check(z.trim(), z.minLength(1, { error: 'must name the notice' }), z.maxLength(500)),
  })
  .check(
    z.superRefine((cal, ctx) => {
      const seenHolidays = new Set<string>();
      cal.holidays.forEach((day, i) => {
        if (!day.startsWith(`${cal.year}-`))
          ctx.addIssue({ code: 'custom', path: ['holidays', i], message: `must be inside ${cal.year}` });
        if (seenHolidays.has(day))
          ctx.addIssue({ code: 'custom', path: ['holidays', i], message: `duplicate date ${day}` });
        seenHolidays.add(day);
      });
      const seenWorkdays = new Set<string>();
      cal.workdays.forEach((day, i) => {
        if (!day.startsWith(`${cal.year}-`))
          ctx.addIssue({ code: 'custom', path: ['workdays', i], message: `must be inside ${cal.year}` });
        if (seenWorkdays.has(day))
          ctx.addIssue({ code: 'custom', path: ['workdays', i], message: `duplicate date ${day}` });
        seenWorkdays.add(day);
        if (seenHolidays.has(day))
          ctx.addIssue({ code: 'custom', path: ['workdays', i], message: `${day} is also listed in holidays` });
        // A make-up working day only exists on a weekend; a weekday listed here is a typo in the notice transcription.
        const dow = dayOfWeekUnchecked(day);
        if (dow !== undefined && dow !== 0 && dow !== 6)
          ctx.addIssue({ code: 'custom', path: ['workdays', i], message: `${day} is not a Saturday or Sunday` });
      });
    }),
  );

const dayOfWeekUnchecked = (day: string): number | undefined => (isDay(day) ? parseDay(day).getUTCDay() : undefined);

/** The calendar day ('YYYY-MM-DD') of an instant in Asia/Shanghai. */
export const shanghaiDay = (instant: Date): string => {
  if (Number.isNaN(instant.getTime())) throw new RangeError('invalid instant');
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
};

/** The last second of a Shanghai day, the form every "by the end of day D" deadline takes. */
export const endOfShanghaiDay = (day: string): string => `${formatDay(parseDay(day))}T23:59:59+08:00`;

/** `day` moved by `n` calendar days (n may be negative). */
export const addCalendarDays = (day: string, n: number): string => {
  if (!Number.isInteger(n)) throw new RangeError(`days must be an integer, got ${n}`);
  return formatDay(new Date(parseDay(day).getTime() + n * DAY_MS));
};

/**
 * `day` moved by `n` months; a day that does not exist in the target month is clamped to
 * its last day (01-31 + 1 month → 02-28), the reading "within one month" needs.
 */
export const addMonths = (day: string, n: number): string => {
  if (!Number.isInteger(n)) throw new RangeError(`months must be an integer, got ${n}`);
  const d = parseDay(day);
  const monthIndex = d.getUTCFullYear() * 12 + d.getUTCMonth() + n;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return formatDay(new Date(Date.UTC(year, month, Math.min(d.getUTCDate(), lastDay))));
};

/** Day of the week, 0 = Sunday … 6 = Saturday. */
export const dayOfWeek = (day: string): number => parseDay(day).getUTCDay();

/** Sets built once per calendar object: deadline sweeps ask about thousands of days. */
const lookup = new WeakMap<HolidayCalendar, { holidays: Set<string>; workdays: Set<string> }>();
const setsOf = (cal: HolidayCalendar) => {
  let sets = lookup.get(cal);
  if (!sets) {
    sets = { holidays: new Set(cal.holidays), workdays: new Set(cal.workdays) };
    lookup.set(cal, sets);
  }
  return sets;
};

/**
 * Whether `day` is a working day under the State Council notice of its year.
 * Without a calendar for that year it falls back to Monday–Friday and says so
 * (`assumed: true`), so callers can warn that the deadline may be wrong.
 */
export const isWorkingDay = (
  day: string,
  calendars: ReadonlyMap<number, HolidayCalendar>,
): { working: boolean; assumed: boolean } => {
  const d = parseDay(day);
  const weekday = d.getUTCDay() !== 0 && d.getUTCDay() !== 6;
  const cal = calendars.get(d.getUTCFullYear());
  if (!cal) return { working: weekday, assumed: true };
  const { holidays, workdays } = setsOf(cal);
  if (holidays.has(day)) return { working: false, assumed: false };
  if (workdays.has(day)) return { working: true, assumed: false };
  return { working: weekday, assumed: false };
};

/**
 * The `n`-th working day strictly after `day` (n = 0 gives `day` back).
 * `missingYears` lists every year crossed that had no calendar, sorted.
 */
export const addWorkingDays = (
  day: string,
  n: number,
  calendars: ReadonlyMap<number, HolidayCalendar>,
): { day: string; missingYears: number[] } => {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a non-negative integer, got ${n}`);
  parseDay(day);
  const missing = new Set<number>();
  let current = day;
  for (let found = 0; found < n; ) {
    current = addCalendarDays(current, 1);
    const { working, assumed } = isWorkingDay(current, calendars);
    if (assumed) missing.add(Number(current.slice(0, 4)));
    if (working) found += 1;
  }
  return { day: current, missingYears: [...missing].sort((a, b) => a - b) };
};

/**
 * When an approval falls due: the end of the `workingDays`-th working day after the
 * Shanghai day the request entered (the entry day itself never counts, however early).
 */
export const approvalDueAt = (
  enteredAt: Date,
  workingDays: number,
  calendars: ReadonlyMap<number, HolidayCalendar>,
): { dueAt: string; missingYears: number[] } => {
  const { day, missingYears } = addWorkingDays(shanghaiDay(enteredAt), workingDays, calendars);
  return { dueAt: endOfShanghaiDay(day), missingYears };
};

/**
 * When a publicity window closes: it runs `days` full calendar days after the opening
 * day, holidays included (the rule says "不少于7天", not working days).
 */
export const publicityEndsAt = (openedAt: Date, days: number): string =>
  endOfShanghaiDay(addCalendarDays(shanghaiDay(openedAt), days));

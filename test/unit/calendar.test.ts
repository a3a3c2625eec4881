import { describe, expect, it } from 'vitest';
import {
  addCalendarDays,
  addMonths,
  addWorkingDays,
  approvalDueAt,
  dayOfWeek,
  endOfShanghaiDay,
  HolidayCalendarSchema,
  isWorkingDay,
  publicityEndsAt,
  shanghaiDay,
  type HolidayCalendar,
} from '../../functions/domain/calendar.ts';

// A hand-written excerpt of the 2025 notice keeps these tests independent of the shipped JSON.
const cal2025: HolidayCalendar = {
  year: 2025,
  holidays: [
    '2025-10-01',
    '2025-10-02',
    '2025-10-03',
    '2025-10-04',
    '2025-10-05',
    '2025-10-06',
    '2025-10-07',
    '2025-10-08',
  ],
  workdays: ['2025-09-28', '2025-10-11'],
  source: 'test excerpt',
};
const calendars = new Map([[2025, cal2025]]);

describe('shanghaiDay / endOfShanghaiDay', () => {
  it('puts an instant late in the UTC day on the next Shanghai day', () => {
    // Prepare
    const instant = new Date('2025-09-30T16:30:00Z');
    // Act
    const day = shanghaiDay(instant);
    // Assess
    expect(day).toBe('2025-10-01');
  });

  it('keeps an instant just before Shanghai midnight on the same day', () => {
    // Prepare
    const instant = new Date('2025-09-30T23:59:59+08:00');
    // Act
    const day = shanghaiDay(instant);
    // Assess
    expect(day).toBe('2025-09-30');
  });

  it('writes the end of a day with the +08:00 offset', () => {
    // Act
    const end = endOfShanghaiDay('2025-10-14');
    // Assess
    expect(end).toBe('2025-10-14T23:59:59+08:00');
  });

  it('refuses a day that does not exist', () => {
    // Act / Assess
    expect(() => endOfShanghaiDay('2025-02-30')).toThrow(/not a calendar day/);
  });
});

describe('calendar-day arithmetic', () => {
  it('crosses month and year ends', () => {
    // Act / Assess
    expect(addCalendarDays('2025-12-30', 3)).toBe('2026-01-02');
    expect(addCalendarDays('2025-03-01', -1)).toBe('2025-02-28');
  });

  it('clamps addMonths to the last day of a shorter month', () => {
    // Act / Assess
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2025-08-31', 6)).toBe('2026-02-28');
    expect(addMonths('2025-05-15', 1)).toBe('2025-06-15');
  });

  it('numbers the week from Sunday = 0', () => {
    // Act / Assess
    expect(dayOfWeek('2025-09-28')).toBe(0);
    expect(dayOfWeek('2025-10-11')).toBe(6);
    expect(dayOfWeek('2025-10-14')).toBe(2);
  });
});

describe('isWorkingDay', () => {
  it('treats a make-up Saturday as a working day and a holiday Wednesday as a day off', () => {
    // Act
    const saturday = isWorkingDay('2025-10-11', calendars);
    const wednesday = isWorkingDay('2025-10-08', calendars);
    // Assess
    expect(saturday).toEqual({ working: true, assumed: false });
    expect(wednesday).toEqual({ working: false, assumed: false });
  });

  it('falls back to weekends-only and flags it when the year has no calendar', () => {
    // Act
    const monday = isWorkingDay('2030-01-07', calendars);
    const sunday = isWorkingDay('2030-01-06', calendars);
    // Assess
    expect(monday).toEqual({ working: true, assumed: true });
    expect(sunday).toEqual({ working: false, assumed: true });
  });
});

describe('addWorkingDays', () => {
  it('skips the National Day holiday and counts the make-up Saturday', () => {
    // Act
    const result = addWorkingDays('2025-09-30', 3, calendars);
    // Assess
    expect(result).toEqual({ day: '2025-10-11', missingYears: [] });
  });

  it('returns the day itself for n = 0', () => {
    // Act / Assess
    expect(addWorkingDays('2025-10-05', 0, calendars).day).toBe('2025-10-05');
  });

  it('reports a year it crossed without a calendar', () => {
    // Act
    const result = addWorkingDays('2025-12-30', 5, calendars);
    // Assess
    expect(result.missingYears).toEqual([2026]);
    expect(result.day).toBe('2026-01-06');
  });

  it('refuses a negative count', () => {
    // Act / Assess
    expect(() => addWorkingDays('2025-10-01', -1, calendars)).toThrow(RangeError);
  });
});

describe('approvalDueAt', () => {
  it('gives 2025-10-14 for a request entered on 2025-09-30 with 5 working days', () => {
    // Prepare
    const enteredAt = new Date('2025-09-30T10:00:00+08:00');
    // Act
    const due = approvalDueAt(enteredAt, 5, calendars);
    // Assess
    expect(due).toEqual({ dueAt: '2025-10-14T23:59:59+08:00', missingYears: [] });
  });

  it('counts from the Shanghai day, not the UTC day', () => {
    // Prepare: 2025-09-27 17:00 UTC (a Saturday) is already Sunday 28th 01:00 in Shanghai.
    const enteredAt = new Date('2025-09-27T17:00:00Z');
    // Act
    const due = approvalDueAt(enteredAt, 1, calendars);
    // Assess: counted from the UTC day it would be the make-up Sunday itself.
    expect(due.dueAt).toBe('2025-09-29T23:59:59+08:00');
  });

  it('differs from weekends-only arithmetic over the holiday', () => {
    // Prepare
    const enteredAt = new Date('2025-09-30T10:00:00+08:00');
    // Act
    const withoutCalendar = approvalDueAt(enteredAt, 5, new Map());
    // Assess
    expect(withoutCalendar).toEqual({ dueAt: '2025-10-07T23:59:59+08:00', missingYears: [2025] });
  });
});

describe('publicityEndsAt', () => {
  it('runs 7 full days after the opening day', () => {
    // Act
    const ends = publicityEndsAt(new Date('2025-09-23T10:00:00+08:00'), 7);
    // Assess
    expect(ends).toBe('2025-09-30T23:59:59+08:00');
  });

  it('counts holidays as publicity days', () => {
    // Act
    const ends = publicityEndsAt(new Date('2025-09-30T23:00:00+08:00'), 7);
    // Assess
    expect(ends).toBe('2025-10-07T23:59:59+08:00');
  });
});

describe('HolidayCalendarSchema', () => {
  const paths = (input: unknown): string[] => {
    const r = HolidayCalendarSchema.safeParse(input);
    return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
  };

  it('accepts a well-formed calendar', () => {
    // Act / Assess
    expect(HolidayCalendarSchema.safeParse(cal2025).success).toBe(true);
  });

  it('refuses a weekday listed as a make-up working day', () => {
    // Act / Assess
    expect(paths({ ...cal2025, workdays: ['2025-10-09'] })).toEqual(['workdays.0']);
  });

  it('refuses a date outside the year', () => {
    // Act / Assess
    expect(paths({ ...cal2025, holidays: ['2026-01-01'] })).toEqual(['holidays.0']);
  });

  it('refuses a date in both lists', () => {
    // Act / Assess
    expect(paths({ ...cal2025, holidays: ['2025-09-28'], workdays: ['2025-09-28'] })).toEqual(['workdays.0']);
  });

  it('refuses a duplicate holiday', () => {
    // Act / Assess
    expect(paths({ ...cal2025, holidays: ['2025-10-01', '2025-10-01'] })).toEqual(['holidays.1']);
  });

  it('refuses an impossible date', () => {
    // Act / Assess
    expect(paths({ ...cal2025, holidays: ['2025-02-29'] })).toEqual(['holidays.0']);
  });
});

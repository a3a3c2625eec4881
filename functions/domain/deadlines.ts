import { approvalDueAt, publicityEndsAt, type HolidayCalendar } from './calendar.ts';
import type { PolicyProfile } from './policy.ts';

/** The calendars a working-day deadline is counted on, by year. */
export type Calendars = ReadonlyMap<number, HolidayCalendar>;

/**
 * A working-day deadline counted on the loaded calendars. A year without a calendar
 * falls back to weekends only, and the warning is kept on the project where the
 * district sees it.
 */
export const workingDayDeadline = (
  from: Date,
  days: number,
  calendars: Calendars,
): { dueAt: string; warnings: string[] } => {
  const { dueAt, missingYears } = approvalDueAt(from, days, calendars);
  return {
    dueAt,
    warnings: missingYears.map(
      (y) =>
        `No holiday calendar is loaded for ${y}: this deadline counted weekends only. Load it with PUT /v1/calendar/${y}.`,
    ),
  };
};

/** The profile's deadline for a review or an approval that starts now. */
export const approvalWindow = (profile: PolicyProfile, from: Date, calendars: Calendars) =>
  workingDayDeadline(from, profile.approvalWorkingDays, calendars);

/** When a publicity opened now ends. */
export const publicityWindow = (profile: PolicyProfile, openedAt: Date): string =>
  publicityEndsAt(openedAt, profile.publicityDays);

/** When a completion publicity opened now ends. */
export const completionPublicityWindow = (profile: PolicyProfile, openedAt: Date): string =>
  publicityEndsAt(openedAt, profile.completionPublicityDays);

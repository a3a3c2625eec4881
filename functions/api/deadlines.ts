import { approvalDueAt, publicityEndsAt } from '../domain/calendar.ts';
import { activeProfile, getCalendars } from '../store/config.ts';

/**
 * Working-day deadlines computed on the loaded calendars. A year without a calendar
 * falls back to weekends only, and the warning is kept on the project where the
 * district sees it.
 */
export const workingDayDeadline = async (from: Date, days: number): Promise<{ dueAt: string; warnings: string[] }> => {
  const { dueAt, missingYears } = approvalDueAt(from, days, await getCalendars());
  return {
    dueAt,
    warnings: missingYears.map(
      (y) =>
        `No holiday calendar is loaded for ${y}: this deadline counted weekends only. Load it with PUT /v1/calendar/${y}.`,
    ),
  };
};

export const approvalWindow = (from: Date) => workingDayDeadline(from, activeProfile().approvalWorkingDays);

export const publicityWindow = (openedAt: Date) => publicityEndsAt(openedAt, activeProfile().publicityDays);

export const completionPublicityWindow = (openedAt: Date) =>
  publicityEndsAt(openedAt, activeProfile().completionPublicityDays);

/** A deadline as a work-queue cell: the date, and the working (or, for a window, calendar) days left or overdue, marked. */
import { cnDate } from './format.ts';
import { type HolidayCalendar, calendarDaysLeft, daysLeftText, workingDaysLeft } from './workdays.ts';

export const DeadlineCell = (props: {
  dueAt?: string;
  now: Date;
  calendars: ReadonlyMap<number, HolidayCalendar>;
  /** A publicity window: count calendar days. */
  calendarDays?: boolean;
}) => {
  if (!props.dueAt) return <span class="muted">无期限</span>;
  const left = props.calendarDays
    ? calendarDaysLeft(props.dueAt, props.now)
    : workingDaysLeft(props.dueAt, props.now, props.calendars);
  const cls = left.overdue && !left.calendar ? 'badge overdue' : left.days <= 1 ? 'badge soon' : 'badge';
  return (
    <>
      {cnDate(props.dueAt)}
      <br />
      <span class={cls}>
        {left.overdue && !left.calendar && <span aria-hidden="true">⚠ </span>}
        {daysLeftText(left)}
      </span>
    </>
  );
};

/** A deadline as a work-queue cell: the date, and the working days left or overdue, marked. */
import { cnDate } from './format.ts';
import { type HolidayCalendar, daysLeftText, workingDaysLeft } from './workdays.ts';

export const DeadlineCell = (props: { dueAt?: string; now: Date; calendars: ReadonlyMap<number, HolidayCalendar> }) => {
  if (!props.dueAt) return <span class="muted">无期限</span>;
  const left = workingDaysLeft(props.dueAt, props.now, props.calendars);
  const cls = left.overdue ? 'badge overdue' : left.days <= 1 ? 'badge soon' : 'badge';
  return (
    <>
      {cnDate(props.dueAt)}
      <br />
      <span class={cls}>
        {left.overdue && <span aria-hidden="true">⚠ </span>}
        {daysLeftText(left)}
      </span>
    </>
  );
};

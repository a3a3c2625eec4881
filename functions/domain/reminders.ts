import {
  addCalendarDays,
  addWorkingDays,
  endOfShanghaiDay,
  isWorkingDay,
  shanghaiDay,
  type HolidayCalendar,
} from './calendar.ts';
import { dueAtFor, type Deadlines, type Status } from './lifecycle.ts';
import { approverOf, type PolicyProfile } from './policy.ts';

/*
 * Which reminder falls due for a project, and when, as pure rules: the sweep and the
 * workflow's escalation step ask here and only do the I/O. Every reminder has a stable
 * key, so that "already sent" is a set lookup however often or late the sweep runs.
 */

/** The three levels of the org tree, lowest first: escalation climbs this ladder. */
export const LEVELS = ['community', 'street', 'district'] as const;
export type Level = (typeof LEVELS)[number];

/** Template kinds this module sends; `completion` falls back to `acceptance` in profiles that lack it. */
export type ReminderKind =
  | 'review'
  | 'objectionReview'
  | 'approval'
  | 'contract'
  | 'completion'
  | 'publicityStart'
  | 'publicityEnd'
  | 'escalation';

/** Who must act on the step a project waits on, and how the reminder names the action. */
export interface Duty {
  status: Status;
  kind: Exclude<ReminderKind, 'publicityStart' | 'escalation'>;
  holder: Level;
  /** The action, in Chinese, as the template's {action}. */
  action: string;
  dueAt: string;
  /** Windows (publicity) are announced to the community; they have no one to escalate to. */
  window: boolean;
}

export interface ReminderSubject {
  id: string;
  status: Status;
  deadlines: Deadlines;
  amountFen: number;
}

type DutyProfile = Pick<PolicyProfile, 'review' | 'approval' | 'fastPath'>;

/** The duty of the current status, or undefined when nothing with a deadline is waited on. */
export const dutyOf = (p: ReminderSubject, profile: DutyProfile): Duty | undefined => {
  const dueAt = dueAtFor(p.status, p.deadlines ?? {});
  return dueAt ? dutyAt(p, dueAt, profile) : undefined;
};

/** The duty of `status` with its deadline at `dueAt` (the approval's holder depends on the amount). */
const dutyAt = (
  p: Pick<ReminderSubject, 'status' | 'amountFen'>,
  dueAt: string,
  profile: DutyProfile,
): Duty | undefined => {
  const duty = (kind: Duty['kind'], holder: Level, action: string, window = false): Duty => ({
    status: p.status,
    kind,
    holder,
    action,
    dueAt,
    window,
  });
  switch (p.status) {
    case 'UNDER_REVIEW':
      return duty('review', profile.review.by, '立项评审');
    case 'IN_PUBLICITY':
      return duty('publicityEnd', 'community', '公示意见汇总', true);
    case 'OBJECTION_REVIEW':
      return duty('objectionReview', profile.review.by, '公示异议核实处理');
    case 'AWAITING_APPROVAL':
      return duty('approval', approverOf(profile, p.amountFen), '项目审批');
    case 'APPROVED':
      return duty('contract', 'community', '签订服务合同');
    case 'IN_PROGRESS':
      return duty('completion', 'community', '项目实施并报请验收');
    case 'COMPLETION_PUBLICITY':
      return duty('publicityEnd', 'community', '完成公示意见汇总', true);
    default:
      return undefined;
  }
};

/** One reminder a project may receive while it waits on one deadline. */
export interface PlannedReminder {
  /** Unique on the project across its whole life: `<status>#<dueAt>#<kind>#<offset>`. */
  key: string;
  kind: ReminderKind;
  status: Status;
  dueAt: string;
  /** Working days before the due day, `start` for a window's opening announcement. */
  offset: number | 'start';
  /** From this instant on the reminder is due (the start of its Shanghai day). */
  at: string;
  audience: Level[];
  action: string;
}

const startOfShanghaiDay = (day: string): string => `${day}T00:00:00+08:00`;

/** The `n`-th working day strictly before `day`; n = 0 is the day itself, whatever it is. */
export const workingDaysBefore = (day: string, n: number, calendars: ReadonlyMap<number, HolidayCalendar>): string => {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a non-negative integer, got ${n}`);
  let current = day;
  for (let found = 0; found < n; ) {
    current = addCalendarDays(current, -1);
    if (isWorkingDay(current, calendars).working) found += 1;
  }
  return current;
};

/** Every reminder of the current duty: one per configured offset, and a window's opening. */
export const plannedReminders = (
  p: ReminderSubject,
  profile: DutyProfile & Pick<PolicyProfile, 'reminders'>,
  calendars: ReadonlyMap<number, HolidayCalendar>,
): PlannedReminder[] => {
  const duty = dutyOf(p, profile);
  return duty ? remindersOfDuty(duty, profile, calendars) : [];
};

const remindersOfDuty = (
  duty: Duty,
  profile: Pick<PolicyProfile, 'reminders'>,
  calendars: ReadonlyMap<number, HolidayCalendar>,
): PlannedReminder[] => {
  const dueDay = shanghaiDay(new Date(duty.dueAt));
  const offsets = [...new Set(profile.reminders.beforeWorkingDays)].sort((a, b) => b - a);
  const planned: PlannedReminder[] = offsets.map((offset) => ({
    ...dutyBase(duty),
    key: `${duty.status}#${duty.dueAt}#${duty.kind}#${offset}`,
    kind: duty.kind,
    offset,
    at: startOfShanghaiDay(workingDaysBefore(dueDay, offset, calendars)),
  }));
  const opening = openingOfDuty(duty);
  if (opening) planned.unshift(opening);
  return planned;
};

const dutyBase = (duty: Duty) => ({
  status: duty.status,
  dueAt: duty.dueAt,
  audience: [duty.holder],
  action: duty.action,
});

// A window's opening is due as soon as the window is open; the epoch makes it due at once.
const openingOfDuty = (duty: Duty): PlannedReminder | undefined =>
  duty.window
    ? {
        ...dutyBase(duty),
        key: `${duty.status}#${duty.dueAt}#publicityStart#start`,
        kind: 'publicityStart',
        offset: 'start',
        at: new Date(0).toISOString(),
      }
    : undefined;

/**
 * The announcement of the window a project is in (publicity or completion publicity), or
 * undefined when its status is no window. The write that opens a window records it (with
 * the project as it is after that write), so that the sweep need not.
 */
export const openingOf = (p: ReminderSubject, profile: DutyProfile): PlannedReminder | undefined => {
  const duty = dutyOf(p, profile);
  return duty && openingOfDuty(duty);
};

/** How long after the write that opened a window the sweep queues its announcement again (a day: one sweep). */
export const RESEND_OPENING_MS = 86_400_000;

/** What the sweep reads of a project to tell whether its opening was recorded by the write that opened it. */
export interface OpeningRecord {
  remindersSent?: Readonly<Record<string, string>>;
  history?: readonly { at: string; fromStatus?: string | null; toStatus?: string | null }[];
}

/**
 * The opening whose messages the sweep queues again, without a write: one recorded by
 * the write that opened the window (its time is that write's transition event's), on or
 * after `now` − 24 h. That write's command queues them after the write; this covers a
 * crash in between, and a repeat is harmless (each message's key is sent once). An
 * opening the sweep itself recorded is never sent again.
 */
export const openingToResend = (
  p: ReminderSubject & OpeningRecord,
  now: Date,
  profile: DutyProfile,
): PlannedReminder | undefined => {
  const opening = openingOf(p, profile);
  const recordedAt = opening && p.remindersSent?.[opening.key];
  if (!opening || !recordedAt || Date.parse(recordedAt) < now.getTime() - RESEND_OPENING_MS) return undefined;
  const opened = (p.history ?? []).findLast((e) => e.toStatus === p.status && e.fromStatus !== p.status);
  return opened?.at === recordedAt ? opening : undefined;
};

/** True while the deadline has not passed: "by 23:59:59" includes that whole second. */
export const beforeDeadline = (dueAt: string, now: Date): boolean => Date.parse(dueAt) + 1000 > now.getTime();

export interface DueReminders {
  /** What to send now: at most the opening and the latest reminder of the deadline. */
  send: PlannedReminder[];
  /** Earlier reminders of the same deadline that the sweep never got to: marked done, not sent, so no one gets two at once. */
  superseded: PlannedReminder[];
}

/**
 * The reminders due at `now` that `sent` does not hold yet. A reminder whose day has
 * passed is still sent, once, until the deadline itself passes (then escalation takes
 * over); when several are overdue only the latest goes out.
 */
export const dueReminders = (
  p: ReminderSubject,
  now: Date,
  profile: DutyProfile & Pick<PolicyProfile, 'reminders'>,
  calendars: ReadonlyMap<number, HolidayCalendar>,
  sent: ReadonlySet<string>,
): DueReminders => {
  const planned = plannedReminders(p, profile, calendars);
  if (!planned.length || !beforeDeadline(planned[0]!.dueAt, now)) return { send: [], superseded: [] };
  const due = planned.filter((r) => Date.parse(r.at) <= now.getTime() && !sent.has(r.key));
  const opening = due.filter((r) => r.offset === 'start');
  const timed = due.filter((r) => r.offset !== 'start');
  const latest = timed.at(-1);
  return { send: latest ? [...opening, latest] : opening, superseded: timed.slice(0, -1) };
};

/**
 * What the deadline index keeps of the reminders recorded for a project's current
 * deadline: the working-day offsets, and when the window's opening was recorded.
 */
export interface RemindersRecorded {
  offsets: readonly number[];
  openedAt?: string;
}

/** The reminders of `status`'s deadline `dueAt` that `sent` records (escalation notices are not reminders). */
export const remindersRecorded = (
  status: Status,
  dueAt: string,
  sent: Readonly<Record<string, string>> | undefined,
): RemindersRecorded => {
  const prefix = `${status}#${dueAt}#`;
  const offsets: number[] = [];
  let openedAt: string | undefined;
  for (const [key, at] of Object.entries(sent ?? {})) {
    if (!key.startsWith(prefix)) continue;
    const [kind, offset] = key.slice(prefix.length).split('#');
    if (kind === 'publicityStart') openedAt = at;
    else if (kind !== 'escalation' && offset !== undefined && /^\d+$/.test(offset)) offsets.push(Number(offset));
  }
  return { offsets: offsets.sort((a, b) => b - a), ...(openedAt ? { openedAt } : {}) };
};

/**
 * Whether the sweep may have something to do at `now` for a project listed with its
 * status, deadline and the reminders its index entry records; false only when nothing
 * can be: no reminder due and unrecorded, no opening of the last day to queue again, and
 * the deadline not passed (an overdue step's escalation is decided on the whole item).
 * The offsets and the calendar are today's, so a changed profile or calendar counts at once.
 *
 * @param opts.openingQueued - the opening's messages are known queued: no resend is needed
 */
export const sweepMayAct = (
  status: Status,
  dueAt: string,
  recorded: RemindersRecorded,
  now: Date,
  profile: DutyProfile & Pick<PolicyProfile, 'reminders'>,
  calendars: ReadonlyMap<number, HolidayCalendar>,
  opts: { openingQueued?: boolean } = {},
): boolean => {
  // The amount decides only who is reminded, not when: the index does not carry it.
  const duty = dutyAt({ status, amountFen: 0 }, dueAt, profile);
  if (!duty || !beforeDeadline(dueAt, now)) return true;
  const resend = recorded.openedAt && Date.parse(recorded.openedAt) >= now.getTime() - RESEND_OPENING_MS;
  if (resend && !opts.openingQueued) return true;
  return remindersOfDuty(duty, profile, calendars).some(
    (r) =>
      Date.parse(r.at) <= now.getTime() &&
      (r.offset === 'start' ? !recorded.openedAt : !recorded.offsets.includes(r.offset)),
  );
};

/**
 * Who hears of an overdue step at escalation `level`: the holder, who is still the one
 * to act, and each level above up to `level` steps (the district is the top).
 */
export const escalationAudience = (holder: Level, level: number): Level[] => {
  const from = LEVELS.indexOf(holder);
  const above = LEVELS.slice(from + 1, from + 1 + Math.max(1, level));
  return above.length ? [holder, ...above] : [holder];
};

/** The key of an escalation notice on the project, next to the reminders' keys. */
export const escalationKey = (status: Status, missedDueAt: string, level: number): string =>
  `${status}#${missedDueAt}#escalation#${level}`;

/**
 * The one idempotency key of one message: the queue consumer (and the local outbox)
 * sends each key once, so a sweep or a step that runs twice sends nothing new.
 */
export const messageKey = (
  projectId: string,
  status: Status,
  dueAt: string,
  tag: string,
  channel: string,
  to: string,
): string => `${projectId}#${status}#${dueAt}#${tag}#${channel}#${to}`;

/**
 * How far ahead the sweep must read the deadline index at `now`: a deadline as far as
 * the largest offset in working days still has a reminder due today, and a window
 * opened today closes no later than its length in calendar days.
 */
export const sweepHorizon = (
  now: Date,
  profile: Pick<PolicyProfile, 'reminders' | 'publicityDays' | 'completionPublicityDays'>,
  calendars: ReadonlyMap<number, HolidayCalendar>,
): string => {
  const today = shanghaiDay(now);
  const byOffset = addWorkingDays(today, Math.max(...profile.reminders.beforeWorkingDays), calendars).day;
  const byWindow = addCalendarDays(today, Math.max(profile.publicityDays, profile.completionPublicityDays) + 1);
  return endOfShanghaiDay(byOffset > byWindow ? byOffset : byWindow);
};

/** A deadline as people read it: 2025年10月14日23:59. */
export const formatDueAt = (dueAt: string): string => {
  const local = new Date(Date.parse(dueAt) + 8 * 3600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${local.getUTCFullYear()}年${local.getUTCMonth() + 1}月${local.getUTCDate()}日${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`;
};

/** Fills {project}, {action} and {dueAt}; the profile schema already refused any other placeholder. */
export const renderTemplate = (template: string, values: { project: string; action: string; dueAt: string }): string =>
  template.replace(/\{(project|action|dueAt)\}/g, (_, k: keyof typeof values) => values[k]);

import { runtime, type OutgoingMessage } from '../runtime.ts';
import { SYSTEM, type HistoryEvent, type Project } from '../domain/project.ts';
import type { DutyContact, OrgIndex } from '../domain/org.ts';
import type { PolicyProfile } from '../domain/policy.ts';
import {
  dutyOf,
  escalationAudience,
  escalationKey,
  formatDueAt,
  messageKey,
  renderTemplate,
  type Level,
  type PlannedReminder,
  type ReminderKind,
} from '../domain/reminders.ts';
import { activeProfile, getOrg } from '../store/config.ts';
import { contactsOf, type ContactAddress } from '../store/contacts.ts';
import { changeProject, getProject } from '../store/projects.ts';

/*
 * The I/O half of reminders: who receives them, what the text says, and the record on
 * the project. Messages are queued before the record is written, so a crash in between
 * only means the next sweep queues them again, and their idempotency keys make that
 * harmless; the record is what keeps the history to one event per reminder.
 */

/** A project as the reminders see it: the keys of what was already sent ride on the item. */
export type RemindedProject = Project & { remindersSent?: Record<string, string> };

/** One address of one person or duty line at one level. */
export interface Recipient {
  level: Level;
  channel: 'sms' | 'email';
  to: string;
}

/** Staff lookups per sweep: many projects of one street share its staff. */
export type ContactCache = Map<string, Promise<ContactAddress[]>>;

const unitOf = (
  p: Pick<Project, 'communityId' | 'streetId'>,
  level: Level,
  org: OrgIndex,
): { id: string; duty?: DutyContact } => {
  switch (level) {
    case 'community':
      return { id: p.communityId, duty: org.communities.get(p.communityId)?.dutyContact };
    case 'street':
      return { id: p.streetId, duty: org.streets.get(p.streetId)?.dutyContact };
    case 'district':
      return { id: org.tree.district.id, duty: org.tree.district.dutyContact };
  }
};

/**
 * The addresses of the staff who hold `levels` for this project (each unit's staff of
 * that role, and the unit's duty line), each address once. `unreachable` names the
 * levels where no address was found, so the history can say so.
 */
export const recipientsFor = async (
  p: Pick<Project, 'communityId' | 'streetId'>,
  levels: readonly Level[],
  org: OrgIndex,
  cache: ContactCache = new Map(),
): Promise<{ recipients: Recipient[]; unreachable: Level[] }> => {
  const recipients: Recipient[] = [];
  const unreachable: Level[] = [];
  const seen = new Set<string>();
  const add = (level: Level, channel: Recipient['channel'], to: string | undefined) => {
    if (!to || seen.has(`${channel}#${to}`)) return false;
    seen.add(`${channel}#${to}`);
    recipients.push({ level, channel, to });
    return true;
  };
  for (const level of levels) {
    const unit = unitOf(p, level, org);
    const cacheKey = `${unit.id}#${level}`;
    if (!cache.has(cacheKey)) cache.set(cacheKey, contactsOf(unit.id, level));
    const staff = await cache.get(cacheKey)!;
    const before = recipients.length;
    for (const c of [...staff, ...(unit.duty ? [unit.duty] : [])]) {
      add(level, 'sms', c.phone);
      add(level, 'email', c.email);
    }
    if (recipients.length === before && !staff.length && !unit.duty) unreachable.push(level);
  }
  return { recipients, unreachable };
};

/** What one reminder says and where it belongs on the project. */
export interface ReminderContent {
  kind: ReminderKind;
  status: Project['status'];
  /** The deadline it names (for an escalation, the one that was missed). */
  dueAt: string;
  /** `<offset>`, `start` or `escalation<level>`: distinguishes the messages of one deadline. */
  tag: string;
  action: string;
}

type Templates = PolicyProfile['reminders']['templates'];

/** The profile's wording of a kind; a profile written before `completion` existed words it as `acceptance`. */
export const templateFor = (templates: Templates, kind: ReminderKind) =>
  templates[kind] ?? (kind === 'completion' ? templates.acceptance : undefined);

/** One SMS and one email per address, rendered from the profile's templates, each with its idempotency key. */
export const buildMessages = (
  p: Pick<Project, 'id' | 'title'>,
  r: ReminderContent,
  recipients: readonly Recipient[],
  templates: Templates,
): OutgoingMessage[] => {
  const t = templateFor(templates, r.kind);
  if (!t) throw new Error(`the policy profile has no reminder template "${r.kind}"`);
  const values = { project: p.title, action: r.action, dueAt: formatDueAt(r.dueAt) };
  return recipients.map((to) => ({
    idempotencyKey: messageKey(p.id, r.status, r.dueAt, r.tag, to.channel, to.to),
    channel: to.channel,
    to: to.to,
    template: r.kind,
    ...(to.channel === 'email'
      ? { subject: renderTemplate(t.email.subject, values), text: renderTemplate(t.email.body, values) }
      : { text: renderTemplate(t.sms, values) }),
  }));
};

/** A reminder sent (or found due) in this run, with the key that marks it done on the project. */
export interface ReminderRecord {
  key: string;
  /** Absent for reminders that were marked done without sending (superseded by a later one). */
  event?: HistoryEvent;
}

export const reminderEvent = (
  now: Date,
  status: Project['status'],
  details: Record<string, unknown>,
): HistoryEvent => ({
  at: now.toISOString(),
  actor: SYSTEM,
  action: 'reminder_sent',
  fromStatus: status,
  toStatus: status,
  details,
});

/**
 * Marks reminders done on the project and appends their events, in one conditional
 * write. A concurrent change (a decision, another sweep) makes it re-read and keep only
 * what is still unrecorded while the project is in the same status.
 */
export const recordReminders = async (
  p: RemindedProject,
  records: readonly ReminderRecord[],
  now: Date,
): Promise<RemindedProject | undefined> => {
  let current: RemindedProject | undefined = p;
  for (let attempt = 0; attempt < 4 && current; attempt++) {
    const done = current.remindersSent ?? {};
    const fresh = records.filter((r) => !(r.key in done));
    if (!fresh.length || current.status !== p.status) return current;
    const after = await changeProject(
      p.id,
      {
        from: [p.status],
        set: { remindersSent: { ...done, ...Object.fromEntries(fresh.map((r) => [r.key, now.toISOString()])) } },
        expectedVersion: current.version,
        events: fresh.flatMap((r) => (r.event ? [r.event] : [])),
      },
      now,
      current,
    );
    if (after) return after as RemindedProject;
    current = (await getProject(p.id)) as RemindedProject | undefined;
  }
  return current;
};

/**
 * Queues one reminder's messages to `levels` and returns its record. The event names
 * the levels reached and those with no address at all.
 */
export const prepareReminder = async (
  p: RemindedProject,
  content: ReminderContent & { key: string; levels: readonly Level[]; details?: Record<string, unknown> },
  ctx: { org: OrgIndex; templates: Templates; now: Date; cache?: ContactCache },
): Promise<{ messages: OutgoingMessage[]; record: ReminderRecord }> => {
  const { recipients, unreachable } = await recipientsFor(p, content.levels, ctx.org, ctx.cache);
  const messages = buildMessages(p, content, recipients, ctx.templates);
  const event = reminderEvent(ctx.now, p.status, {
    kind: content.kind,
    action: content.action,
    dueAt: content.dueAt,
    ...content.details,
    to: [...content.levels],
    messages: messages.length,
    ...(unreachable.length ? { unreachable } : {}),
  });
  return { messages, record: { key: content.key, event } };
};

/** A planned reminder (an offset before a deadline, or a window's opening) prepared for its audience. */
export const preparePlanned = (
  p: RemindedProject,
  r: PlannedReminder,
  ctx: Parameters<typeof prepareReminder>[2],
): ReturnType<typeof prepareReminder> =>
  prepareReminder(p, { ...r, tag: String(r.offset), levels: r.audience, details: { offset: r.offset } }, ctx);

/**
 * The notice of an overdue human step (called by the workflow's escalate step after
 * it recorded the `escalated` event): to the holder and the levels above, once. A
 * failure here must not fail the execution: the daily sweep sends any escalation whose
 * notice is not recorded, so it is logged and left to the sweep.
 */
export const escalationNotice = async (p: Project, level: number, missedDueAt: string, now: Date): Promise<void> => {
  try {
    const profile = activeProfile();
    const duty = dutyOf(p, profile);
    if (!duty) return;
    const { messages, record } = await prepareReminder(
      p,
      {
        kind: 'escalation',
        status: p.status,
        dueAt: missedDueAt,
        tag: `escalation${level}`,
        action: duty.action,
        key: escalationKey(p.status, missedDueAt, level),
        levels: escalationAudience(duty.holder, level),
        details: { level },
      },
      { org: await getOrg(), templates: profile.reminders.templates, now },
    );
    await runtime().notify.enqueue(messages);
    await recordReminders(p, [record], now);
  } catch (e) {
    runtime().logger.error('escalation notice not sent; the daily sweep will retry it', {
      projectId: p.id,
      level,
      error: e as Error,
    });
  }
};

/**
 * An escalation of the current status whose notice was never recorded (the step's
 * notice failed or crashed), taken from the project's own `escalated` event.
 */
export const pendingEscalation = (p: RemindedProject): { level: number; missedDueAt: string } | undefined => {
  const esc = p.escalation;
  if (!esc || esc.status !== p.status) return undefined;
  const history = p.history ?? [];
  const lastMove = history.findLastIndex((e) => e.fromStatus !== e.toStatus);
  const at = history.findLastIndex(
    (e) => e.action === 'escalated' && e.toStatus === p.status && e.details?.level === esc.level,
  );
  if (at < lastMove || at < 0) return undefined;
  const missedDueAt = history[at]!.details?.missedDueAt;
  if (typeof missedDueAt !== 'string') return undefined;
  return (p.remindersSent ?? {})[escalationKey(p.status, missedDueAt, esc.level)]
    ? undefined
    : { level: esc.level, missedDueAt };
};

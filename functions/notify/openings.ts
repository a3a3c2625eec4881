import { runtime, type OutgoingMessage } from '../runtime.ts';
import { openingOf } from '../domain/reminders.ts';
import type { Project } from '../domain/project.ts';
import type { Transition } from '../domain/transition.ts';
import { activeProfile, getOrg } from '../store/config.ts';
import { execute, type Executed } from '../executor/execute.ts';
import { preparePlanned, type RemindedProject } from './reminders.ts';

/*
 * A publicity window (a publicity round, a completion publicity) is announced by the
 * command that opens it: its write records the announcement's key and event together
 * with the transition, and its messages are queued once that write has succeeded. The
 * sweep then has nothing to write for the opening. A crash between the write and the
 * queueing is covered by the next sweep, which queues the messages of an opening recorded
 * this way in the last day again, without a write (domain/reminders.ts openingToResend);
 * each message's key is sent once (the local outbox, the sender's claim), so the repeat
 * sends nothing twice.
 */

/** A transition whose write opens a window, with the opening recorded in it, and the opening's messages. */
export interface AnnouncedOpening {
  transition: Transition;
  messages: OutgoingMessage[];
}

/**
 * The transition with the announcement of the window it opens recorded in its write (the
 * key in `remindersSent` and a `reminder_sent` event, as the sweep records one), or
 * undefined when its write opens no window.
 */
export const withOpeningRecorded = async (
  p: Project,
  t: Transition,
  now: Date,
): Promise<AnnouncedOpening | undefined> => {
  const to = t.write.to;
  if (!to || to === p.status) return undefined;
  const profile = activeProfile();
  const opened: RemindedProject = { ...p, status: to, deadlines: t.write.deadlinesAfter ?? p.deadlines };
  const opening = openingOf(opened, profile);
  if (!opening) return undefined;
  const { messages, record } = await preparePlanned(opened, opening, {
    org: await getOrg(),
    templates: profile.reminders.templates,
    now,
  });
  // The whole map, as every writer of it does: a key of the old status that a racing sweep
  // recorded meanwhile may be lost, and no reminder of the old status is due after this move.
  const remindersSent = { ...(opened.remindersSent ?? {}), [record.key]: now.toISOString() };
  return {
    transition: {
      ...t,
      write: {
        ...t.write,
        set: { ...t.write.set, remindersSent },
        events: [...t.write.events, ...(record.event ? [record.event] : [])],
      },
    },
    messages,
  };
};

/*
 * Openings this process queued after the write that recorded them: the sweep's resend,
 * which covers a command that died in between, is not needed for them. Another process
 * knows none and resends as before (harmless: each message key is sent once).
 */
const QUEUED_HERE_MAX = 100_000;
const queuedHere = new Set<string>();
const queuedKey = (projectId: string, recordedAt: string) => `${projectId} ${recordedAt}`;

/** Whether this process queued the opening recorded on the project at `recordedAt`. */
export const openingQueuedHere = (projectId: string, recordedAt: string): boolean =>
  queuedHere.has(queuedKey(projectId, recordedAt));

/** Forgets the openings queued here, as a process started afresh knows none. */
export const forgetOpeningsQueued = (): void => queuedHere.clear();

/** Queues an opening's messages; a failure is logged and left to the next sweep, the command has succeeded. */
const queueOpening = async (projectId: string, messages: OutgoingMessage[], recordedAt: string): Promise<void> => {
  const queued = () => {
    if (queuedHere.size >= QUEUED_HERE_MAX) queuedHere.delete(queuedHere.values().next().value as string);
    queuedHere.add(queuedKey(projectId, recordedAt));
  };
  if (!messages.length) return queued();
  try {
    await runtime().notify.enqueue(messages);
    queued();
  } catch (e) {
    runtime().logger.error('the opening of a window was recorded but not queued; the next sweep queues it', {
      projectId,
      error: e as Error,
    });
  }
};

/**
 * Executes a transition (executor/execute.ts) and, when its write opens a window,
 * announces the opening: recorded in that write, queued after it.
 */
export const executeAnnouncing = async (
  p: Project,
  t: Transition,
  now: Date,
  opts: { wake?: boolean } = {},
): Promise<Executed> => {
  const announced = await withOpeningRecorded(p, t, now);
  const executed = await execute(p, announced?.transition ?? t, now, opts);
  if (executed.ok && announced) await queueOpening(p.id, announced.messages, now.toISOString());
  return executed;
};

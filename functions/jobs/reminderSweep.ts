import { runtime, type OutgoingMessage } from '../runtime.ts';
import type { FunctionPorts } from '../ports.ts';
import {
  dueReminders,
  dutyOf,
  escalationAudience,
  escalationKey,
  openingToResend,
  sweepHorizon,
  sweepMayAct,
  type RemindersRecorded,
} from '../domain/reminders.ts';
import { activeProfile, getCalendars, getOrg } from '../store/config.ts';
import { getProjects, isPendingEntry, listOpenProjects } from '../store/projects.ts';
import { ensurePublicityIndexBuilt } from '../store/publicityIndex.ts';
import type { Status } from '../domain/lifecycle.ts';
import { recordedNotProvenDone, resumePendingOperations } from '../executor/operations.ts';
import { intentSeenDone } from '../store/projectCache.ts';
import { recheckRecorded } from '../domain/pendingOp.ts';
import { openingQueuedHere } from '../notify/openings.ts';
import {
  pendingEscalation,
  preparePlanned,
  prepareReminder,
  recordReminders,
  type ContactCache,
  type ReminderRecord,
  type RemindedProject,
} from '../notify/reminders.ts';

/** What one sweep did, for the logs and the tests. */
export interface SweepResult {
  projects: number;
  reminders: number;
  messages: number;
  /** Messages of openings their commands recorded in the last day, queued again (sent once by their keys). */
  resent: number;
}

/**
 * Projects reminded at once. Each waits mostly on the outbox's flush and its own write,
 * so more in flight share more flushes: the bench's sweeps took 17.2 s a year at 8, 13.9 s
 * at 32; 64 gained nothing more (the store only queues them).
 */
const CONCURRENCY = 32;

/** Due projects read and reminded at a time: a page of whole items (~11.5 KB each when closed). */
const SWEEP_PAGE = 250;

/**
 * The due projects of one page, whole. The index says which projects are due; their
 * reminders are decided on the whole item (read after the recovery pass), which is the
 * truth: one whose settled deadline is not due gets none.
 */
const readDue = async (page: readonly { id: string }[], rechecked: ReadonlySet<string>): Promise<RemindedProject[]> => {
  const projects = (await getProjects(
    page.map((p) => p.id),
    // Each reminder record is a conditional write on the status read here, so a stale read only retries.
    { consistent: false },
  )) as RemindedProject[];
  // A record-first intent is proven done by this read and one read of its fund's ledger; only an
  // unproven one is read again and completed (completing it writes the ledger, not the project).
  const unproven = await recordedNotProvenDone(projects.filter((p) => rechecked.has(p.id)));
  const read = new Set(projects.map((p) => p.id));
  const unread = page.filter((r) => rechecked.has(r.id) && !read.has(r.id));
  if (unproven.length || unread.length) await resumePendingOperations({ candidates: [...unproven, ...unread] });
  return projects;
};

/**
 * The daily reminder sweep, fired by EventBridge Scheduler at 08:00 Asia/Shanghai (and
 * by the simulated clock locally). It reads the deadline index up to the farthest
 * deadline that can have a reminder due today, never the whole table; each project
 * gets at most one write, which records every reminder it sent.
 */
export const runReminderSweep = async (opts: { pageSize?: number } = {}): Promise<SweepResult> => {
  const pageSize = opts.pageSize ?? SWEEP_PAGE;
  const now = runtime().clock.now();
  // A deployment that held projects before the notice board's index gets it built by its
  // first sweep; should that fail, the board reads the old way and the next sweep tries again,
  // but today's reminders still go.
  await ensurePublicityIndexBuilt(now).catch((e) =>
    runtime().logger.error('the notice board index could not be built', { error: e as Error }),
  );
  const profile = activeProfile();
  const [calendars, org] = await Promise.all([getCalendars(), getOrg()]);
  // One read of every shard up to the horizon; unfinished operations and record-first intents sort first in it.
  const horizon = sweepHorizon(now, profile, calendars);
  const listed = await listOpenProjects(horizon);
  // A record-first intent is checked against the ledger in the first days after it started; later
  // it is only a project like any other, due when the deadline its entry carries is.
  // One this process saw done needs no check (the ledger never drops a payment).
  const rechecked = new Set(
    listed
      .filter(
        ({ id, recorded }) =>
          recorded &&
          recheckRecorded(recorded.startedAt, now.getTime()) &&
          !(recorded.opId && intentSeenDone(id, recorded.opId)),
      )
      .map((p) => p.id),
  );
  // A project whose entry shows nothing it could be reminded of today is not read at all.
  const mayAct = ({ dueAt, reminders }: { dueAt: string; reminders: RemindersRecorded }, id: string, status: Status) =>
    sweepMayAct(status, dueAt, reminders, now, profile, calendars, {
      openingQueued: !!reminders.openedAt && openingQueuedHere(id, reminders.openedAt),
    });
  const due = listed.filter(({ id, status, recorded, due }) =>
    recorded
      ? rechecked.has(id) || (recorded.dueAt <= `${horizon}~` && mayAct(recorded, id, status))
      : !due || mayAct(due, id, status),
  );
  // The daily pass also completes what a crashed command left half done (its lease run out).
  await resumePendingOperations({ candidates: due.filter((p) => isPendingEntry(p)) });
  const cache: ContactCache = new Map();
  const ctx = { org, templates: profile.reminders.templates, now, cache };
  const result: SweepResult = { projects: 0, reminders: 0, messages: 0, resent: 0 };

  const remind = async (p: RemindedProject) => {
    const sent = new Set(Object.keys(p.remindersSent ?? {}));
    const { send, superseded } = dueReminders(p, now, profile, calendars, sent);
    const prepared = await Promise.all(send.map((r) => preparePlanned(p, r, ctx)));
    // An opening its command recorded in the last day is queued again, unrecorded: its command may have died before queueing it.
    const opening = openingToResend(p, now, profile);
    const resent = opening && (await preparePlanned(p, opening, ctx));
    const escalation = pendingEscalation(p);
    const duty = escalation && dutyOf(p, profile);
    if (escalation && duty)
      prepared.push(
        await prepareReminder(
          p,
          {
            kind: 'escalation',
            status: p.status,
            dueAt: escalation.missedDueAt,
            tag: `escalation${escalation.level}`,
            action: duty.action,
            key: escalationKey(p.status, escalation.missedDueAt, escalation.level),
            levels: escalationAudience(duty.holder, escalation.level),
            details: { level: escalation.level },
          },
          ctx,
        ),
      );
    const messages: OutgoingMessage[] = prepared.flatMap((x) => x.messages);
    if (resent?.messages.length) {
      await runtime().notify.enqueue(resent.messages);
      result.resent += resent.messages.length;
    }
    if (!prepared.length && !superseded.length) return;
    await runtime().notify.enqueue(messages);
    const records: ReminderRecord[] = [...prepared.map((x) => x.record), ...superseded.map((r) => ({ key: r.key }))];
    await recordReminders(p, records, now);
    result.reminders += prepared.length;
    result.messages += messages.length;
  };

  // Whole items are read a page at a time, so that the sweep's memory does not grow with the open projects.
  for (let i = 0; i < due.length; i += pageSize) {
    const page = due.slice(i, i + pageSize);
    const projects = await readDue(page, rechecked);
    result.projects += projects.length;
    // A failing project must not starve the others; it is tried again tomorrow.
    const queue = [...projects];
    const worker = async () => {
      for (let p = queue.shift(); p; p = queue.shift()) {
        try {
          await remind(p);
        } catch (e) {
          runtime().logger.error('reminders of a project failed', { projectId: p.id, error: e as Error });
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  }
  runtime().logger.info('reminder sweep', { ...result });
  return result;
};

// The sweep also completes operations a crash left unfinished, which may wake a parked step.
export const ports: FunctionPorts = { table: 'readWrite', notify: true, workflow: { taskTokens: true } };

/** Lambda entry for the EventBridge Scheduler schedule. */
export const handler = async (): Promise<SweepResult> => runReminderSweep();

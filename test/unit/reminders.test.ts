import { beforeAll, describe, expect, it } from 'vitest';
import { Logger } from '@aws-lambda-powertools/logger';
import type { SQSEvent } from 'aws-lambda';
import {
  dueReminders,
  dutyOf,
  escalationAudience,
  formatDueAt,
  openingOf,
  openingToResend,
  plannedReminders,
  remindersRecorded,
  renderTemplate,
  sweepHorizon,
  sweepMayAct,
  workingDaysBefore,
  type OpeningRecord,
  type ReminderSubject,
} from '../../functions/domain/reminders.ts';
import {
  buildMessages,
  pendingEscalation,
  templateFor,
  type RemindedProject,
} from '../../functions/notify/reminders.ts';
import {
  classify,
  deliver,
  e164,
  processBatch,
  type Channels,
  type DeliveryLedger,
} from '../../functions/notify/sender.ts';
import { ContactBody } from '../../functions/api/contacts.ts';
import { configureRuntime, type OutgoingMessage, type Runtime } from '../../functions/runtime.ts';
import { loadBuiltInCalendars, loadProfile } from '../../functions/policies/index.ts';

const calendars = loadBuiltInCalendars();
const guandu = loadProfile('guandu');
const liuzhou = loadProfile('liuzhou');
const gaoming = loadProfile('gaoming');

/** Entered AWAITING_APPROVAL on 2025-09-28: due the end of 10-11 across the National Day holiday. */
const APPROVAL_DUE = '2025-10-11T23:59:59+08:00';
const waiting = (over: Partial<ReminderSubject> = {}): ReminderSubject => ({
  id: 'P1',
  status: 'AWAITING_APPROVAL',
  deadlines: { publicityEndsAt: '2025-09-27T23:59:59+08:00', approvalDueAt: APPROVAL_DUE },
  amountFen: 3_000_000,
  ...over,
});
const at = (iso: string) => new Date(iso);

beforeAll(() => {
  // The sender logs through the runtime; the tests need no store, only a quiet logger.
  configureRuntime({
    logger: new Logger({ logLevel: 'SILENT' }),
    clock: { now: () => at('2025-10-09T08:00:00+08:00') },
  } as unknown as Runtime);
});

describe('workingDaysBefore', () => {
  it('skips the National Day holiday and counts the make-up Saturday', () => {
    // Act
    const one = workingDaysBefore('2025-10-11', 1, calendars);
    const two = workingDaysBefore('2025-10-09', 1, calendars);
    const same = workingDaysBefore('2025-10-04', 0, calendars);

    // Assess
    expect(one).toBe('2025-10-10');
    expect(two).toBe('2025-09-30'); // Oct 1–8 are off
    expect(same).toBe('2025-10-04'); // "on the day" even when it is a holiday
  });
});

describe('plannedReminders', () => {
  it('plans one reminder per configured offset at the start of its Shanghai day, to the street', () => {
    // Act
    const planned = plannedReminders(waiting(), guandu, calendars);

    // Assess
    expect(planned.map((r) => [r.offset, r.at, r.audience, r.kind])).toEqual([
      [2, '2025-10-09T00:00:00+08:00', ['street'], 'approval'],
      [0, '2025-10-11T00:00:00+08:00', ['street'], 'approval'],
    ]);
    expect(planned[0]!.key).toBe(`AWAITING_APPROVAL#${APPROVAL_DUE}#approval#2`);
  });

  it('announces a publicity window to the community at its start and before its end', () => {
    // Act
    const planned = plannedReminders(waiting({ status: 'IN_PUBLICITY' }), guandu, calendars);

    // Assess
    expect(planned.map((r) => [r.kind, r.offset, r.audience])).toEqual([
      ['publicityStart', 'start', ['community']],
      ['publicityEnd', 2, ['community']],
      ['publicityEnd', 0, ['community']],
    ]);
  });

  it('plans nothing for a status without a deadline', () => {
    expect(plannedReminders(waiting({ status: 'RETURNED' }), guandu, calendars)).toEqual([]);
  });
});

describe('openingOf and openingToResend', () => {
  const OPENED_AT = '2025-09-20T01:00:00.000Z';
  const WINDOW_END = '2025-09-27T23:59:59+08:00';
  const KEY = `IN_PUBLICITY#${WINDOW_END}#publicityStart#start`;
  /** A project whose review opened its window at OPENED_AT; `recordedAt` is when its opening was recorded. */
  const inPublicity = (recordedAt?: string): ReminderSubject & OpeningRecord => ({
    ...waiting({ status: 'IN_PUBLICITY', deadlines: { publicityEndsAt: WINDOW_END } }),
    remindersSent: recordedAt ? { [KEY]: recordedAt } : ({} as Record<string, string>),
    history: [
      { at: '2025-09-19T01:00:00.000Z', fromStatus: 'DRAFT', toStatus: 'UNDER_REVIEW' },
      { at: OPENED_AT, fromStatus: 'UNDER_REVIEW', toStatus: 'IN_PUBLICITY' },
      { at: OPENED_AT, fromStatus: 'IN_PUBLICITY', toStatus: 'IN_PUBLICITY' },
    ],
  });

  it('is the opening the sweep plans, for both windows and no other status', () => {
    // Act
    const publicity = openingOf(inPublicity(), guandu);
    const completion = openingOf(
      waiting({ status: 'COMPLETION_PUBLICITY', deadlines: { completionPublicityEndsAt: WINDOW_END } }),
      guandu,
    );
    const none = openingOf(waiting(), guandu);

    // Assess
    expect(publicity).toEqual(plannedReminders(inPublicity(), guandu, calendars)[0]);
    expect(publicity?.key).toBe(KEY);
    expect(completion?.key).toBe(`COMPLETION_PUBLICITY#${WINDOW_END}#publicityStart#start`);
    expect(none).toBeUndefined();
  });

  it('is sent again for a day after the write that opened the window recorded it, then never', () => {
    // Prepare
    const p = inPublicity(OPENED_AT);
    const dayLater = Date.parse(OPENED_AT) + 86_400_000;

    // Act
    const nextMorning = openingToResend(p, at('2025-09-21T00:00:00Z'), guandu);
    const lastInstant = openingToResend(p, new Date(dayLater), guandu);
    const afterADay = openingToResend(p, new Date(dayLater + 1), guandu);

    // Assess
    expect(nextMorning?.key).toBe(KEY);
    expect(lastInstant?.key).toBe(KEY);
    expect(afterADay).toBeUndefined();
  });

  it('is not sent again when the sweep recorded it, nor when nothing recorded it (the sweep sends that one)', () => {
    // Act
    const bySweep = openingToResend(inPublicity('2025-09-21T00:00:00.000Z'), at('2025-09-21T12:00:00Z'), guandu);
    const unrecorded = openingToResend(inPublicity(), at('2025-09-21T00:00:00Z'), guandu);
    const unrecordedIsDue = dueReminders(inPublicity(), at('2025-09-21T00:00:00Z'), guandu, calendars, new Set());
    const recordedIsNotDue = dueReminders(
      inPublicity(OPENED_AT),
      at('2025-09-21T00:00:00Z'),
      guandu,
      calendars,
      new Set([KEY]),
    );

    // Assess
    expect(bySweep).toBeUndefined();
    expect(unrecorded).toBeUndefined();
    expect(unrecordedIsDue.send.map((r) => r.key)).toEqual([KEY]);
    expect(recordedIsNotDue.send).toEqual([]);
  });
});

describe('dutyOf', () => {
  it('gives the approval to the profile approver, or to the community on the fast path', () => {
    // Act
    const street = dutyOf(waiting(), guandu);
    const district = dutyOf(waiting(), gaoming);
    const fast = dutyOf(waiting({ amountFen: liuzhou.fastPath!.maxFen }), liuzhou);
    const notFast = dutyOf(waiting({ amountFen: liuzhou.fastPath!.maxFen + 1 }), liuzhou);

    // Assess
    expect(street?.holder).toBe('street');
    expect(district?.holder).toBe('district');
    expect(fast?.holder).toBe('community');
    expect(notFast?.holder).toBe('street');
  });

  it('gives contracts and completion to the community', () => {
    // Act
    const contract = dutyOf(
      waiting({ status: 'APPROVED', deadlines: { completionDueAt: '2025-12-31T23:59:59+08:00' } }),
      guandu,
    );
    const completion = dutyOf(
      waiting({ status: 'IN_PROGRESS', deadlines: { completionDueAt: '2025-12-31T23:59:59+08:00' } }),
      guandu,
    );

    // Assess
    expect([contract?.kind, contract?.holder]).toEqual(['contract', 'community']);
    expect([completion?.kind, completion?.holder]).toEqual(['completion', 'community']);
  });
});

describe('dueReminders', () => {
  const due = (now: string, sent: string[] = []) => dueReminders(waiting(), at(now), guandu, calendars, new Set(sent));
  const key = (offset: number) => `AWAITING_APPROVAL#${APPROVAL_DUE}#approval#${offset}`;

  it('sends nothing before the first reminder day', () => {
    expect(due('2025-10-08T23:59:59+08:00')).toEqual({ send: [], superseded: [] });
  });

  it('sends the 2-day reminder from its day on, and once only', () => {
    // Act
    const first = due('2025-10-09T08:00:00+08:00');
    const again = due('2025-10-10T08:00:00+08:00', [key(2)]);

    // Assess
    expect(first.send.map((r) => r.offset)).toEqual([2]);
    expect(again.send).toEqual([]);
  });

  it('sends only the latest of several missed reminders and marks the earlier one done', () => {
    // Act
    const jumped = due('2025-10-11T08:00:00+08:00');

    // Assess
    expect(jumped.send.map((r) => r.offset)).toEqual([0]);
    expect(jumped.superseded.map((r) => r.key)).toEqual([key(2)]);
  });

  it('still sends a reminder late in the due day, but none once the deadline passed', () => {
    // Act
    const late = due('2025-10-11T23:59:59+08:00', [key(2)]);
    const after = due('2025-10-12T00:00:00+08:00', [key(2)]);

    // Assess
    expect(late.send.map((r) => r.offset)).toEqual([0]);
    expect(after).toEqual({ send: [], superseded: [] });
  });
});

describe('remindersRecorded and sweepMayAct', () => {
  const key = (offset: number) => `AWAITING_APPROVAL#${APPROVAL_DUE}#approval#${offset}`;
  /** Whether the sweep may act at `now` for a project in `status` due at `dueAt`, with `sent` recorded. */
  const mayActFor = (
    status: 'AWAITING_APPROVAL' | 'IN_PUBLICITY',
    dueAt: string,
    now: string,
    sent: Record<string, string>,
    profile = guandu,
    openingQueued = false,
  ) =>
    sweepMayAct(status, dueAt, remindersRecorded(status, dueAt, sent), at(now), profile, calendars, {
      openingQueued,
    });
  const mayAct = (now: string, sent: Record<string, string>, profile = guandu) =>
    mayActFor('AWAITING_APPROVAL', APPROVAL_DUE, now, sent, profile);

  it("keeps only the current deadline's reminders, not escalations nor another deadline's", () => {
    // Act
    const recorded = remindersRecorded('IN_PUBLICITY', '2025-10-02T23:59:59+08:00', {
      'IN_PUBLICITY#2025-10-02T23:59:59+08:00#publicityStart#start': '2025-09-25T09:00:00.000Z',
      'IN_PUBLICITY#2025-10-02T23:59:59+08:00#publicityEnd#2': '2025-09-29T00:00:00.000Z',
      'IN_PUBLICITY#2025-10-02T23:59:59+08:00#escalation#1': '2025-10-03T00:00:00.000Z',
      'IN_PUBLICITY#2025-09-20T23:59:59+08:00#publicityEnd#0': '2025-09-20T00:00:00.000Z',
      'UNDER_REVIEW#2025-10-02T23:59:59+08:00#review#0': '2025-09-20T00:00:00.000Z',
    });

    // Assess
    expect(recorded).toEqual({ offsets: [2], openedAt: '2025-09-25T09:00:00.000Z' });
  });

  it('agrees with dueReminders: nothing to do until a reminder falls due and is unrecorded', () => {
    // Assess: the 2-day reminder's day is 10-09, the 0-day's 10-11 (guandu plans 2 and 0)
    expect(mayAct('2025-10-08T23:59:59+08:00', {})).toBe(false);
    expect(mayAct('2025-10-09T08:00:00+08:00', {})).toBe(true);
    expect(mayAct('2025-10-10T08:00:00+08:00', { [key(2)]: '2025-10-09T00:00:00.000Z' })).toBe(false);
    expect(mayAct('2025-10-11T08:00:00+08:00', { [key(2)]: '2025-10-09T00:00:00.000Z' })).toBe(true);
  });

  it('counts an offset the profile gained since, and always acts once the deadline passed', () => {
    // Prepare
    const recorded = { [key(2)]: '2025-10-09T00:00:00.000Z', [key(0)]: '2025-10-11T00:00:00.000Z' };
    const threeDays = { ...guandu, reminders: { ...guandu.reminders, beforeWorkingDays: [3, 2, 0] } };

    // Assess
    expect(mayAct('2025-10-11T12:00:00+08:00', recorded)).toBe(false);
    expect(mayAct('2025-10-11T12:00:00+08:00', recorded, threeDays)).toBe(true);
    expect(mayAct('2025-10-12T00:00:00+08:00', recorded)).toBe(true);
  });

  it("acts for a window's opening unrecorded, or recorded in the last day and not known queued (it is queued again), not later", () => {
    // Prepare
    const ends = '2025-10-02T23:59:59+08:00';
    const opening = `IN_PUBLICITY#${ends}#publicityStart#start`;
    const publicity = (now: string, sent: Record<string, string>, openingQueued = false) =>
      mayActFor('IN_PUBLICITY', ends, now, sent, guandu, openingQueued);

    // Assess
    expect(publicity('2025-09-26T08:00:00+08:00', {})).toBe(true);
    expect(publicity('2025-09-26T08:00:00+08:00', { [opening]: '2025-09-25T09:00:00.000Z' })).toBe(true);
    expect(publicity('2025-09-26T08:00:00+08:00', { [opening]: '2025-09-25T09:00:00.000Z' }, true)).toBe(false);
    expect(publicity('2025-09-27T08:00:00+08:00', { [opening]: '2025-09-25T09:00:00.000Z' })).toBe(false);
  });
});

describe('escalationAudience', () => {
  it('climbs community → street → district and keeps the holder informed', () => {
    expect(escalationAudience('community', 1)).toEqual(['community', 'street']);
    expect(escalationAudience('community', 2)).toEqual(['community', 'street', 'district']);
    expect(escalationAudience('street', 1)).toEqual(['street', 'district']);
    expect(escalationAudience('street', 2)).toEqual(['street', 'district']);
    expect(escalationAudience('district', 1)).toEqual(['district']);
  });
});

describe('sweepHorizon', () => {
  it('reaches the farthest deadline with a reminder due today, and the end of a window opened today', () => {
    // Act: Thu 2025-09-25 08:00. Two working days ahead is 09-29 (09-28 is a make-up Sunday, so 09-26, 09-28);
    // a 7-day window opened today ends 10-02, which is farther.
    const horizon = sweepHorizon(at('2025-09-25T08:00:00+08:00'), guandu, calendars);
    const longOffsets = sweepHorizon(
      at('2025-09-25T08:00:00+08:00'),
      { ...guandu, reminders: { ...guandu.reminders, beforeWorkingDays: [5, 0] } },
      calendars,
    );

    // Assess
    expect(horizon).toBe('2025-10-03T23:59:59+08:00');
    expect(longOffsets).toBe('2025-10-09T23:59:59+08:00'); // 26, 28, 29, 30, Oct 9
  });
});

describe('rendering', () => {
  it('writes the deadline the way people read it', () => {
    expect(formatDueAt(APPROVAL_DUE)).toBe('2025年10月11日23:59');
    expect(formatDueAt('2025-12-31T16:00:00Z')).toBe('2026年1月1日00:00');
  });

  it('fills every placeholder, however often it occurs', () => {
    expect(renderTemplate('{project}/{action}/{dueAt}/{project}', { project: 'P', action: 'A', dueAt: 'D' })).toBe(
      'P/A/D/P',
    );
  });

  it('builds an SMS and an email per address in Chinese with one key each', () => {
    // Act
    const messages = buildMessages(
      { id: 'P1', title: '老旧小区路灯维修' },
      { kind: 'approval', status: 'AWAITING_APPROVAL', dueAt: APPROVAL_DUE, tag: '2', action: '项目审批' },
      [
        { level: 'street', channel: 'sms', to: '13912340001' },
        { level: 'street', channel: 'email', to: 'a@example.org' },
      ],
      guandu.reminders.templates,
    );

    // Assess
    expect(messages.map((m) => m.idempotencyKey)).toEqual([
      `P1#AWAITING_APPROVAL#${APPROVAL_DUE}#2#sms#13912340001`,
      `P1#AWAITING_APPROVAL#${APPROVAL_DUE}#2#email#a@example.org`,
    ]);
    expect(messages[0]!.text).toBe(
      '【专项经费提醒】项目“老旧小区路灯维修”公示期满无异议，待审批（项目审批），请于2025年10月11日23:59前批复。',
    );
    expect(messages[1]!.subject).toBe('待审批：老旧小区路灯维修');
    expect(messages[1]!.text).toContain('2025年10月11日23:59');
    expect(messages.every((m) => !/\{\w+\}/.test(m.text + (m.subject ?? '')))).toBe(true);
  });
});

describe('templateFor', () => {
  it('words completion reminders for the community, and falls back to acceptance in an older profile', () => {
    // Prepare
    const { completion: _dropped, ...older } = guandu.reminders.templates;

    // Act
    const own = templateFor(guandu.reminders.templates, 'completion');
    const fallback = templateFor(older, 'completion');

    // Assess
    expect(own?.sms).toContain('报请街道验收');
    expect(fallback).toBe(guandu.reminders.templates.acceptance);
  });
});

describe('pendingEscalation', () => {
  const escalated = (remindersSent: Record<string, string> = {}): RemindedProject =>
    ({
      ...waiting(),
      escalation: { status: 'AWAITING_APPROVAL', level: 1, nextDueAt: '2025-10-17T23:59:59+08:00' },
      history: [
        {
          at: '2025-09-27T16:00:00Z',
          actor: { sub: 'system', role: 'system' },
          action: 'publicity_closed',
          fromStatus: 'IN_PUBLICITY',
          toStatus: 'AWAITING_APPROVAL',
        },
        {
          at: '2025-10-11T16:00:00Z',
          actor: { sub: 'system', role: 'system' },
          action: 'escalated',
          fromStatus: 'AWAITING_APPROVAL',
          toStatus: 'AWAITING_APPROVAL',
          details: { level: 1, missedDueAt: APPROVAL_DUE },
        },
      ],
      remindersSent,
    }) as unknown as RemindedProject;

  it('finds an escalation whose notice was never recorded, and nothing once it was', () => {
    expect(pendingEscalation(escalated())).toEqual({ level: 1, missedDueAt: APPROVAL_DUE });
    expect(pendingEscalation(escalated({ [`AWAITING_APPROVAL#${APPROVAL_DUE}#escalation#1`]: 'x' }))).toBeUndefined();
  });
});

describe('the contact body', () => {
  it('accepts mainland mobiles and email addresses and names the bad field', () => {
    // Act
    const ok = ContactBody.safeParse({ phone: '19912345678', email: 'x@example.org' });
    const badPhone = ContactBody.safeParse({ phone: '11912345678' });
    const badEmail = ContactBody.safeParse({ email: 'x@' });
    const empty = ContactBody.safeParse({});

    // Assess
    expect(ok.success).toBe(true);
    expect(badPhone.error?.issues[0]?.path).toEqual(['phone']);
    expect(badEmail.error?.issues[0]?.path).toEqual(['email']);
    expect(empty.success).toBe(false);
  });
});

describe('the sender', () => {
  const message = (over: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
    idempotencyKey: 'P1#k#sms#13912340001',
    channel: 'sms',
    to: '13912340001',
    template: 'approval',
    text: '提醒',
    ...over,
  });
  const fakeLedger = () => {
    const claims = new Map<string, string>();
    const suppressed = new Map<string, string>();
    const ledger: DeliveryLedger = {
      claim: async (k) => (claims.has(k) ? false : (claims.set(k, 'sending'), true)),
      finish: async (k, s) => void claims.set(k, s),
      release: async (k) => void claims.delete(k),
      suppress: async (c, a, r) => void suppressed.set(`${c}#${a}`, r),
      isSuppressed: async (c, a) => suppressed.has(`${c}#${a}`),
    };
    return { ledger, claims, suppressed };
  };
  const failing = (error: object): Channels => ({
    sms: async () => Promise.reject(Object.assign(new Error('x'), error)),
    email: async () => Promise.reject(Object.assign(new Error('x'), error)),
  });
  const now = at('2025-10-09T08:00:00+08:00');

  it('classifies opted-out and malformed addresses as given up, throttling and faults as retried', () => {
    expect(classify('sms', { name: 'ConflictException', Reason: 'DESTINATION_PHONE_NUMBER_OPTED_OUT' })).toEqual({
      suppress: 'opted_out',
    });
    expect(classify('sms', { name: 'ValidationException', Reason: 'CANNOT_PARSE' })).toEqual({
      suppress: 'invalid_number',
    });
    expect(classify('sms', { name: 'ValidationException', Reason: 'SENDER_ID_NOT_REGISTERED' })).toBe('retry');
    expect(classify('sms', { name: 'ThrottlingException' })).toBe('retry');
    expect(classify('email', { name: 'BadRequestException' })).toEqual({ suppress: 'invalid_address' });
    expect(classify('email', { name: 'TooManyRequestsException' })).toBe('retry');
    expect(e164('13912340001')).toBe('+8613912340001');
  });

  it('sends a key once, even when the queue delivers it twice', async () => {
    // Prepare
    const { ledger } = fakeLedger();
    const sentTo: string[] = [];
    const channels: Channels = { sms: async (m) => void sentTo.push(m.to), email: async (m) => void sentTo.push(m.to) };

    // Act
    const retry1 = await deliver(message(), channels, ledger, now);
    const retry2 = await deliver(message(), channels, ledger, now);

    // Assess
    expect([retry1, retry2]).toEqual([false, false]);
    expect(sentTo).toEqual(['13912340001']);
  });

  it('records an opted-out number, does not retry it, and skips it afterwards', async () => {
    // Prepare
    const { ledger, suppressed } = fakeLedger();
    const optedOut = failing({ name: 'ConflictException', Reason: 'DESTINATION_PHONE_NUMBER_OPTED_OUT' });

    // Act
    const retry = await deliver(message(), optedOut, ledger, now);
    const later = await deliver(
      message({ idempotencyKey: 'other' }),
      { sms: async () => Promise.reject(new Error('must not be called')), email: async () => {} },
      ledger,
      now,
    );

    // Assess
    expect(retry).toBe(false);
    expect(later).toBe(false);
    expect(suppressed.get('sms#13912340001')).toBe('opted_out');
  });

  it('reports a throttled message as a batch item failure and frees its claim for the retry', async () => {
    // Prepare
    const { ledger, claims } = fakeLedger();
    const event = {
      Records: [
        { messageId: 'm1', body: JSON.stringify(message()) },
        {
          messageId: 'm2',
          body: JSON.stringify(message({ idempotencyKey: 'e1', channel: 'email', to: 'a@example.org' })),
        },
        { messageId: 'm3', body: 'not json' },
      ],
    } as unknown as SQSEvent;
    const channels: Channels = {
      sms: async () => Promise.reject(Object.assign(new Error('slow down'), { name: 'ThrottlingException' })),
      email: async () => {},
    };

    // Act
    const out = await processBatch(event, channels, ledger);

    // Assess
    expect(out.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['m1', 'm3']);
    expect(claims.has('P1#k#sms#13912340001')).toBe(false);
    expect(claims.get('e1')).toBe('sent');
  });
});

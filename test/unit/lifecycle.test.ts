import { describe, expect, it } from 'vitest';
import {
  NO_DEADLINE_TIMEOUT_SECONDS,
  dueAtFor,
  stepStateOf,
  windowClosesAt,
  TERMINAL,
  WITHDRAWABLE,
  HUMAN_STEPS,
  awaitsItsToken,
} from '../../functions/domain/lifecycle.ts';
import { parseDuration } from '../../infra/local/clock.ts';

const now = new Date('2025-10-01T00:00:00+08:00');

describe('stepStateOf', () => {
  it('waits on the approval deadline with a timeout that reaches just past it', () => {
    const s = stepStateOf(
      { id: 'p1', status: 'AWAITING_APPROVAL', deadlines: { approvalDueAt: '2025-10-14T23:59:59+08:00' } },
      now,
    );
    expect(s.dueAt).toBe('2025-10-14T23:59:59+08:00');
    expect(s.timeoutSeconds).toBe(14 * 86400);
    expect(s.waitUntil).toBeNull();
  });

  it('turns a publicity window into a Wait until the second after its end, in UTC', () => {
    const s = stepStateOf(
      { id: 'p1', status: 'IN_PUBLICITY', deadlines: { publicityEndsAt: '2025-09-30T23:59:59+08:00' } },
      now,
    );
    expect(s.waitUntil).toBe('2025-09-30T16:00:00Z');
    expect(s.dueAt).toBeNull();
  });

  it('after an escalation waits for the next escalation instant, not the missed deadline', () => {
    const s = stepStateOf(
      {
        id: 'p1',
        status: 'AWAITING_APPROVAL',
        deadlines: { approvalDueAt: '2025-10-14T23:59:59+08:00' },
        escalation: { status: 'AWAITING_APPROVAL', level: 1, nextDueAt: '2025-10-21T23:59:59+08:00' },
      },
      new Date('2025-10-15T00:00:00+08:00'),
    );
    expect(s.escalations).toBe(1);
    expect(s.dueAt).toBe('2025-10-21T23:59:59+08:00');
  });

  it('forgets an escalation of an earlier step', () => {
    const s = stepStateOf(
      {
        id: 'p1',
        status: 'APPROVED',
        deadlines: { startDueAt: '2025-11-01T23:59:59+08:00' },
        escalation: { status: 'AWAITING_APPROVAL', level: 2, nextDueAt: null },
      },
      now,
    );
    expect(s.escalations).toBe(0);
    expect(s.dueAt).toBe('2025-11-01T23:59:59+08:00');
  });

  it('gives a step without a deadline the longest timeout instead of none', () => {
    const s = stepStateOf({ id: 'p1', status: 'RETURNED', deadlines: {} }, now);
    expect(s.dueAt).toBeNull();
    expect(s.timeoutSeconds).toBe(NO_DEADLINE_TIMEOUT_SECONDS);
  });

  it('never gives a timeout below one second for a deadline already passed', () => {
    const s = stepStateOf(
      { id: 'p1', status: 'UNDER_REVIEW', deadlines: { reviewDueAt: '2025-09-01T23:59:59+08:00' } },
      now,
    );
    expect(s.timeoutSeconds).toBe(1);
  });
});

describe('status sets', () => {
  it('approved money is never withdrawn, and terminal statuses have no human step', () => {
    expect(WITHDRAWABLE).not.toContain('APPROVED');
    for (const s of HUMAN_STEPS) expect(TERMINAL.has(s)).toBe(false);
    expect(dueAtFor('IN_PROGRESS', { completionDueAt: 'x' })).toBe('x');
    expect(dueAtFor('APPROVED', { completionDueAt: 'c' })).toBe('c');
    expect(dueAtFor('APPROVED', { startDueAt: 's', completionDueAt: 'c' })).toBe('s');
  });
});

describe('windowClosesAt and durations', () => {
  it('rounds the 23:59:59 end up to the next second', () => {
    expect(windowClosesAt('2025-12-31T23:59:59+08:00')).toBe('2025-12-31T16:00:00Z');
  });

  it('parses the durations the clock takes and refuses others', () => {
    expect(parseDuration('P7D')).toBe(7 * 86400_000);
    expect(parseDuration('PT36H')).toBe(36 * 3600_000);
    expect(parseDuration('P1DT2H30M')).toBe((86400 + 2 * 3600 + 1800) * 1000);
    expect(parseDuration('P2W')).toBe(14 * 86400_000);
    expect(parseDuration('7 days')).toBeUndefined();
    expect(parseDuration('P')).toBeUndefined();
    expect(parseDuration('PT')).toBeUndefined();
  });
});

describe('awaitsItsToken', () => {
  it('is true in a human step without a token that serves it, false otherwise', () => {
    // Prepare: without a start deadline, the approved step waits on the completion deadline, as work in progress does
    const oneWait = { completionDueAt: '2025-11-30T15:59:59.000Z' };
    const twoWaits = { ...oneWait, startDueAt: '2025-10-10T15:59:59.000Z' };

    // Act & Assess: a human step waits for its own token, or one parked for a step that shares its wait
    expect(awaitsItsToken({ status: 'UNDER_REVIEW' })).toBe(true);
    expect(awaitsItsToken({ status: 'UNDER_REVIEW', taskToken: 't', taskStatus: 'UNDER_REVIEW' })).toBe(false);
    expect(awaitsItsToken({ status: 'IN_PROGRESS', taskToken: 't', taskStatus: 'AWAITING_APPROVAL' })).toBe(true);
    expect(awaitsItsToken({ status: 'IN_PROGRESS', taskToken: 't', taskStatus: 'APPROVED', deadlines: oneWait })).toBe(
      false,
    );
    expect(awaitsItsToken({ status: 'IN_PROGRESS', taskToken: 't', taskStatus: 'APPROVED', deadlines: twoWaits })).toBe(
      true,
    );
    // Statuses that are no human step never wait for a token
    expect(awaitsItsToken({ status: 'IN_PUBLICITY' })).toBe(false);
    expect(awaitsItsToken({ status: 'DRAFT' })).toBe(false);
    expect(awaitsItsToken({ status: 'CLOSED' })).toBe(false);
  });
});

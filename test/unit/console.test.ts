import { describe, expect, it } from 'vitest';
import type { HolidayCalendar } from '../../functions/domain/calendar.ts';
import { actionsFor, type ActionContext } from '../../infra/console/src/actions.ts';
import { fenToYuanText, yuanToFen } from '../../infra/console/src/format.ts';
import { fieldOf, formProblem } from '../../infra/console/src/problems.ts';
import { mayRetrySameKey, SubmissionKeys } from '../../infra/console/src/submission.ts';
import { calendarDaysLeft, daysLeftText, workingDaysLeft } from '../../infra/console/src/workdays.ts';
import { communityQueue, type QueueProject, streetQueue } from '../../infra/console/src/workQueue.ts';

// The staff console's pure parts: the work queue, working days left, refusals → fields, submissions.

const cal2025: HolidayCalendar = {
  year: 2025,
  holidays: [
    '2025-10-01',
    '2025-10-02',
    '2025-10-03',
    '2025-10-04',
    '2025-10-05',
    '2025-10-06',
    '2025-10-07',
    '2025-10-08',
  ],
  workdays: ['2025-09-28', '2025-10-11'],
  source: 'test excerpt',
};
const calendars = new Map([[2025, cal2025]]);

describe('working days left', () => {
  it('counts the National Day holiday out and the make-up Saturday in', () => {
    const left = workingDaysLeft('2025-10-14T23:59:59+08:00', new Date('2025-09-30T10:00:00+08:00'), calendars);

    // 9, 10, 11 (Saturday, worked), 13, 14 October; weekends-only arithmetic would say 10.
    expect(left).toEqual({ days: 5, overdue: false, assumed: false });
    expect(daysLeftText(left)).toBe('还剩 5 个工作日');
  });

  it('says "today" on the last day and counts working days overdue after it', () => {
    const today = workingDaysLeft('2025-10-14T23:59:59+08:00', new Date('2025-10-14T18:00:00+08:00'), calendars);
    const late = workingDaysLeft('2025-10-14T23:59:59+08:00', new Date('2025-10-16T09:00:00+08:00'), calendars);

    expect(daysLeftText(today)).toBe('今天截止');
    expect(late).toEqual({ days: -2, overdue: true, assumed: false });
    expect(daysLeftText(late)).toBe('已逾期 2 个工作日');
  });

  it('says so when a year has no calendar and Monday to Friday was assumed', () => {
    const left = workingDaysLeft('2026-01-06T23:59:59+08:00', new Date('2025-12-30T10:00:00+08:00'), calendars);

    expect(left.assumed).toBe(true);
    expect(daysLeftText(left)).toContain('按周一至周五估算');
  });
});

const project = (over: Partial<QueueProject> & { id: string; status: string }): QueueProject => ({
  title: over.id,
  communityId: 'gd-gdjd-xh',
  amountFen: 1_000_000,
  ...over,
});

describe('the street work queue', () => {
  const projects: QueueProject[] = [
    project({
      id: 'approve-late',
      status: 'AWAITING_APPROVAL',
      deadlines: { approvalDueAt: '2025-10-20T23:59:59+08:00' },
    }),
    project({ id: 'review-soon', status: 'UNDER_REVIEW', deadlines: { reviewDueAt: '2025-10-09T23:59:59+08:00' } }),
    project({
      id: 'objection',
      status: 'OBJECTION_REVIEW',
      deadlines: { objectionReviewDueAt: '2025-10-14T23:59:59+08:00' },
    }),
    project({ id: 'draft', status: 'DRAFT' }),
    project({ id: 'publicity', status: 'IN_PUBLICITY', deadlines: { publicityEndsAt: '2025-10-01T23:59:59+08:00' } }),
    project({
      id: 'reported',
      status: 'IN_PROGRESS',
      tranches: [
        {
          n: 1,
          amountFen: 500_000,
          acceptedAt: '2025-10-10T10:00:00+08:00',
          attempts: [{ at: '2025-10-10T10:00:00+08:00' }],
        },
        { n: 2, amountFen: 300_000, attempts: [] },
        { n: 3, amountFen: 200_000, attempts: [] },
      ],
      progress: [{ at: '2025-10-12T10:00:00+08:00', percent: 80 }],
    }),
    project({
      id: 'not-reported',
      status: 'IN_PROGRESS',
      deadlines: { completionDueAt: '2025-10-01T23:59:59+08:00' },
      tranches: [
        { n: 1, amountFen: 500_000, attempts: [] },
        { n: 2, amountFen: 500_000, attempts: [] },
      ],
      // 40 % done: not yet the half that the first stage pays for.
      progress: [{ at: '2025-09-30T10:00:00+08:00', percent: 40 }],
    }),
  ];

  it('holds what awaits the street, soonest deadline first and those without one last', () => {
    const queue = streetQueue(projects);

    expect(queue.map((q) => [q.project.id, q.task, q.label])).toEqual([
      ['review-soon', 'review', '立项审核'],
      ['objection', 'objections', '处理异议'],
      ['approve-late', 'approval', '项目审批'],
      ['reported', 'acceptance', '第 2 阶段验收'],
    ]);
  });

  it('leaves out approvals the profile gives to someone else', () => {
    const queue = streetQueue(projects, (p) => (p.amountFen <= 5_000_000 ? 'community' : 'street'));

    expect(queue.map((q) => q.task)).not.toContain('approval');
  });

  it('shows the community what it must do first, then what it waits for', () => {
    const steps = communityQueue(projects);

    expect(steps.slice(0, 2).map((s) => [s.project.id, s.label])).toEqual([
      ['not-reported', '报告实施进度，申请验收'],
      ['draft', '记录决策程序后提交审核'],
    ]);
    expect(steps.find((s) => s.project.id === 'reported')?.label).toBe('等待街道第 2 阶段验收');
  });
});

describe('a refusal shown beside its field', () => {
  it('puts each error under the field its path names, in Chinese', () => {
    const shown = formProblem({
      status: 400,
      errors: [
        { path: 'title', message: 'must not be empty' },
        { path: 'sources.0.amountFen', message: 'Too small: expected number to be >=1' },
        { path: 'title', message: 'second message for the same field' },
      ],
    });

    expect(shown.fields).toEqual({ title: '请填写此项', sources: '不能小于 1' });
    expect(shown.form).toBe('提交的内容有误，请按红字提示修改。');
    expect(fieldOf('body.plannedEnd')).toBe('plannedEnd');
    expect(fieldOf('')).toBe('_form');
  });

  it('names the amount when the budget refuses, and the missing steps by their names', () => {
    const budget = formProblem({ status: 409, detail: 'over budget', availableFen: 1_000_000 });
    const missing = formProblem(
      { status: 409, detail: 'missing', missingSteps: ['residents_resolution'] },
      { residents_resolution: '居民代表会议决议' },
    );
    const state = formProblem({ status: 409, detail: 'state', currentStatus: 'IN_PUBLICITY' });

    expect(budget.fields.amountFen).toContain('10,000.00 元');
    expect(missing.form).toContain('居民代表会议决议');
    expect(state.form).toContain('正在公示');
  });
});

describe('one Idempotency-Key per submission', () => {
  it('keeps the key for a retry of the same content and makes a new one for new content or after an answer', () => {
    let n = 0;
    const keys = new SubmissionKeys(() => `k${++n}`);

    const first = keys.keyFor('{"a":1}');
    const retry = keys.keyFor('{"a":1}');
    const changed = keys.keyFor('{"a":2}');
    keys.settled();
    const next = keys.keyFor('{"a":2}');

    expect([first, retry, changed, next]).toEqual(['k1', 'k1', 'k2', 'k3']);
  });

  it('keeps the key only when the API may not have answered (network failure, server error)', () => {
    expect([0, 500, 503].map(mayRetrySameKey)).toEqual([true, true, true]);
    expect([400, 409, 422].map(mayRetrySameKey)).toEqual([false, false, false]);
  });
});

describe('amounts typed in yuan', () => {
  it('become integer fen without floating point, and come back as typed', () => {
    expect(['30000', '30,000.5', '0.29', '1234.56 元', '１', '1.234', 'abc', ''].map(yuanToFen)).toEqual([
      3_000_000,
      3_000_050,
      29,
      123_456,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect([3_000_000, 3_000_050, 29].map(fenToYuanText)).toEqual(['30000', '30000.50', '0.29']);
  });
});

describe('the steps offered on a project page', () => {
  const ctx = (over: Partial<ActionContext>): ActionContext => ({
    role: 'community',
    status: 'DRAFT',
    delivery: 'self',
    approver: 'street',
    reviewer: 'street',
    deliberationHolders: ['community'],
    trancheLeft: true,
    ...over,
  });

  it('gives each role only the steps of the current status that are its own', () => {
    expect(actionsFor(ctx({}))).toEqual(['edit', 'deliberate', 'submit', 'withdraw']);
    expect(actionsFor(ctx({ role: 'street', status: 'UNDER_REVIEW' }))).toEqual(['review']);
    expect(actionsFor(ctx({ role: 'community', status: 'UNDER_REVIEW', deliberationHolders: [] }))).toEqual([
      'withdraw',
    ]);
    expect(actionsFor(ctx({ role: 'street', status: 'AWAITING_APPROVAL', approver: 'community' }))).toEqual([]);
    expect(
      actionsFor(ctx({ role: 'community', status: 'APPROVED', delivery: 'social_org', deliberationHolders: [] })),
    ).toEqual(['contract', 'progress', 'changeRequest']);
    expect(actionsFor(ctx({ role: 'street', status: 'IN_PROGRESS' }))).toEqual(['accept']);
    expect(actionsFor(ctx({ role: 'street', status: 'IN_PROGRESS', trancheLeft: false }))).toEqual([]);
    expect(actionsFor(ctx({ role: 'auditor', status: 'IN_PROGRESS', deliberationHolders: [] }))).toEqual([]);
  });
});

describe('a publicity window counted down', () => {
  it('counts calendar days, holidays included, since the window is not working days', () => {
    const left = calendarDaysLeft('2025-10-08T23:59:59+08:00', new Date('2025-09-30T10:00:00+08:00'));
    const closed = calendarDaysLeft('2025-10-08T23:59:59+08:00', new Date('2025-10-10T10:00:00+08:00'));

    expect(daysLeftText(left)).toBe('还剩 8 天');
    expect(closed.days).toBe(-2);
    expect(daysLeftText(closed)).toBe('已结束');
  });
});

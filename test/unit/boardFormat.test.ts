import { describe, expect, it } from 'vitest';
import { ApiProblem } from '../../infra/board/src/api.ts';
import { cnDate, cnDateTime, daysLeft, daysLeftText, openedAt, yuan } from '../../infra/board/src/format.ts';
import { fieldErrors, fieldMessage, problemMessage } from '../../infra/board/src/problems.ts';

// What residents read on the board: money, Beijing-time dates, days left, and the API's refusals in Chinese.
describe('board formatting', () => {
  it('shows fen as yuan with two decimals and thousands separators', () => {
    expect(yuan(3_000_000)).toBe('30,000.00 元');
    expect(yuan(1)).toBe('0.01 元');
    expect(yuan(100_000_000_001)).toBe('1,000,000,000.01 元');
  });

  it('dates instants on the Shanghai calendar, and plain dates as they are', () => {
    expect(cnDate('2025-09-30T23:59:59+08:00')).toBe('2025年9月30日');
    expect(cnDate('2025-09-30T16:30:00Z')).toBe('2025年10月1日');
    expect(cnDate('2025-12-15')).toBe('2025年12月15日');
    expect(cnDateTime('2025-09-23T02:00:00Z')).toBe('2025年9月23日 10:00');
  });

  it('counts days left on the calendar from the server clock, and says when a window ended', () => {
    const end = '2025-09-30T23:59:59+08:00';
    expect(daysLeft(end, new Date('2025-09-23T02:00:00Z'))).toBe(7);
    expect(daysLeftText(end, new Date('2025-09-23T02:00:00Z'))).toBe('还剩 7 天');
    expect(daysLeftText(end, new Date('2025-09-30T15:00:00Z'))).toBe('今天截止');
    expect(daysLeftText(end, new Date('2025-09-30T16:00:00Z'))).toBe('已于2025年9月30日结束');
  });

  it('takes the window start from the last entry into the status', () => {
    const history = [
      { at: '2025-09-01T02:00:00Z', fromStatus: 'UNDER_REVIEW', toStatus: 'IN_PUBLICITY' },
      { at: '2025-09-05T02:00:00Z', fromStatus: 'IN_PUBLICITY', toStatus: 'IN_PUBLICITY' },
      { at: '2025-09-09T02:00:00Z', fromStatus: 'IN_PUBLICITY', toStatus: 'RETURNED' },
      { at: '2025-09-23T02:00:00Z', fromStatus: 'UNDER_REVIEW', toStatus: 'IN_PUBLICITY' },
    ];
    expect(openedAt(history, 'IN_PUBLICITY')).toBe('2025-09-23T02:00:00Z');
    expect(openedAt(history, 'COMPLETION_PUBLICITY')).toBeUndefined();
  });
});

describe('board problems', () => {
  it("puts the API's field messages in Chinese, by the field they name", () => {
    const p = new ApiProblem(400, 'Bad Request', 'The body does not match the rules', [
      { path: 'content', message: 'must not be empty' },
      { path: 'contact', message: 'at most 100 characters' },
    ]);
    expect(fieldErrors(p)).toEqual({ content: '请填写此项（不能只填空格）', contact: '不能超过 100 个字' });
    expect(fieldMessage('something new')).toBe('填写有误，请检查');
  });

  it('words each refusal for the resident', () => {
    expect(problemMessage(new ApiProblem(409, 'Conflict', ''), 'objection')).toContain('公示期已结束');
    expect(problemMessage(new ApiProblem(429, 'Too Many Requests', ''))).toContain('频繁');
    expect(problemMessage(new ApiProblem(0, 'Network Error', ''))).toContain('网络');
    expect(problemMessage(new Error('x'))).toBe('出错了，请稍后再试。');
  });
});

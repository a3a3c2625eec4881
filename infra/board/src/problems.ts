import { ApiProblem } from './api.ts';

/** The API's field messages in Chinese; anything unknown falls back to a general wording. */
export const fieldMessage = (message: string): string => {
  if (/must not be empty/i.test(message)) return '请填写此项（不能只填空格）';
  const max = /at most (\d+) characters/i.exec(message);
  if (max) return `不能超过 ${max[1]} 个字`;
  if (/unknown field/i.test(message)) return '不能提交此项';
  if (/expected string|invalid input/i.test(message)) return '内容格式不正确';
  return '填写有误，请检查';
};

/** A whole-form message for a problem, in Chinese. */
export const problemMessage = (p: unknown, what: 'objection' | 'need' | 'read' = 'read'): string => {
  if (!(p instanceof ApiProblem)) return '出错了，请稍后再试。';
  switch (p.status) {
    case 0:
      return '网络连接失败，请检查网络后再试。';
    case 400:
    case 422:
      return '提交的内容有误，请按提示修改。';
    case 404:
      return what === 'need' ? '找不到该社区，请重新选择社区。' : '找不到该项目或社区。';
    case 409:
      return what === 'objection' ? '该项目的公示期已结束，不能再提出异议。' : '当前状态下不能提交。';
    case 413:
      return '内容太长，请删减后再提交。';
    case 429:
      return '提交过于频繁，请稍后再试。';
    default:
      return '服务器暂时无法处理，请稍后再试。';
  }
};

/** Field name → Chinese message, from a problem's `errors` (the field the API named). */
export const fieldErrors = (p: unknown): Record<string, string> => {
  if (!(p instanceof ApiProblem)) return {};
  const out: Record<string, string> = {};
  for (const e of p.errors) {
    const field = e.path.replace(/^body\./, '').split('.')[0] || '_';
    out[field] ??= fieldMessage(e.message);
  }
  return out;
};

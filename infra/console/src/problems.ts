/**
 * An API refusal (RFC 9457 problem+json) turned into what a form shows: a Chinese message
 * beside each field the problem names, and one for the whole form. Pure: no DOM, no fetch.
 */
import { STATUS_LABELS } from './format.ts';

export interface FieldError {
  path: string;
  message: string;
}

/** The parts of a problem+json body the console reads; status 0 is a network failure. */
export interface ProblemBody {
  status: number;
  title?: string;
  detail?: string;
  errors?: FieldError[];
  [extra: string]: unknown;
}

/** A problem as the form shows it: messages keyed by field name, and one for the form. */
export interface FormProblem {
  fields: Record<string, string>;
  form: string;
}

const yuan = (fen: number) => `${(fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2 })} 元`;

/** The Chinese wording of one field message of the API (zod's English, or a domain rule). */
export const fieldMessage = (message: string): string => {
  const m = message.trim();
  let r: RegExpExecArray | null;
  if (/must not be empty|too small: expected string to have >=1/i.test(m)) return '请填写此项';
  if (/^required|expected .*, received undefined/i.test(m)) return '请填写此项';
  if ((r = /at most (\d+) characters|expected string to have <=\s?(\d+)/i.exec(m)))
    return `不能超过 ${r[1] ?? r[2]} 个字`;
  if ((r = /expected number to be >=\s?(-?\d+)/i.exec(m))) return `不能小于 ${r[1]}`;
  if ((r = /expected number to be <=\s?(-?\d+)/i.exec(m))) return `不能大于 ${r[1]}`;
  if (/expected int|integer/i.test(m)) return '请填写整数';
  if (/expected number/i.test(m)) return '请填写数字';
  if (/invalid option|expected one of/i.test(m)) return '请从列表中选择';
  if (/date|YYYY-MM-DD/i.test(m)) return '请填写正确的日期';
  if (/unknown field/i.test(m)) return '不能提交此项';
  if (/prohibit/i.test(m)) return '政策禁止将专项经费用于此用途';
  if (/restrict/i.test(m)) return '此类用途受限，须写明理由';
  if (/sum|add up/i.test(m)) return '各来源金额之和须等于总额';
  if (/more votes than/i.test(m)) return '票数合计不能多于到会人数';
  if (/disqualif/i.test(m)) return '该承接方本年度已被取消资格';
  if (/exceeds/i.test(m)) return '超出允许的金额';
  if (/another body/i.test(m)) return '本次提交的内容已改变，请重新提交';
  return `不符合规定（${m}）`;
};

/** The form field a problem path names: `body.sources.0.amountFen` → `sources`. */
export const fieldOf = (path: string): string => path.replace(/^(body|query|path)\.?/, '').split('.')[0] || '_form';

/** The whole-form wording of a refusal, by status and the facts it carries. */
const formMessage = (p: ProblemBody, stepNames: Record<string, string>): string => {
  if (Array.isArray(p.missingSteps) && p.missingSteps.length)
    return `还缺少以下决策程序：${(p.missingSteps as string[]).map((s) => stepNames[s] ?? s).join('、')}。请先记录后再提交。`;
  switch (p.status) {
    case 0:
      return '网络连接失败，请检查网络后再试（再次提交不会重复办理）。';
    case 400:
    case 422:
      return '提交的内容有误，请按红字提示修改。';
    case 401:
      return '登录已过期，请重新登录。';
    case 403:
      return '您的岗位不能办理这一步。';
    case 404:
      return '找不到该记录，可能不属于您的单位。';
    case 409:
      if (typeof p.currentStatus === 'string')
        return `项目当前状态为「${STATUS_LABELS[p.currentStatus] ?? p.currentStatus}」，不能办理这一步。请刷新页面查看最新情况。`;
      if (typeof p.availableFen === 'number') return `经费额度不足：可用 ${yuan(p.availableFen)}。`;
      return `当前不能办理：${p.detail ?? ''}`;
    case 413:
      return '内容太长，请删减后再提交。';
    case 429:
      return '提交过于频繁，请稍后再试。';
    default:
      return '服务器暂时无法处理，请稍后再试（再次提交不会重复办理）。';
  }
};

/**
 * Maps a refusal to messages beside the fields it names (the first message per field wins)
 * and one for the whole form. A budget refusal without a field names the amount.
 */
export const formProblem = (p: ProblemBody, stepNames: Record<string, string> = {}): FormProblem => {
  const fields: Record<string, string> = {};
  for (const e of p.errors ?? []) fields[fieldOf(e.path)] ??= fieldMessage(e.message);
  if (p.status === 409 && typeof p.availableFen === 'number' && !fields.amountFen)
    fields.amountFen = `超出可用额度（可用 ${yuan(p.availableFen)}）`;
  return { fields, form: formMessage(p, stepNames) };
};

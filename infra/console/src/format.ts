/**
 * Display helpers: the notice board's Chinese labels and date/money wording (one source for
 * both), plus what only staff type in: amounts in yuan.
 */
import { ACTION_LABELS } from '../../board/src/format.ts';

export {
  ACTION_LABELS,
  CHANNEL_LABELS,
  DEADLINE_LABELS,
  DELIVERY_LABELS,
  KIND_LABELS,
  STATUS_LABELS,
  cnDate,
  cnDateTime,
  label,
  yuan,
} from '../../board/src/format.ts';

/** History actions: the board's labels plus those only staff see. */
export const HISTORY_LABELS: Record<string, string> = {
  ...ACTION_LABELS,
  reminder_sent: '发送办理提醒',
  completion_publicity_closed: '完成公示结束',
  contact_updated: '更新联系方式',
};

export const ROLE_LABELS: Record<string, string> = {
  district: '区级管理员',
  street: '街道工作人员',
  community: '社区工作人员',
  auditor: '审计人员',
  undertaker: '承接方',
};

export const TYPE_LABELS: Record<string, string> = { service: '服务类', goods: '货物类', works: '工程类' };

/**
 * Yuan as typed ("30000", "30,000.5", "30000.50 元") → integer fen, or undefined when
 * it is not an amount. Parsed as text, never through a float, so 0.29 元 is 29 fen exactly.
 */
export const yuanToFen = (text: string): number | undefined => {
  const t = text.replace(/[,，\s]/g, '').replace(/元$/, '');
  const m = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(t);
  if (!m) return undefined;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
};

/** Integer fen → the yuan text a staff member would type back ("30000.5" → "30000.50"). */
export const fenToYuanText = (fen: number): string =>
  `${Math.floor(fen / 100)}${fen % 100 ? `.${String(fen % 100).padStart(2, '0')}` : ''}`;

/** The Shanghai calendar day of an instant, YYYY-MM-DD. */
export const shanghaiIsoDay = (d: Date): string => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

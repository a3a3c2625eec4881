/** Formatting for residents: yuan from fen, dates on the Shanghai calendar, Chinese labels. */

const SHANGHAI_MS = 8 * 3600_000;

/** 3000000 fen → "30,000.00 元". Money is whole fen everywhere; this is only display. */
export const yuan = (fen: number): string => {
  const neg = fen < 0;
  const abs = Math.abs(Math.round(fen));
  const whole = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}${whole}.${String(abs % 100).padStart(2, '0')} 元`;
};

/** The Shanghai calendar day of an instant or a YYYY-MM-DD date, as [y, m, d]. */
export const shanghaiDay = (iso: string | Date): [number, number, number] => {
  if (typeof iso === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(iso)) {
    const [y, m, d] = iso.split('-').map(Number);
    return [y, m, d];
  }
  const t = new Date(new Date(iso).getTime() + SHANGHAI_MS);
  return [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()];
};

/** "2025年9月30日". */
export const cnDate = (iso: string | Date | undefined): string => {
  if (!iso) return '—';
  const [y, m, d] = shanghaiDay(iso);
  return `${y}年${m}月${d}日`;
};

/** "2025年9月23日 10:00" (Beijing time). */
export const cnDateTime = (iso: string | undefined): string => {
  if (!iso) return '—';
  const t = new Date(new Date(iso).getTime() + SHANGHAI_MS);
  return `${cnDate(iso)} ${String(t.getUTCHours()).padStart(2, '0')}:${String(t.getUTCMinutes()).padStart(2, '0')}`;
};

/** Whole calendar days from `now`'s Shanghai day to `end`'s: 0 on the last day. */
export const daysLeft = (end: string, now: Date): number => {
  const a = shanghaiDay(end);
  const b = shanghaiDay(now);
  return Math.round((Date.UTC(a[0], a[1] - 1, a[2]) - Date.UTC(b[0], b[1] - 1, b[2])) / 86400_000);
};

/** The window's wording for a list or a project: days left counted on the server's clock. */
export const daysLeftText = (end: string | undefined, now: Date): string => {
  if (!end) return '';
  if (new Date(end).getTime() < now.getTime()) return `已于${cnDate(end)}结束`;
  const n = daysLeft(end, now);
  return n <= 0 ? '今天截止' : `还剩 ${n} 天`;
};

/** When the current (latest) window opened: the last entry into `status` in the public history. */
export const openedAt = (
  history: { at: string; toStatus?: string | null; fromStatus?: string | null }[],
  status: string,
): string | undefined => [...history].reverse().find((h) => h.toStatus === status && h.fromStatus !== status)?.at;

export const STATUS_LABELS: Record<string, string> = {
  DRAFT: '草稿',
  UNDER_REVIEW: '街道审核中',
  RETURNED: '退回修改',
  IN_PUBLICITY: '正在公示',
  OBJECTION_REVIEW: '异议处理中',
  AWAITING_APPROVAL: '待审批',
  APPROVED: '已审批',
  IN_PROGRESS: '实施中',
  COMPLETION_PUBLICITY: '完成公示中',
  CLOSED: '已完成',
  REJECTED: '未通过',
  WITHDRAWN: '已撤回',
  FAILED: '未完成',
};

export const ACTION_LABELS: Record<string, string> = {
  created: '项目创建',
  edited: '修改项目',
  deliberation_recorded: '记录决策程序',
  submitted: '提交审核',
  review_passed: '街道审核通过，进入公示',
  review_returned: '街道退回修改',
  objection_received: '收到异议',
  objection_resolved: '异议已处理',
  objections_dismissed: '异议不成立',
  returned_after_objection: '因异议退回修改',
  publicity_closed: '公示期结束',
  approved: '审批通过',
  rejected: '审批未通过',
  contract_signed: '签订服务协议',
  implementation_started: '开始实施',
  progress_reported: '报告实施进度',
  acceptance_passed: '验收合格',
  acceptance_failed: '验收不合格',
  change_requested: '申请变更',
  change_decided: '变更已审定',
  completion_publicity_opened: '完成公示开始',
  closed: '项目完结',
  withdrawn: '社区撤回',
  failed_at_year_end: '年底未完成',
  escalated: '逾期提醒上报',
};

export const DEADLINE_LABELS: Record<string, string> = {
  reviewDueAt: '街道审核截止',
  publicityEndsAt: '公示截止',
  objectionReviewDueAt: '异议处理截止',
  approvalDueAt: '审批截止',
  startDueAt: '开始实施截止',
  completionDueAt: '完成截止',
  completionPublicityEndsAt: '完成公示截止',
};

export const DELIVERY_LABELS: Record<string, string> = {
  self: '社区自行实施',
  social_org: '社会组织承接',
  enterprise: '企业承接',
  individual: '个人承接',
};

export const CHANNEL_LABELS: Record<string, string> = {
  public: '居民网上反映',
  visit: '入户走访',
  walk_in: '来访',
  survey: '问卷调查',
  suggestion_box: '意见箱',
  wechat: '微信',
  meeting: '会议',
  hotline: '热线',
};

export const KIND_LABELS: Record<string, string> = {
  urban: '城市社区',
  village: '村',
  village_to_residence: '村改居社区',
  social_org: '社会组织',
  enterprise: '企业',
  individual: '个人',
};

/** A label from a table, or the raw code when the table has none (never an empty cell). */
export const label = (table: Record<string, string>, code: string | undefined): string =>
  code ? (table[code] ?? code) : '—';

/**
 * What awaits each unit, derived from the projects it can see: the street's queue of
 * reviews, objection resolutions, approvals and acceptances, and the community's next step
 * on each project. Pure: the projects come in, ordered rows go out.
 */

/** The fields of a project (GET /v1/projects) the queues read. */
export interface QueueProject {
  id: string;
  title: string;
  communityId: string;
  status: string;
  amountFen: number;
  deadlines?: Partial<Record<string, string>>;
  tranches?: { n: number; amountFen: number; acceptedAt?: string; attempts: { at: string }[] }[];
  progress?: { at: string; percent: number }[];
  objections?: { resolution?: unknown }[];
}

export type StreetTask = 'review' | 'objections' | 'approval' | 'acceptance';

export interface QueueItem {
  project: QueueProject;
  task: StreetTask;
  /** What to do, in Chinese. */
  label: string;
  dueAt?: string;
  /** The stage to accept, for an acceptance. */
  tranche?: number;
}

/** The next stage not yet accepted, or undefined when all are. */
export const nextTranche = (p: QueueProject): number | undefined => p.tranches?.find((t) => !t.acceptedAt)?.n;

/**
 * A stage awaits the street once the community's latest progress report reaches the share
 * of the work that the stages up to it pay for (5:3:2 → 50 %, 80 %, 100 %): before that
 * there is nothing to inspect. Timestamps are not compared, since one instant may hold both
 * a report and an acceptance.
 */
const awaitsAcceptance = (p: QueueProject): boolean => {
  const n = nextTranche(p);
  const tranches = p.tranches ?? [];
  if (n === undefined || !p.progress?.length) return false;
  const total = tranches.reduce((s, t) => s + t.amountFen, 0);
  const upTo = tranches.filter((t) => t.n <= n).reduce((s, t) => s + t.amountFen, 0);
  const latest = p.progress.reduce((a, r) => (r.at >= a.at ? r : a));
  return total > 0 && latest.percent * total >= upTo * 100;
};

/** Earliest deadline first; items without one last; then by title, so the order is stable. */
export const byDeadline = <T extends { dueAt?: string; project: { title: string } }>(a: T, b: T): number => {
  const ta = a.dueAt ? Date.parse(a.dueAt) : Number.POSITIVE_INFINITY;
  const tb = b.dueAt ? Date.parse(b.dueAt) : Number.POSITIVE_INFINITY;
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.project.title.localeCompare(b.project.title, 'zh-CN');
};

/** Who approves a project under the profile: `street`, `district`, or `community` on a fast path. */
export type ApproverOf = (p: QueueProject) => string;
const streetApproves: ApproverOf = () => 'street';

/**
 * The street's work queue, soonest deadline first. `approverOf` says who approves each
 * project under the profile: where the district or the community does, the street has
 * nothing to do at approval.
 */
export const streetQueue = (projects: QueueProject[], approverOf: ApproverOf = streetApproves): QueueItem[] => {
  const items: QueueItem[] = [];
  for (const p of projects) {
    const d = p.deadlines ?? {};
    if (p.status === 'UNDER_REVIEW')
      items.push({ project: p, task: 'review', label: '立项审核', dueAt: d.reviewDueAt });
    else if (p.status === 'OBJECTION_REVIEW')
      items.push({ project: p, task: 'objections', label: '处理异议', dueAt: d.objectionReviewDueAt });
    else if (p.status === 'AWAITING_APPROVAL' && approverOf(p) === 'street')
      items.push({ project: p, task: 'approval', label: '项目审批', dueAt: d.approvalDueAt });
    else if (p.status === 'IN_PROGRESS' && awaitsAcceptance(p)) {
      const n = nextTranche(p)!;
      items.push({ project: p, task: 'acceptance', label: `第 ${n} 阶段验收`, dueAt: d.completionDueAt, tranche: n });
    }
  }
  return items.sort(byDeadline);
};

export interface NextStep {
  project: QueueProject;
  /** What happens next, in Chinese. */
  label: string;
  /** Whether the community itself must act (else it waits for someone). */
  ours: boolean;
  dueAt?: string;
  /** The deadline's name in `deadlines` (publicity windows count calendar days). */
  dueKey?: string;
}

/** The community's next step on one project under the profile's approvers. */
export const communityNextStep = (p: QueueProject, approverOf: ApproverOf = streetApproves): NextStep => {
  const d = p.deadlines ?? {};
  const key = CURRENT_DEADLINE[p.status];
  const step = (label: string, ours: boolean, dueAt?: string): NextStep => ({
    project: p,
    label,
    ours,
    dueAt,
    dueKey: dueAt ? key : undefined,
  });
  switch (p.status) {
    case 'DRAFT':
      return step('记录决策程序后提交审核', true);
    case 'RETURNED':
      return step('按街道意见修改后重新提交', true);
    case 'UNDER_REVIEW':
      return step('等待街道审核', false, d.reviewDueAt);
    case 'IN_PUBLICITY':
      return step('公示中，等待公示期结束', false, d.publicityEndsAt);
    case 'OBJECTION_REVIEW':
      return step('等待街道处理异议', false, d.objectionReviewDueAt);
    case 'AWAITING_APPROVAL':
      return approverOf(p) === 'community'
        ? step('由居民代表会议审批', true, d.approvalDueAt)
        : step(approverOf(p) === 'district' ? '等待区级审批' : '等待街道审批', false, d.approvalDueAt);
    case 'APPROVED':
      return step('签订承接协议，开始实施', true, d.startDueAt);
    case 'IN_PROGRESS':
      return awaitsAcceptance(p)
        ? step(`等待街道第 ${nextTranche(p)} 阶段验收`, false, d.completionDueAt)
        : step('报告实施进度，申请验收', true, d.completionDueAt);
    case 'COMPLETION_PUBLICITY':
      return step('完成公示中', false, d.completionPublicityEndsAt);
    default:
      return step('已结束', false);
  }
};

/** The community's projects, those awaiting it first, then soonest deadline first. */
export const communityQueue = (projects: QueueProject[], approverOf: ApproverOf = streetApproves): NextStep[] =>
  projects
    .map((p) => communityNextStep(p, approverOf))
    .sort((a, b) => (a.ours === b.ours ? byDeadline(a, b) : a.ours ? -1 : 1));

/** Whether a deadline has passed at `now`. */
export const isOverdue = (dueAt: string | undefined, now: Date): boolean =>
  dueAt !== undefined && Date.parse(dueAt) < now.getTime();

/** The deadline that the current status runs against; earlier ones are history. */
export const CURRENT_DEADLINE: Record<string, string> = {
  UNDER_REVIEW: 'reviewDueAt',
  IN_PUBLICITY: 'publicityEndsAt',
  OBJECTION_REVIEW: 'objectionReviewDueAt',
  AWAITING_APPROVAL: 'approvalDueAt',
  APPROVED: 'startDueAt',
  IN_PROGRESS: 'completionDueAt',
  COMPLETION_PUBLICITY: 'completionPublicityEndsAt',
};

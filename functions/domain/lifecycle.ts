/**
 * The project lifecycle as pure rules: which status allows which step, and what the
 * workflow needs to know to wait for the next one. No I/O here.
 */
export const STATUSES = [
  'DRAFT',
  'UNDER_REVIEW',
  'RETURNED',
  'IN_PUBLICITY',
  'OBJECTION_REVIEW',
  'AWAITING_APPROVAL',
  'APPROVED',
  'IN_PROGRESS',
  'COMPLETION_PUBLICITY',
  'CLOSED',
  'REJECTED',
  'WITHDRAWN',
  'FAILED',
] as const;
export type Status = (typeof STATUSES)[number];

export const TERMINAL: ReadonlySet<Status> = new Set(['CLOSED', 'REJECTED', 'WITHDRAWN', 'FAILED']);
export const EDITABLE: readonly Status[] = ['DRAFT', 'RETURNED'];
/** Every status before approval commits money. */
export const BEFORE_APPROVAL: readonly Status[] = [
  'DRAFT',
  'UNDER_REVIEW',
  'RETURNED',
  'IN_PUBLICITY',
  'OBJECTION_REVIEW',
  'AWAITING_APPROVAL',
];
/** Withdrawal is possible until the money is committed by approval. */
export const WITHDRAWABLE: readonly Status[] = BEFORE_APPROVAL;
export const SUBMITTABLE: readonly Status[] = ['DRAFT', 'RETURNED'];
export const CHANGEABLE: readonly Status[] = ['APPROVED', 'IN_PROGRESS'];
/** Statuses that hold money on the allocation: approved once (a failed project keeps what it was paid). */
export const HOLDS_RESERVATION: readonly Status[] = [
  'APPROVED',
  'IN_PROGRESS',
  'COMPLETION_PUBLICITY',
  'CLOSED',
  'FAILED',
];

/** Where approval leads: a self-run project starts at once, any other waits for its contract. */
export const statusAfterApproval = (delivery: string): Status => (delivery === 'self' ? 'IN_PROGRESS' : 'APPROVED');

/** Statuses whose wait is a human step of the workflow (a parked task token). */
export const HUMAN_STEPS: readonly Status[] = [
  'UNDER_REVIEW',
  'RETURNED',
  'OBJECTION_REVIEW',
  'AWAITING_APPROVAL',
  'APPROVED',
  'IN_PROGRESS',
];

/**
 * True when a token parked for human step `parkedFor` also serves the project now in
 * `status`: both are human steps with the same deadline, and the parked step was not
 * escalated (its timeout would then be the next escalation). The workflow has nothing to
 * do at such a move, so it is not woken: an outsourced project's contract (APPROVED to
 * IN_PROGRESS) under a profile without a start deadline keeps one wait until acceptance.
 */
export const sharesWait = (
  parkedFor: Status | undefined,
  status: Status,
  p: { deadlines?: Deadlines; escalation?: { status: string } },
): boolean => {
  if (!parkedFor || !HUMAN_STEPS.includes(parkedFor) || !HUMAN_STEPS.includes(status)) return false;
  if (p.escalation?.status === parkedFor) return false;
  const due = dueAtFor(parkedFor, p.deadlines ?? {});
  return !!due && due === dueAtFor(status, p.deadlines ?? {});
};

/**
 * True when the token `p` holds was parked for `status`, or for a step whose wait `status`
 * shares.
 */
export const tokenServes = (
  p: { taskStatus?: Status; deadlines?: Deadlines; escalation?: { status: string } },
  status: Status,
): boolean => p.taskStatus === status || sharesWait(p.taskStatus, status, p);

/**
 * True when the workflow has parked, or is about to park, a token for the project's
 * status that `p` does not hold: `p` is in a human step, and holds no token that serves it.
 */
export const awaitsItsToken = (p: {
  status: Status;
  taskToken?: string;
  taskStatus?: Status;
  deadlines?: Deadlines;
  escalation?: { status: string };
}): boolean => HUMAN_STEPS.includes(p.status) && !(p.taskToken && tokenServes(p, p.status));

export interface Deadlines {
  reviewDueAt?: string;
  publicityEndsAt?: string;
  objectionReviewDueAt?: string;
  approvalDueAt?: string;
  startDueAt?: string;
  completionDueAt?: string;
  completionPublicityEndsAt?: string;
}

/** The deadline that the current status waits on, if any. */
export const dueAtFor = (status: Status, d: Deadlines): string | undefined => {
  switch (status) {
    case 'UNDER_REVIEW':
      return d.reviewDueAt;
    case 'IN_PUBLICITY':
      return d.publicityEndsAt;
    case 'OBJECTION_REVIEW':
      return d.objectionReviewDueAt;
    case 'AWAITING_APPROVAL':
      return d.approvalDueAt;
    case 'APPROVED':
      return d.startDueAt ?? d.completionDueAt;
    case 'IN_PROGRESS':
      return d.completionDueAt;
    case 'COMPLETION_PUBLICITY':
      return d.completionPublicityEndsAt;
    default:
      return undefined;
  }
};

/** What every workflow state receives and returns. */
export interface StepState {
  projectId: string;
  status: Status;
  /** The human step's deadline (ISO, +08:00), or null when it has none. */
  dueAt: string | null;
  /** Seconds from now to dueAt, for TimeoutSecondsPath (at least 1). */
  timeoutSeconds: number;
  /** The instant a timed window (publicity) ends, in UTC, for Wait.TimestampPath. */
  waitUntil: string | null;
  /** How many times the current step has been escalated. */
  escalations: number;
}

/** A human step with no deadline still needs a timeout for TimeoutSecondsPath: a year, the Standard execution limit. */
export const NO_DEADLINE_TIMEOUT_SECONDS = 365 * 24 * 3600 - 3600;

/** The state the workflow continues from, given the project's stored status and deadlines. */
export const stepStateOf = (
  p: {
    id: string;
    status: Status;
    deadlines?: Deadlines;
    escalation?: { status: string; level: number; nextDueAt?: string | null };
    afterPublicityDueAt?: string;
  },
  now: Date,
): StepState => {
  const deadlines = p.deadlines ?? {};
  const sameStep = p.escalation?.status === p.status;
  const escalations = sameStep ? p.escalation!.level : 0;
  const windowEnd =
    p.status === 'IN_PUBLICITY'
      ? deadlines.publicityEndsAt
      : p.status === 'COMPLETION_PUBLICITY'
        ? deadlines.completionPublicityEndsAt
        : undefined;
  const waitUntil = windowEnd ? windowClosesAt(windowEnd) : null;
  // The task that closes a publicity window parks the next human step's token, so its
  // deadline (counted from the close) is its timeout; a completion publicity has no next step.
  const dueAt = windowEnd
    ? p.status === 'IN_PUBLICITY'
      ? (p.afterPublicityDueAt ?? null)
      : null
    : // After an escalation the step waits for the next escalation instant (or none), not the passed deadline.
      sameStep
      ? (p.escalation!.nextDueAt ?? null)
      : (dueAtFor(p.status, deadlines) ?? null);
  const timerStart = waitUntil ? Math.max(Date.parse(waitUntil), now.getTime()) : now.getTime();
  return {
    projectId: p.id,
    status: p.status,
    dueAt,
    timeoutSeconds: dueAt
      ? Math.max(1, Math.ceil((Date.parse(dueAt) + 1000 - timerStart) / 1000))
      : NO_DEADLINE_TIMEOUT_SECONDS,
    waitUntil,
    escalations,
  };
};

/**
 * True when a task that starts now with `timeoutSeconds` times out at `dueAt` (within a
 * minute): the closing task parks the next step only then, and otherwise hands the state
 * back so that the step is parked afresh with its own timeout (a late close, a changed calendar).
 */
export const timeoutEndsAt = (step: { dueAt: string | null; timeoutSeconds: number }, now: Date): boolean =>
  !!step.dueAt && Math.abs(now.getTime() + step.timeoutSeconds * 1000 - (Date.parse(step.dueAt) + 1000)) <= 60_000;

/** A window "ends at 23:59:59": the wait lasts until the next second has begun, written in UTC. */
export const windowClosesAt = (endsAt: string): string =>
  new Date(Date.parse(endsAt) + 1000).toISOString().replace('.000Z', 'Z');

/**
 * The error a parked step is failed with when the project moved to a status its Next
 * state does not expect; the definition catches it and routes by the status instead.
 */
export const REROUTE_ERROR = 'Project.Reroute';

/**
 * True when a parked step may hand `status` to its own Next state: the status is the one
 * the step named (`continuesWith`), or the step named none (a step whose Next is Route, or
 * an execution of a definition from before continuesWith, where every Next is Route).
 */
export const continuesOnPath = (status: Status, continuesWith: Status | null | undefined): boolean =>
  !continuesWith || status === continuesWith;

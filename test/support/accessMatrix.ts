import { loadProfile } from '../../functions/policies/index.ts';
import { routeKey, type Role, type RouteSpec } from '../../functions/api/routes.ts';

/**
 * The authorization matrix: for every route, who gets through (2xx, or a state refusal
 * that proves authorization passed), who gets 403 and who 404, for a target in the
 * caller's own unit, in a sibling community of the same street, and in another street.
 * The cells are derived from the route's `access` (routes.ts), the org scope rules
 * (scope.ts, API.md "Scope") and, for steps, from who holds the step in the profile.
 */
export type Unit = 'own' | 'sibling' | 'foreign';
export const UNITS: readonly Unit[] = ['own', 'sibling', 'foreign'];

/** `ok`: authorization passed (2xx, or 400/409/422/429 because of state). `reached`: ok, or 404 because the thing does not exist yet. */
export type Outcome = 'ok' | 'reached' | 403 | 404;

/** The callers, each in the own unit: the own community gd-gdjd-xh, its street gd-gdjd. */
export const CALLER_UNIT: Record<Role, string> = {
  district: 'gd',
  street: 'gd-gdjd',
  community: 'gd-gdjd-xh',
  auditor: 'gd',
  undertaker: '', // the fixture undertaker's id, known once it is registered
};

export const COMMUNITY_OF: Record<Unit, string> = { own: 'gd-gdjd-xh', sibling: 'gd-gdjd-ld', foreign: 'gd-gjjd-gx' };
export const STREET_OF: Record<Unit, string> = { own: 'gd-gdjd', sibling: 'gd-gdjd', foreign: 'gd-gjjd' };

export interface Fixtures {
  year: number;
  /** Per unit: a WITHDRAWN project, so that a step that passed authorization is refused by state and changes nothing. */
  withdrawn: Record<Unit, string>;
  /** Per unit: a project IN_PUBLICITY with one objection. */
  inPublicity: Record<Unit, { id: string; objectionId: string }>;
  /** Per unit: a self-run project approved and IN_PROGRESS, with its tranches. */
  inProgress: Record<Unit, string>;
  /** A change request of the own unit's IN_PROGRESS project. */
  changeRequestId: string;
  undertakerId: string;
  calendar: { holidays: string[]; workdays: string[]; source: string };
}

export interface Call {
  path: string;
  body?: unknown;
}

export interface MatrixRow {
  /** `unit`: the target belongs to a community or street, so scope applies; `none`: the same for everyone allowed. */
  scope: 'unit' | 'none';
  /** Roles that hold this step; others allowed by the route get 403 on what they can see. */
  heldBy?: readonly Role[];
  /** What an allowed caller in scope gets; `ok` unless the target cannot exist yet. */
  whenAllowed?: Outcome;
  call(fx: Fixtures, unit: Unit): Call;
}

const guandu = loadProfile('guandu');
const REVIEWER = [guandu.review.by] as const;
const APPROVER = [guandu.approval.by] as const;
const FIRST_STEP = guandu.deliberation.steps[0];

const p = (fx: Fixtures, u: Unit) => fx.withdrawn[u];
const c = (u: Unit) => COMMUNITY_OF[u];
const s = (u: Unit) => STREET_OF[u];

export const MATRIX: Record<string, MatrixRow> = {
  'GET /v1/org': { scope: 'none', call: () => ({ path: '/v1/org' }) },
  'GET /v1/public/org': { scope: 'none', call: () => ({ path: '/v1/public/org' }) },
  'GET /v1/public/policy': { scope: 'none', call: () => ({ path: '/v1/public/policy' }) },
  'GET /v1/openapi.json': { scope: 'none', call: () => ({ path: '/v1/openapi.json' }) },
  'GET /v1/calendar/{year}': { scope: 'none', call: (fx) => ({ path: `/v1/calendar/${fx.year}` }) },
  'PUT /v1/calendar/{year}': { scope: 'none', call: (fx) => ({ path: `/v1/calendar/${fx.year}`, body: fx.calendar }) },

  'PUT /v1/allocations/{year}/{communityId}': {
    scope: 'unit',
    call: (fx, u) => ({
      path: `/v1/allocations/${fx.year}/${c(u)}`,
      body: { amountFen: 20_000_000, sources: [{ funder: '官渡区财政', amountFen: 20_000_000 }] },
    }),
  },
  'GET /v1/allocations/{year}/{communityId}': {
    scope: 'unit',
    call: (fx, u) => ({ path: `/v1/allocations/${fx.year}/${c(u)}` }),
  },
  'GET /v1/allocations/{year}': {
    scope: 'unit',
    call: (fx, u) => ({ path: `/v1/allocations/${fx.year}?streetId=${s(u)}` }),
  },

  'POST /v1/communities/{communityId}/needs': {
    scope: 'unit',
    call: (_fx, u) => ({
      path: `/v1/communities/${c(u)}/needs`,
      body: { title: '楼道照明', description: '三单元楼道灯不亮', channel: 'visit' },
    }),
  },
  'GET /v1/communities/{communityId}/needs': {
    scope: 'unit',
    call: (fx, u) => ({ path: `/v1/communities/${c(u)}/needs?year=${fx.year}` }),
  },
  'POST /v1/public/communities/{communityId}/needs': {
    scope: 'none',
    call: (_fx, u) => ({
      path: `/v1/public/communities/${c(u)}/needs`,
      body: { title: '路灯', description: '小区路灯坏了' },
    }),
  },

  'POST /v1/projects': {
    scope: 'unit',
    call: (fx, u) => ({
      path: '/v1/projects',
      body: {
        communityId: c(u),
        year: fx.year,
        title: '矩阵测试项目',
        category: 'property_service',
        type: 'works',
        amountFen: 100_000,
        delivery: 'self',
        measures: '维修',
        plannedEnd: '2025-12-15',
        needIds: [],
      },
    }),
  },
  'GET /v1/projects': {
    scope: 'unit',
    call: (fx, u) => ({ path: `/v1/projects?communityId=${c(u)}&year=${fx.year}` }),
  },
  'GET /v1/projects/{id}': { scope: 'unit', call: (fx, u) => ({ path: `/v1/projects/${p(fx, u)}` }) },
  'PATCH /v1/projects/{id}': {
    scope: 'unit',
    call: (fx, u) => ({ path: `/v1/projects/${p(fx, u)}`, body: { title: '改名' } }),
  },
  'GET /v1/projects/{id}/objections': {
    scope: 'unit',
    call: (fx, u) => ({ path: `/v1/projects/${p(fx, u)}/objections` }),
  },
  'GET /v1/projects/{id}/history': { scope: 'unit', call: (fx, u) => ({ path: `/v1/projects/${p(fx, u)}/history` }) },
  'GET /v1/projects/{id}/dossier': { scope: 'unit', call: (fx, u) => ({ path: `/v1/projects/${p(fx, u)}/dossier` }) },
  'POST /v1/projects/{id}/deliberations': {
    scope: 'unit',
    heldBy: [FIRST_STEP.heldBy],
    call: (fx, u) => ({
      path: `/v1/projects/${p(fx, u)}/deliberations`,
      body: {
        step: FIRST_STEP.id,
        heldOn: '2025-09-20',
        body: '社区会议',
        attendance: 20,
        votesFor: 18,
        votesAgainst: 1,
        abstentions: 1,
        minutes: '同意',
      },
    }),
  },

  'POST /v1/projects/{id}/submit': { scope: 'unit', call: (fx, u) => ({ path: `/v1/projects/${p(fx, u)}/submit` }) },
  'POST /v1/projects/{id}/review': {
    scope: 'unit',
    heldBy: REVIEWER,
    call: (fx, u) => ({ path: `/v1/projects/${p(fx, u)}/review`, body: { decision: 'pass', comment: '同意' } }),
  },
  'POST /v1/projects/{id}/objections/{objectionId}/resolution': {
    scope: 'unit',
    heldBy: REVIEWER,
    call: (fx, u) => ({
      path: `/v1/projects/${fx.inPublicity[u].id}/objections/${fx.inPublicity[u].objectionId}/resolution`,
      body: { upheld: false, reply: '已核实' },
    }),
  },
  'POST /v1/projects/{id}/approval': {
    scope: 'unit',
    heldBy: APPROVER,
    call: (fx, u) => ({ path: `/v1/projects/${p(fx, u)}/approval`, body: { decision: 'approve', comment: '同意' } }),
  },
  'POST /v1/projects/{id}/contract': {
    scope: 'unit',
    call: (fx, u) => ({
      path: `/v1/projects/${p(fx, u)}/contract`,
      body: { undertakerId: fx.undertakerId, signedOn: '2025-09-25', amountFen: 100_000 },
    }),
  },
  'POST /v1/projects/{id}/progress': {
    scope: 'unit',
    call: (fx, u) => ({ path: `/v1/projects/${p(fx, u)}/progress`, body: { percent: 50, note: '过半' } }),
  },
  'POST /v1/projects/{id}/tranches/{n}/acceptance': {
    scope: 'unit',
    // A failed acceptance records an attempt and pays nothing.
    call: (fx, u) => ({
      path: `/v1/projects/${fx.inProgress[u]}/tranches/1/acceptance`,
      body: { passed: false, comment: '整改后再验' },
    }),
  },
  'POST /v1/projects/{id}/change-requests': {
    scope: 'unit',
    call: (fx, u) => ({
      path: `/v1/projects/${p(fx, u)}/change-requests`,
      body: { plannedEnd: '2025-12-30', reason: '工期顺延' },
    }),
  },
  // Only the district decides, and it sees everything: the unit makes no difference.
  'POST /v1/change-requests/{id}/decision': {
    scope: 'none',
    call: (fx) => ({
      path: `/v1/change-requests/${fx.changeRequestId}/decision`,
      body: { approve: false, comment: '不予调整' },
    }),
  },
  'POST /v1/projects/{id}/withdraw': {
    scope: 'unit',
    call: (fx, u) => ({ path: `/v1/projects/${p(fx, u)}/withdraw`, body: { reason: '撤回' } }),
  },

  'GET /v1/public/publicity': {
    scope: 'none',
    call: (_fx, u) => ({ path: `/v1/public/publicity?communityId=${c(u)}` }),
  },
  'GET /v1/public/projects/{id}': { scope: 'none', call: (fx, u) => ({ path: `/v1/public/projects/${p(fx, u)}` }) },
  'GET /v1/public/completions': {
    scope: 'none',
    call: (_fx, u) => ({ path: `/v1/public/completions?communityId=${c(u)}` }),
  },
  'POST /v1/public/projects/{id}/objections': {
    scope: 'none',
    call: (fx, u) => ({ path: `/v1/public/projects/${p(fx, u)}/objections`, body: { content: '异议' } }),
  },

  'POST /v1/undertakers': {
    scope: 'none',
    call: () => ({
      path: '/v1/undertakers',
      body: { name: '昆明安居物业有限公司', kind: 'enterprise', creditCode: '91530111MA6K000001' },
    }),
  },
  'GET /v1/undertakers': { scope: 'none', call: () => ({ path: '/v1/undertakers' }) },
  'POST /v1/undertakers/{id}/disqualifications': {
    scope: 'none',
    call: (fx) => ({
      path: `/v1/undertakers/${fx.undertakerId}/disqualifications`,
      body: { year: 2024, reason: '矩阵测试' },
    }),
  },

  'POST /v1/year-end/{year}': { scope: 'none', call: (fx) => ({ path: `/v1/year-end/${fx.year}` }) },
  // Before the year-end has run there is no report: 404 for those allowed, but never 403.
  'GET /v1/year-end/{year}': {
    scope: 'none',
    whenAllowed: 'reached',
    call: (fx) => ({ path: `/v1/year-end/${fx.year}` }),
  },
  'GET /v1/reports/summary': {
    scope: 'unit',
    call: (fx, u) => ({ path: `/v1/reports/summary?year=${fx.year}&streetId=${s(u)}` }),
  },
  'GET /v1/reports/lists': {
    scope: 'unit',
    call: (fx, u) => ({ path: `/v1/reports/lists?year=${fx.year}&communityId=${c(u)}` }),
  },
  'GET /v1/public/lists': {
    scope: 'none',
    call: (fx, u) => ({ path: `/v1/public/lists?year=${fx.year}&communityId=${c(u)}` }),
  },

  'GET /v1/audit': { scope: 'none', call: () => ({ path: '/v1/audit?date=2025-09-23' }) },
  'PUT /v1/me/contact': {
    scope: 'none',
    call: () => ({ path: '/v1/me/contact', body: { email: 'staff@example.org' } }),
  },
};

/** Whether a caller of this role (in its own unit) sees a target in that unit. */
const sees = (role: Role, unit: Unit): boolean => {
  switch (role) {
    case 'district':
    case 'auditor':
      return true;
    case 'street':
      return unit !== 'foreign';
    case 'community':
      return unit === 'own';
    case 'undertaker':
      return false;
  }
};

/**
 * One cell. Route-level role first (403 wherever the target is), then scope (404, so
 * that nothing outside is revealed), then whose step it is (403), then state.
 */
export const expected = (spec: RouteSpec, row: MatrixRow, role: Role, unit: Unit): Outcome => {
  if (spec.access === 'public') return 'ok';
  if (!spec.access.includes(role)) return 403;
  if (row.scope === 'unit' && !sees(role, unit)) return 404;
  if (row.heldBy && !row.heldBy.includes(role)) return 403;
  return row.whenAllowed ?? 'ok';
};

export const rowOf = (spec: RouteSpec): MatrixRow | undefined => MATRIX[routeKey(spec)];

/** Whether a status is what the cell expects. */
export const satisfies = (outcome: Outcome, status: number): boolean => {
  if (outcome === 'ok') return status < 500 && ![401, 403, 404, 405].includes(status);
  if (outcome === 'reached') return status < 500 && ![401, 403, 405].includes(status);
  return status === outcome;
};

import * as z from '../zod.ts';
import { STATUSES } from '../domain/lifecycle.ts';
import { PolicyProfileSchema } from '../domain/policy.ts';
import { HolidayCalendarSchema } from '../domain/calendar.ts';
import { OrgTreeSchema } from '../store/config.ts';

/*
 * What every route answers, as zod/mini schemas that describe the bodies the handlers
 * build (they are never used to parse a response in production). The OpenAPI document is
 * generated from them and from the request schemas; every object is strict, so a field a
 * handler adds without saying so here fails the contract test of the end-to-end suite.
 */

// Instants are ISO 8601 with an offset: `Z` for records, `+08:00` for deadlines.
const instant = z.string().check(z.meta({ format: 'date-time' }));
const day = z.string().check(z.meta({ format: 'date' }));
const fen = z.int().check(z.gte(0));
const signedFen = z.int();
const status = z.enum(STATUSES);
const nullableStatus = z.nullable(status);
const opt = z.optional;

export const Actor = z.strictObject({ sub: z.string(), role: z.string(), orgUnitId: opt(z.string()) });

export const HistoryEvent = z.strictObject({
  at: instant,
  actor: Actor,
  action: z.string(),
  fromStatus: nullableStatus,
  toStatus: nullableStatus,
  details: opt(z.record(z.string(), z.unknown())),
});

export const Deliberation = z.strictObject({
  id: z.string(),
  step: z.string(),
  heldOn: day,
  body: z.string(),
  attendance: z.int(),
  votesFor: z.int(),
  votesAgainst: z.int(),
  abstentions: z.int(),
  minutes: z.string(),
  memberVotes: opt(z.array(z.strictObject({ member: z.string(), vote: z.enum(['for', 'against', 'abstain']) }))),
  passed: z.boolean(),
  recordedAt: instant,
  recordedBy: Actor,
});

const Resolution = z.strictObject({ upheld: z.boolean(), reply: z.string(), at: instant, by: Actor });

export const Objection = z.strictObject({
  id: z.string(),
  content: z.string(),
  receivedAt: instant,
  hasContact: z.boolean(),
  round: z.int(),
  resolution: opt(Resolution),
});

const Attempt = z.strictObject({
  id: opt(z.string()),
  at: instant,
  passed: z.boolean(),
  comment: z.string(),
  satisfaction: opt(z.int()),
  by: Actor,
});

export const Tranche = z.strictObject({
  n: z.int(),
  amountFen: fen,
  paidFen: fen,
  acceptedAt: opt(instant),
  attempts: z.array(Attempt),
});

export const Deadlines = z.strictObject({
  reviewDueAt: opt(instant),
  publicityEndsAt: opt(instant),
  objectionReviewDueAt: opt(instant),
  approvalDueAt: opt(instant),
  startDueAt: opt(instant),
  completionDueAt: opt(instant),
  completionPublicityEndsAt: opt(instant),
});

// Examples for the reference page, in the domain's language.
const title = z.string().check(z.meta({ examples: ['老旧小区路灯维修'] }));
const category = z
  .string()
  .check(z.meta({ description: 'A category id of the policy profile', examples: ['property_service'] }));
const measures = z.string().check(z.meta({ examples: ['更换小区内20盏损坏路灯，增设2盏太阳能灯'] }));

const Cofunding = z.array(z.strictObject({ source: z.string(), amountFen: fen }));
const ProjectType = z.enum(['service', 'goods', 'works']);
const Delivery = z.enum(['self', 'social_org', 'enterprise', 'individual']);
const Progress = z.strictObject({ id: opt(z.string()), at: instant, percent: z.int(), note: z.string(), by: Actor });
const Contract = z.strictObject({ undertakerId: z.string(), signedOn: day, amountFen: fen, recordedAt: instant });

/** What staff and residents both see of a project: its plan. */
const projectFacts = {
  id: z.string(),
  communityId: z.string(),
  streetId: z.string(),
  year: z.int(),
  title,
  category,
  type: ProjectType,
  amountFen: fen,
  cofunding: Cofunding,
  delivery: Delivery,
  undertakerId: opt(z.string()),
  measures,
  plannedEnd: day,
};

/** `projectView`: the project without workflow plumbing, records as lists in time order. */
export const ProjectView = z.strictObject({
  ...projectFacts,
  needIds: z.array(z.string()),
  restrictedUse: opt(z.strictObject({ rule: z.string(), justification: z.string() })),
  status,
  version: z.int(),
  createdAt: instant,
  updatedAt: instant,
  createdBy: Actor,
  deadlines: Deadlines,
  publicityRound: opt(z.int()),
  publicityOpenedAt: opt(instant),
  batch: opt(z.string()),
  approvedAt: opt(instant),
  completedAt: opt(instant),
  deliberations: z.array(Deliberation),
  /** A single project's view carries the first page of its objections; lists carry none. */
  objections: opt(z.array(Objection)),
  /** Present when the project has more objections than its view carries: the next page of GET /v1/projects/{id}/objections. */
  objectionsNextToken: opt(z.string()),
  tranches: z.array(Tranche),
  contract: opt(Contract),
  progress: z.array(Progress),
  escalation: opt(z.strictObject({ status, level: z.int(), nextDueAt: z.nullable(instant) })),
  warnings: opt(z.array(z.string())),
  /** Reminders already sent for this project, by reminder key, so that none goes twice. */
  remindersSent: opt(z.record(z.string(), instant)),
});

/** A list's item: the project's summary (the fields the list index carries); the records are in GET /v1/projects/{id}. */
export const ProjectSummary = z.strictObject({
  id: z.string(),
  communityId: z.string(),
  streetId: z.string(),
  year: z.int(),
  title,
  category,
  type: ProjectType,
  amountFen: fen,
  delivery: Delivery,
  plannedEnd: day,
  status,
  deadlines: Deadlines,
  publicityOpenedAt: opt(instant),
  createdAt: instant,
});

/** A project in the public publicity list: what the board lists; the whole public view is GET /v1/public/projects/{id}. */
export const PublicProjectSummary = z.strictObject({
  id: z.string(),
  communityId: z.string(),
  streetId: z.string(),
  year: z.int(),
  title,
  category,
  type: ProjectType,
  amountFen: fen,
  delivery: Delivery,
  plannedEnd: day,
  status,
  deadlines: Deadlines,
  publicityOpenedAt: opt(instant),
  publicityEndsAt: opt(instant),
  objectionCount: z.int(),
});

const Page = <T extends z.ZodMiniType>(item: T) => z.strictObject({ items: z.array(item), nextToken: opt(z.string()) });

/** `publicView`: what residents may see of a project. */
export const PublicProject = z.strictObject({
  ...projectFacts,
  status,
  deadlines: Deadlines,
  publicityEndsAt: opt(instant),
  objectionCount: z.int(),
  deliberations: z.array(
    z.strictObject({
      step: z.string(),
      heldOn: day,
      body: z.string(),
      attendance: z.int(),
      votesFor: z.int(),
      votesAgainst: z.int(),
      abstentions: z.int(),
      passed: z.boolean(),
    }),
  ),
  history: z.array(
    z.strictObject({ at: instant, action: z.string(), fromStatus: nullableStatus, toStatus: nullableStatus }),
  ),
});

const CompletedProject = z.strictObject({
  ...PublicProject.def.shape,
  paidFen: fen,
  acceptances: z.array(z.strictObject({ n: z.int(), acceptedAt: instant, satisfaction: opt(z.int()) })),
});

const Source = z.strictObject({ funder: z.string(), amountFen: fen });

export const AllocationView = z.strictObject({
  year: z.int(),
  communityId: z.string(),
  streetId: z.string(),
  amountFen: fen,
  reservedFen: fen,
  paidFen: fen,
  availableFen: signedFen,
  sources: z.array(Source),
  updatedAt: instant,
  warnings: opt(z.array(z.string())),
});

const NeedView = z.strictObject({
  id: z.string(),
  communityId: z.string(),
  year: z.int(),
  title: z.string(),
  description: z.string(),
  channel: z.string(),
  raisedAt: instant,
  raisedBy: z.string(),
  hasContact: z.boolean(),
});

const Disqualification = z.strictObject({ year: z.int(), reason: z.string(), at: instant, by: Actor });

export const UndertakerView = z.strictObject({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['social_org', 'enterprise', 'individual']),
  creditCode: z.string(),
  registeredAt: instant,
  disqualifications: z.array(Disqualification),
});

const ChangeDecision = z.strictObject({ approve: z.boolean(), comment: z.string(), at: instant, by: Actor });

const changeRequestShape = {
  id: z.string(),
  projectId: z.string(),
  communityId: z.string(),
  streetId: z.string(),
  year: z.int(),
  amountFen: opt(fen),
  plannedEnd: opt(day),
  reason: z.string(),
  previousAmountFen: fen,
  previousPlannedEnd: day,
  status: z.enum(['PENDING', 'APPROVED', 'REJECTED']),
  requestedAt: instant,
  requestedBy: Actor,
  decision: opt(ChangeDecision),
};
export const ChangeRequest = z.strictObject(changeRequestShape);
const DecidedChangeRequest = z.strictObject({ ...changeRequestShape, project: opt(ProjectView) });

const ProjectRef = { id: z.string(), title: z.string(), communityId: z.string() };

export const YearEndReport = z.strictObject({
  year: z.int(),
  communities: z.array(
    z.strictObject({
      communityId: z.string(),
      streetId: z.string(),
      allocatedFen: fen,
      reservedFen: fen,
      paidFen: fen,
      carriedOverFen: fen,
      surplusFen: signedFen,
    }),
  ),
  failedProjects: z.array(z.strictObject(ProjectRef)),
  lapsed: z.array(z.strictObject({ ...ProjectRef, status })),
  unfinished: z.array(z.strictObject({ ...ProjectRef, status })),
  sanctions: z.strictObject({
    undertakers: z.array(
      z.strictObject({
        undertakerId: z.string(),
        reason: z.string(),
        projectIds: z.array(z.string()),
        disqualifiedYears: z.array(z.int()),
      }),
    ),
    communities: z.array(
      z.strictObject({
        communityId: z.string(),
        cutPercent: z.int(),
        reason: z.string(),
        projectIds: z.array(z.string()),
        appliesToYear: z.int(),
      }),
    ),
  }),
  totals: z.strictObject({
    allocatedFen: fen,
    reservedFen: fen,
    paidFen: fen,
    carriedOverFen: fen,
    surplusFen: signedFen,
  }),
  ranAt: instant,
});

const ListNeed = { id: z.string(), title: z.string(), channel: z.string(), raisedAt: instant };
const Resource = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('allocation'),
    amountFen: fen,
    reservedFen: fen,
    paidFen: fen,
    availableFen: signedFen,
  }),
  z.strictObject({ kind: z.literal('source'), funder: z.string(), amountFen: fen }),
  z.strictObject({ kind: z.literal('cofunding'), projectId: z.string(), source: z.string(), amountFen: fen }),
  z.strictObject({
    kind: z.literal('undertaker'),
    undertakerId: z.string(),
    name: z.string(),
    undertakerKind: z.string(),
    projectIds: z.array(z.string()),
  }),
]);
const Service = z.strictObject({
  id: z.string(),
  title: z.string(),
  category: z.string(),
  type: ProjectType,
  delivery: Delivery,
  undertakerId: z.nullable(z.string()),
  amountFen: fen,
  cofundingFen: fen,
  paidFen: fen,
  status,
  plannedEnd: day,
});
const listsShape = { year: z.int(), communityId: z.string(), resources: z.array(Resource), services: z.array(Service) };
export const Lists = z.strictObject({
  ...listsShape,
  needs: z.array(z.strictObject({ ...ListNeed, description: z.string() })),
});
export const PublicLists = z.strictObject({ ...listsShape, needs: z.array(z.strictObject(ListNeed)), asOf: instant });

const PublicOrg = z.strictObject({
  district: z.strictObject({ id: z.string(), name: z.string() }),
  streets: z.array(
    z.strictObject({
      id: z.string(),
      name: z.string(),
      communities: z.array(
        z.strictObject({
          id: z.string(),
          name: z.string(),
          kind: z.enum(['urban', 'village', 'village_to_residence']),
        }),
      ),
    }),
  ),
});

const AuditEntry = z.strictObject({
  id: z.string(),
  at: instant,
  actor: z.strictObject({ sub: z.string(), role: z.string(), orgUnitId: z.string() }),
  route: z.string(),
  path: z.string(),
  status: z.int(),
  sourceIp: z.string(),
  requestId: opt(z.string()),
  idempotencyKey: opt(z.string()),
});

const Contact = z.strictObject({
  sub: z.string(),
  role: z.string(),
  orgUnitId: z.string(),
  phone: opt(z.string()),
  email: opt(z.string()),
  updatedAt: instant,
});

const Dossier = z.strictObject({
  project: ProjectView,
  deliberations: z.array(Deliberation),
  publicity: z.array(HistoryEvent),
  objections: z.array(Objection),
  objectionsNextToken: opt(z.string()),
  approvals: z.array(HistoryEvent),
  contract: z.nullable(Contract),
  progress: z.array(Progress),
  acceptances: z.array(z.strictObject({ n: z.int(), ...Attempt.def.shape })),
  payments: z.array(z.strictObject({ n: z.int(), amountFen: fen, paidAt: opt(instant) })),
  changes: z.array(HistoryEvent),
  history: z.array(HistoryEvent),
});

/**
 * RFC 9457 problem details, with every extension member a refusal may carry. The
 * extension members say what the caller needs to act: the current status, the money
 * available, the missing deliberations.
 */
export const Problem = z.strictObject({
  type: z.string(),
  title: z.string(),
  status: z.int().check(z.gte(400), z.lte(599)),
  detail: z.string(),
  instance: opt(z.string()),
  errors: opt(z.array(z.strictObject({ path: z.string(), message: z.string() }))),
  currentStatus: opt(status),
  availableFen: opt(signedFen),
  requiredFen: opt(fen),
  reservedFen: opt(fen),
  paidFen: opt(fen),
  missingSteps: opt(z.array(z.string())),
  batches: opt(z.unknown()),
  resolution: opt(Resolution),
  nextTranche: opt(z.nullable(z.int())),
  undertakerId: opt(z.string()),
  disqualification: opt(z.strictObject({ year: z.int(), reason: z.string(), at: instant, by: Actor })),
  decision: opt(ChangeDecision),
  existingId: opt(z.string()),
  opensAt: opt(instant),
  publicityEndsAt: opt(z.nullable(instant)),
  rule: opt(z.string()),
  code: opt(z.string()),
});

export interface SuccessResponse {
  status: number;
  description: string;
  schema: z.ZodMiniType;
  /** Response headers besides Content-Type, each always sent. */
  headers?: Record<string, string>;
  /** The route also answers `text/csv` when asked with `Accept: text/csv`. */
  csv?: boolean;
}

export interface RouteResponses {
  success: SuccessResponse;
  /** Refusals specific to the route; the generator adds 400, 401, 403 and the write refusals. */
  refusals: readonly number[];
}

const ok = (
  schema: z.ZodMiniType,
  description: string,
  refusals: readonly number[] = [],
  extra: Partial<SuccessResponse> = {},
): RouteResponses => ({
  success: { status: 200, description, schema, ...extra },
  refusals,
});
const created = (
  schema: z.ZodMiniType,
  description: string,
  refusals: readonly number[] = [],
  extra: Partial<SuccessResponse> = {},
): RouteResponses => ({
  success: { status: 201, description, schema, ...extra },
  refusals,
});
const LOCATION = { location: 'Where the new resource is read' };

/** Route key → its success response and its own refusals. */
export const RESPONSES: Record<string, RouteResponses> = {
  'GET /v1/org': ok(OrgTreeSchema, 'The organisation tree; the units’ duty contacts are shown to the district only'),
  'GET /v1/public/org': ok(PublicOrg, 'The organisation tree without contacts'),
  'GET /v1/public/policy': ok(PolicyProfileSchema, 'The active policy profile'),
  'GET /v1/calendar/{year}': ok(HolidayCalendarSchema, 'That year’s holiday calendar', [404]),
  'PUT /v1/calendar/{year}': ok(HolidayCalendarSchema, 'The calendar as stored'),

  'PUT /v1/allocations/{year}/{communityId}': ok(
    AllocationView,
    'The allocation, with warnings where it falls short of the policy’s floor',
    [404],
  ),
  'GET /v1/allocations/{year}/{communityId}': ok(AllocationView, 'The allocation', [404]),
  'GET /v1/allocations/{year}': ok(
    z.strictObject({ year: z.int(), streetId: z.nullable(z.string()), items: z.array(AllocationView) }),
    'The allocations per community',
    [404],
  ),

  'POST /v1/communities/{communityId}/needs': created(NeedView, 'The need as recorded', [404]),
  'GET /v1/communities/{communityId}/needs': ok(Page(NeedView), 'A page of the needs list', [404]),
  'POST /v1/public/communities/{communityId}/needs': created(
    z.strictObject({ id: z.string(), receipt: z.string(), communityId: z.string(), raisedAt: instant }),
    'The receipt of the need',
    [404, 429],
  ),

  'POST /v1/projects': created(ProjectView, 'The new DRAFT project', [404], { headers: LOCATION }),
  'GET /v1/projects': ok(Page(ProjectSummary), 'A page of project summaries', [404]),
  'GET /v1/projects/{id}': ok(ProjectView, 'The project', [404]),
  'PATCH /v1/projects/{id}': ok(ProjectView, 'The edited project', [404]),
  'GET /v1/projects/{id}/objections': ok(Page(Objection), 'A page of the accepted objections, round by round', [404]),
  'GET /v1/projects/{id}/history': ok(
    z.strictObject({ projectId: z.string(), items: z.array(HistoryEvent) }),
    'Every event of the project',
    [404],
  ),
  'GET /v1/projects/{id}/dossier': ok(Dossier, 'The one-project file (一项目一档案)', [404]),
  'POST /v1/projects/{id}/deliberations': created(
    z.strictObject({ ...Deliberation.def.shape, projectStatus: status }),
    'The deliberation as recorded',
    [404],
  ),

  'POST /v1/projects/{id}/submit': ok(ProjectView, 'The project, now UNDER_REVIEW', [404]),
  'POST /v1/projects/{id}/review': ok(ProjectView, 'The project, IN_PUBLICITY or RETURNED', [404]),
  'POST /v1/projects/{id}/objections/{objectionId}/resolution': ok(
    ProjectView,
    'The project, moved on once every objection is resolved',
    [404],
  ),
  'POST /v1/projects/{id}/approval': ok(
    ProjectView,
    'The project, APPROVED (IN_PROGRESS when self-run) or REJECTED',
    [404],
  ),
  'POST /v1/projects/{id}/contract': ok(ProjectView, 'The project, now IN_PROGRESS', [404]),
  'POST /v1/projects/{id}/progress': created(
    z.strictObject({ ...Progress.def.shape, project: ProjectView }),
    'The progress report and the project',
    [404],
  ),
  'POST /v1/projects/{id}/tranches/{n}/acceptance': ok(
    ProjectView,
    'The project, the tranche paid when the stage passed',
    [404],
  ),
  'POST /v1/projects/{id}/change-requests': created(ChangeRequest, 'The PENDING change request', [404], {
    headers: { location: 'Where the change request lives' },
  }),
  'POST /v1/change-requests/{id}/decision': ok(
    DecidedChangeRequest,
    'The decided change request (with the project when approved)',
    [404],
  ),
  'POST /v1/projects/{id}/withdraw': ok(ProjectView, 'The project, now WITHDRAWN', [404]),

  'GET /v1/public/publicity': ok(
    z.strictObject({ communityId: z.string(), items: z.array(PublicProjectSummary), asOf: instant }),
    'Projects in their publicity window, as summaries',
    [404],
  ),
  'GET /v1/public/projects/{id}': ok(
    z.strictObject({
      ...PublicProject.def.shape,
      undertaker: z.nullable(
        z.strictObject({ id: z.string(), name: z.string(), kind: z.enum(['social_org', 'enterprise', 'individual']) }),
      ),
      asOf: instant,
    }),
    'The project as residents see it, with its undertaker’s name',
    [404],
  ),
  'GET /v1/public/completions': ok(
    z.strictObject({ communityId: z.string(), asOf: instant, items: z.array(CompletedProject) }),
    'Completed projects and what they were paid',
    [404],
  ),
  'POST /v1/public/projects/{id}/objections': created(
    z.strictObject({
      id: z.string(),
      receipt: z.string(),
      projectId: z.string(),
      receivedAt: instant,
      publicityEndsAt: instant,
    }),
    'The receipt of the objection',
    [404, 429],
  ),

  'POST /v1/undertakers': created(UndertakerView, 'The registered undertaker', [], { headers: LOCATION }),
  'GET /v1/undertakers': ok(Page(UndertakerView), 'A page of the register'),
  'POST /v1/undertakers/{id}/disqualifications': created(
    UndertakerView,
    'The undertaker with its disqualifications',
    [404],
  ),

  'POST /v1/year-end/{year}': ok(YearEndReport, 'The year-end report (the same one when run again)'),
  'GET /v1/year-end/{year}': ok(YearEndReport, 'The year-end report', [404]),
  'GET /v1/reports/summary': ok(
    z.strictObject({
      year: z.int(),
      streetId: z.nullable(z.string()),
      needs: z.int(),
      proposed: z.int(),
      approved: z.int(),
      completed: z.int(),
      failed: z.int(),
      allocatedFen: fen,
      reservedFen: fen,
      paidFen: fen,
      availableFen: signedFen,
    }),
    'The year’s counts and money',
    [404],
  ),
  'GET /v1/reports/lists': ok(Lists, 'The three lists (三个清单); CSV when asked with Accept: text/csv', [404], {
    csv: true,
    headers: {},
  }),
  'GET /v1/public/lists': ok(PublicLists, 'The three lists as residents see them', [404]),

  'GET /v1/audit': ok(
    z.strictObject({ date: day, items: z.array(AuditEntry), nextToken: opt(z.string()) }),
    'A page of the audit trail of one day',
  ),

  'PUT /v1/me/contact': ok(Contact, 'Where the caller’s reminders go'),

  'GET /v1/openapi.json': ok(z.record(z.string(), z.unknown()), 'This OpenAPI 3.1 document'),
};

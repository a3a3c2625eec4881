import type { ApiModule } from '../api/routes.ts';

/** One line per operation for the reference page, keyed by route key (as API.md words them). */
export const SUMMARIES: Record<string, string> = {
  'GET /v1/org': 'The organisation tree',
  'GET /v1/public/org': 'The organisation tree, for residents',
  'GET /v1/public/policy': 'The active policy profile',
  'GET /v1/calendar/{year}': 'A year’s holiday calendar',
  'PUT /v1/calendar/{year}': 'Load a year’s holiday notice',
  'PUT /v1/allocations/{year}/{communityId}': 'Set a community’s allocation',
  'GET /v1/allocations/{year}/{communityId}': 'A community’s allocation',
  'GET /v1/allocations/{year}': 'The allocations of a year, per community',
  'POST /v1/communities/{communityId}/needs': 'Record a need raised offline',
  'GET /v1/communities/{communityId}/needs': 'A community’s needs list',
  'POST /v1/public/communities/{communityId}/needs': 'A resident raises a need',
  'POST /v1/projects': 'Create a DRAFT project',
  'GET /v1/projects': 'List projects in scope',
  'GET /v1/projects/{id}': 'A project with its deadlines, tranches and objections',
  'PATCH /v1/projects/{id}': 'Edit a DRAFT or RETURNED project',
  'GET /v1/projects/{id}/objections': "A page of a project's objections, with their resolutions",
  'GET /v1/projects/{id}/history': 'Every event of a project',
  'GET /v1/projects/{id}/dossier': 'The one-project file',
  'POST /v1/projects/{id}/deliberations': 'Record a deliberation',
  'POST /v1/projects/{id}/submit': 'Submit a project for review',
  'POST /v1/projects/{id}/review': 'Review a project: pass to publicity or return',
  'POST /v1/projects/{id}/objections/{objectionId}/resolution': 'Resolve an objection',
  'POST /v1/projects/{id}/approval': 'Approve or reject a project',
  'POST /v1/projects/{id}/contract': 'Record the undertaker contract',
  'POST /v1/projects/{id}/progress': 'Report progress',
  'POST /v1/projects/{id}/tranches/{n}/acceptance': 'Accept a stage and pay its tranche',
  'POST /v1/projects/{id}/change-requests': 'Ask to change an approved project',
  'POST /v1/change-requests/{id}/decision': 'Decide a change request',
  'POST /v1/projects/{id}/withdraw': 'Withdraw a project before approval',
  'GET /v1/public/publicity': 'Projects in publicity',
  'GET /v1/public/projects/{id}': 'A project, for residents',
  'GET /v1/public/completions': 'Completed projects, for residents',
  'POST /v1/public/projects/{id}/objections': 'Raise an objection during publicity',
  'POST /v1/undertakers': 'Register an undertaker',
  'GET /v1/undertakers': 'The undertakers register',
  'POST /v1/undertakers/{id}/disqualifications': 'Disqualify an undertaker for a year',
  'POST /v1/year-end/{year}': 'Run the year-end check',
  'GET /v1/year-end/{year}': 'The year-end report',
  'GET /v1/reports/summary': 'The year’s summary',
  'GET /v1/reports/lists': 'The three lists (needs, resources, services)',
  'GET /v1/public/lists': 'The three lists, for residents',
  'GET /v1/audit': 'The audit trail of a day',
  'PUT /v1/me/contact': 'Where my reminders go',
  'GET /v1/openapi.json': 'This OpenAPI document',
};

/** What a reader needs beyond the roles: who holds a step under which profile, what a refusal means. */
export const NOTES: Record<string, string> = {
  'POST /v1/projects/{id}/deliberations':
    'The step must be one of the profile’s procedure; it is recorded by the level that holds it (the district for a district committee), others get 403.',
  'POST /v1/projects/{id}/submit':
    'Refused (409) while the profile’s deliberations required before submission are missing or not passed.',
  'POST /v1/projects/{id}/review':
    'The street reviews, or the district where the profile says so. Passing opens the publicity window.',
  'POST /v1/projects/{id}/objections/{objectionId}/resolution':
    'In OBJECTION_REVIEW, by the reviewer. Any upheld objection returns the project; all dismissed move it to AWAITING_APPROVAL.',
  'POST /v1/projects/{id}/approval':
    'The profile’s approver (the community itself on its fast path). Approval reserves the amount from the allocation: 409 when it does not fit.',
  'POST /v1/projects/{id}/contract': 'Outsourced projects only; 409 for a disqualified undertaker.',
  'POST /v1/projects/{id}/tranches/{n}/acceptance':
    'Stages are accepted in order; a passed stage pays its tranche (the profile’s split).',
  'POST /v1/public/projects/{id}/objections':
    '409 outside the publicity window; rate-limited per client and per project (429).',
  'POST /v1/public/communities/{communityId}/needs': 'Rate-limited per client and per community (429).',
  'GET /v1/reports/lists': 'Send `Accept: text/csv` for one CSV file.',
  'POST /v1/year-end/{year}': 'From 31 December of that year on (409 before); safe to run twice.',
  'PUT /v1/allocations/{year}/{communityId}':
    'The sources must add up to the amount (422); the allocation never drops below what is reserved (409).',
};

/** One tag per resource module, in route order. */
export const TAGS: Record<ApiModule, string> = {
  org: 'The organisation tree and the policy profile',
  calendar: 'Holiday calendars for working-day deadlines',
  allocations: 'Yearly allocations of each community',
  needs: 'Needs lists (需求清单)',
  projects: 'Projects, their edits, deliberations, history and file',
  workflowActions: 'The steps of a project’s lifecycle and its ledger',
  publicity: 'What residents see and their objections',
  undertakers: 'The undertakers register (承接方名录)',
  yearEnd: 'The year-end check (年底专项检查)',
  reports: 'Summaries and the three lists',
  audit: 'The audit trail',
  contacts: 'Where reminders go',
  openapi: 'This description',
};

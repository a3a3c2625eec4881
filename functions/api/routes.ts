/**
 * The one table of HTTP routes. API Gateway (infra), the local server and the
 * access-control tests all read it, so a route exists everywhere or nowhere.
 */
export type Role = 'district' | 'street' | 'community' | 'auditor' | 'undertaker';

export const ROLES: readonly Role[] = ['district', 'street', 'community', 'auditor', 'undertaker'];

/** A resource module under functions/api, bundled as one Lambda function. */
export type ApiModule =
  | 'org'
  | 'calendar'
  | 'allocations'
  | 'needs'
  | 'projects'
  | 'workflowActions'
  | 'publicity'
  | 'undertakers'
  | 'yearEnd'
  | 'reports'
  | 'contacts'
  | 'audit'
  | 'openapi';

/**
 * The file of an API module, from the repository's root: its Lambda entry. The one place
 * the module→file rule is written; the stacks, the local server and the OpenAPI generator
 * all derive it from here.
 */
export const moduleEntry = (module: ApiModule): string => `functions/api/${module}.ts`;

/** Every module that serves a route, each once, in the table's order. */
export const apiModules = (): ApiModule[] => [...new Set(ROUTES.map((r) => r.module))];

export interface RouteSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  /** API Gateway path syntax: `/v1/projects/{id}`. */
  path: string;
  module: ApiModule;
  /** `public` routes need no token; otherwise the roles that may call it at all. */
  access: 'public' | readonly Role[];
  /** A status change of the project `{id}`, answered with the project. */
  transition?: true;
}

const STAFF: readonly Role[] = ['district', 'street', 'community', 'auditor'];
const ANY: readonly Role[] = ROLES;

export const ROUTES: readonly RouteSpec[] = [
  { method: 'GET', path: '/v1/org', module: 'org', access: ANY },
  { method: 'GET', path: '/v1/public/org', module: 'org', access: 'public' },
  { method: 'GET', path: '/v1/public/policy', module: 'org', access: 'public' },
  { method: 'GET', path: '/v1/calendar/{year}', module: 'calendar', access: ANY },
  { method: 'PUT', path: '/v1/calendar/{year}', module: 'calendar', access: ['district'] },

  { method: 'PUT', path: '/v1/allocations/{year}/{communityId}', module: 'allocations', access: ['district'] },
  { method: 'GET', path: '/v1/allocations/{year}/{communityId}', module: 'allocations', access: STAFF },
  { method: 'GET', path: '/v1/allocations/{year}', module: 'allocations', access: ['district', 'street', 'auditor'] },

  { method: 'POST', path: '/v1/communities/{communityId}/needs', module: 'needs', access: ['community'] },
  { method: 'GET', path: '/v1/communities/{communityId}/needs', module: 'needs', access: STAFF },
  { method: 'POST', path: '/v1/public/communities/{communityId}/needs', module: 'needs', access: 'public' },

  { method: 'POST', path: '/v1/projects', module: 'projects', access: ['community'] },
  { method: 'GET', path: '/v1/projects', module: 'projects', access: STAFF },
  { method: 'GET', path: '/v1/projects/{id}', module: 'projects', access: STAFF },
  { method: 'PATCH', path: '/v1/projects/{id}', module: 'projects', access: ['community'] },
  { method: 'GET', path: '/v1/projects/{id}/objections', module: 'projects', access: STAFF },
  { method: 'GET', path: '/v1/projects/{id}/history', module: 'projects', access: STAFF },
  { method: 'GET', path: '/v1/projects/{id}/dossier', module: 'projects', access: STAFF },
  {
    method: 'POST',
    path: '/v1/projects/{id}/deliberations',
    module: 'projects',
    access: ['community', 'street', 'district'],
  },

  {
    method: 'POST',
    path: '/v1/projects/{id}/submit',
    module: 'workflowActions',
    access: ['community'],
    transition: true,
  },
  {
    method: 'POST',
    path: '/v1/projects/{id}/review',
    module: 'workflowActions',
    access: ['street', 'district'],
    transition: true,
  },
  {
    method: 'POST',
    path: '/v1/projects/{id}/objections/{objectionId}/resolution',
    module: 'workflowActions',
    access: ['street', 'district'],
  },
  {
    method: 'POST',
    path: '/v1/projects/{id}/approval',
    module: 'workflowActions',
    access: ['street', 'district', 'community'],
    transition: true,
  },
  {
    method: 'POST',
    path: '/v1/projects/{id}/contract',
    module: 'workflowActions',
    access: ['community'],
    transition: true,
  },
  { method: 'POST', path: '/v1/projects/{id}/progress', module: 'workflowActions', access: ['community'] },
  {
    method: 'POST',
    path: '/v1/projects/{id}/tranches/{n}/acceptance',
    module: 'workflowActions',
    access: ['street'],
    transition: true,
  },
  { method: 'POST', path: '/v1/projects/{id}/change-requests', module: 'workflowActions', access: ['community'] },
  { method: 'POST', path: '/v1/change-requests/{id}/decision', module: 'workflowActions', access: ['district'] },
  {
    method: 'POST',
    path: '/v1/projects/{id}/withdraw',
    module: 'workflowActions',
    access: ['community'],
    transition: true,
  },

  { method: 'GET', path: '/v1/public/publicity', module: 'publicity', access: 'public' },
  { method: 'GET', path: '/v1/public/projects/{id}', module: 'publicity', access: 'public' },
  { method: 'GET', path: '/v1/public/completions', module: 'publicity', access: 'public' },
  { method: 'POST', path: '/v1/public/projects/{id}/objections', module: 'publicity', access: 'public' },

  { method: 'POST', path: '/v1/undertakers', module: 'undertakers', access: ['district', 'street'] },
  { method: 'GET', path: '/v1/undertakers', module: 'undertakers', access: ['district', 'street', 'auditor'] },
  { method: 'POST', path: '/v1/undertakers/{id}/disqualifications', module: 'undertakers', access: ['district'] },

  { method: 'POST', path: '/v1/year-end/{year}', module: 'yearEnd', access: ['district'] },
  { method: 'GET', path: '/v1/year-end/{year}', module: 'yearEnd', access: ['district', 'auditor'] },
  { method: 'GET', path: '/v1/reports/summary', module: 'reports', access: ['district', 'street', 'auditor'] },
  { method: 'GET', path: '/v1/reports/lists', module: 'reports', access: STAFF },
  { method: 'GET', path: '/v1/public/lists', module: 'reports', access: 'public' },

  { method: 'GET', path: '/v1/audit', module: 'audit', access: ['auditor', 'district'] },

  { method: 'GET', path: '/v1/openapi.json', module: 'openapi', access: 'public' },

  {
    method: 'PUT',
    path: '/v1/me/contact',
    module: 'contacts',
    access: ['district', 'street', 'community', 'auditor', 'undertaker'],
  },
];

/** `"POST /v1/projects/{id}/submit"`: the route key API Gateway puts on the event. */
export const routeKey = (r: Pick<RouteSpec, 'method' | 'path'>): string => `${r.method} ${r.path}`;

/** A route's path as a matcher: `/v1/projects/{id}` → a RegExp and its parameters' names, in order. */
export const pathPattern = (path: string): { pattern: RegExp; names: string[] } => {
  const names: string[] = [];
  const source = path.replace(/\./g, '\\.').replace(/\{(\w+)\}/g, (_, n: string) => (names.push(n), '([^/]+)'));
  return { pattern: new RegExp(`^${source}$`), names };
};

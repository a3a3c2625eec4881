/**
 * The console's only way to the API: the client generated from `openapi.json`
 * (openapi-typescript types, openapi-fetch calls), so a path, a parameter or a body that
 * the document does not have does not compile. The bearer token is added here.
 */
import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from '../../../functions/openapi/api-types.ts';
import type { ProblemBody } from './problems.ts';

export type Schemas = components['schemas'];
export type Project = Schemas['ProjectView'];
/** A project as lists return it: enough to sort and show, one read away from the whole project. */
export type ProjectSummary = Schemas['ProjectSummary'];
export type Allocation = Schemas['AllocationView'];
export type Org = Schemas['GetOrgResponse'];
export type Policy = Schemas['GetPublicPolicyResponse'];
export type Calendar = Schemas['GetCalendarYearResponse'];
export type HistoryEvent = Schemas['HistoryEvent'];

/** A refusal (RFC 9457) or a network failure (status 0), as the console handles it. */
export class ApiProblem extends Error {
  constructor(readonly body: ProblemBody) {
    super(body.detail ?? body.title ?? `HTTP ${body.status}`);
  }
  get status(): number {
    return this.body.status;
  }
}

let client: Client<paths> | undefined;
let bearer: () => string | undefined = () => undefined;
let onUnauthorized: () => void = () => {};

/** Points the client at the API and tells it where the token comes from. */
export const configureApi = (opts: {
  baseUrl: string;
  token: () => string | undefined;
  unauthorized: () => void;
}): void => {
  bearer = opts.token;
  onUnauthorized = opts.unauthorized;
  client = createClient<paths>({ baseUrl: opts.baseUrl || location.origin });
  client.use({
    onRequest({ request }) {
      const t = bearer();
      if (t) request.headers.set('authorization', `Bearer ${t}`);
      return request;
    },
  });
};

/** The typed client. */
export const api = (): Client<paths> => {
  if (!client) throw new Error('configureApi first');
  return client;
};

/** The data of a call, or an ApiProblem: a refusal, or status 0 when the network failed. */
export const ok = async <T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> => {
  let r: { data?: T; error?: unknown; response: Response };
  try {
    r = await call;
  } catch {
    throw new ApiProblem({ status: 0, title: 'Network Error' });
  }
  if (r.response.ok) return r.data as T;
  if (r.response.status === 401) onUnauthorized();
  const body = (r.error && typeof r.error === 'object' ? r.error : {}) as Partial<ProblemBody>;
  throw new ApiProblem({ ...body, status: r.response.status });
};

/** Every page of a listed route, followed through `nextToken`. */
export const allPages = async <T>(page: (nextToken?: string) => Promise<{ items: T[]; nextToken?: string }>) => {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const r = await page(token);
    items.push(...r.items);
    token = r.nextToken;
  } while (token);
  return items;
};

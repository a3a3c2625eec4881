import type { components } from '../../../functions/openapi/api-types.ts';

/**
 * The board's only way to the API: the public routes, on the origin named by
 * `config.json` (empty locally, where the API and the pages share one origin).
 */
export interface FieldError {
  path: string;
  message: string;
}

/** An RFC 9457 problem the API answered with, or a network failure (status 0). */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors: FieldError[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}

let base: Promise<string> | undefined;

/** The API's base URL, read once per page from the deployed `config.json`. */
export const apiBase = (): Promise<string> =>
  (base ??= fetch('/config.json')
    .then((r) => (r.ok ? r.json() : {}))
    .then((c: { apiBaseUrl?: string }) => (c.apiBaseUrl ?? '').replace(/\/+$/, ''))
    .catch(() => ''));

const call = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
  let res: Response;
  try {
    res = await fetch((await apiBase()) + path, {
      method,
      headers:
        body === undefined
          ? { accept: 'application/json' }
          : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiProblem(0, 'Network Error', 'network');
  }
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const { title, detail, errors, status: _s, type: _t, instance: _i, ...extra } = json ?? {};
    throw new ApiProblem(res.status, title ?? res.statusText, detail ?? '', Array.isArray(errors) ? errors : [], extra);
  }
  return json as T;
};

/** GET a public route; throws ApiProblem on any failure. */
export const getJson = <T>(path: string): Promise<T> => call<T>('GET', path);
/** POST JSON to a public route; throws ApiProblem on any failure. */
export const postJson = <T>(path: string, body: unknown): Promise<T> => call<T>('POST', path, body);

/** The server's clock (simulated when local) from a response, else the browser's. */
export const serverNow = (body: { asOf?: string } | undefined): Date => {
  const t = body?.asOf ? Date.parse(body.asOf) : NaN;
  return Number.isNaN(t) ? new Date() : new Date(t);
};

// ---- The shapes the board reads: the API's public views, as generated from openapi.json ----

type Schemas = components['schemas'];

export type PublicOrg = Schemas['GetPublicOrgResponse'];
export type OrgStreet = PublicOrg['streets'][number];
export type OrgCommunity = OrgStreet['communities'][number];
export type Policy = Schemas['GetPublicPolicyResponse'];
export type PublicProject = Schemas['GetPublicProjectsIdResponse'];
export type Deliberation = PublicProject['deliberations'][number];
export type HistoryEntry = PublicProject['history'][number];
export type PublicityList = Schemas['GetPublicPublicityResponse'];
export type CompletionList = Schemas['GetPublicCompletionsResponse'];
export type CompletedProject = CompletionList['items'][number];
export type PublicLists = Schemas['GetPublicListsResponse'];

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

// ---- The shapes the board reads (a subset of the API's public views) ----

export interface OrgCommunity {
  id: string;
  name: string;
  kind: string;
}
export interface OrgStreet {
  id: string;
  name: string;
  communities: OrgCommunity[];
}
export interface PublicOrg {
  district: { id: string; name: string };
  streets: OrgStreet[];
}

export interface Deliberation {
  step: string;
  heldOn: string;
  body?: string;
  attendance?: number;
  votesFor?: number;
  votesAgainst?: number;
  abstentions?: number;
  passed?: boolean;
}

export interface HistoryEntry {
  at: string;
  action: string;
  fromStatus?: string;
  toStatus?: string;
}

export interface PublicProject {
  id: string;
  communityId: string;
  streetId: string;
  year: number;
  title: string;
  category: string;
  type: string;
  amountFen: number;
  cofunding?: { source: string; amountFen: number }[];
  delivery: string;
  undertakerId?: string;
  undertaker?: { id: string; name: string; kind?: string } | null;
  measures: string;
  plannedEnd: string;
  status: string;
  deadlines?: Record<string, string | undefined>;
  publicityEndsAt?: string;
  objectionCount: number;
  deliberations: Deliberation[];
  history: HistoryEntry[];
  asOf?: string;
}

/** A project in the publicity list (the API lists summaries; the whole project is one read away). */
export type PublicProjectSummary = Pick<
  PublicProject,
  'id' | 'communityId' | 'streetId' | 'year' | 'title' | 'category' | 'type' | 'amountFen' | 'delivery' | 'plannedEnd'
> &
  Pick<PublicProject, 'status' | 'deadlines' | 'publicityEndsAt' | 'objectionCount'> & { publicityOpenedAt?: string };

export interface CompletedProject extends PublicProject {
  paidFen: number;
  acceptances: { n: number; acceptedAt: string; satisfaction?: number }[];
}

export interface ProjectList<T = PublicProject> {
  communityId: string;
  items: T[];
  asOf?: string;
}

export interface Policy {
  id: string;
  name: string;
  district: string;
  source?: string;
  categories: { id: string; name: string; description?: string }[];
  prohibitedUses: { rule: string; text: string }[];
  restrictedUses?: { rule: string; text: string }[];
  notEncouragedUses?: { rule: string; text: string }[];
  deliberation: { name: string; steps: { id: string; name: string }[]; publicities?: { id: string; name: string }[] };
  review?: { by: string };
  approval?: { by: string };
  publicityDays: number;
  completionPublicityDays: number;
  approvalWorkingDays: number;
  projectTypes: { id: string; name: string }[];
  trancheSplit: number[];
  funders?: { id: string; name: string; sharePercent?: number }[];
}

export interface PublicLists {
  year: number;
  communityId: string;
  needs: { id: string; title: string; description: string; channel: string; raisedAt: string }[];
  resources: (
    | { kind: 'allocation'; amountFen: number; reservedFen: number; paidFen: number; availableFen: number }
    | { kind: 'source'; funder: string; amountFen: number }
    | { kind: 'cofunding'; projectId: string; source: string; amountFen: number }
    | { kind: 'undertaker'; undertakerId: string; name: string; undertakerKind: string; projectIds: string[] }
  )[];
  services: {
    id: string;
    title: string;
    category: string;
    type: string;
    delivery: string;
    amountFen: number;
    cofundingFen: number;
    paidFen: number;
    status: string;
    plannedEnd: string;
  }[];
}

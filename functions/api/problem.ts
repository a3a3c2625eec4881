import type { Refusal } from '../domain/transition.ts';

/**
 * RFC 9457 problem details. Handlers throw a Problem; the HTTP layer turns it into an
 * `application/problem+json` response. Anything else thrown is a 500 that names nothing.
 */
export interface FieldError {
  path: string;
  message: string;
}

export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'Problem';
  }

  body(instance?: string): Record<string, unknown> {
    return {
      type: `https://community-fund.example/problems/${this.title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
      title: this.title,
      status: this.status,
      detail: this.detail,
      ...(instance ? { instance } : {}),
      ...this.extra,
    };
  }
}

export const badRequest = (detail: string, errors: FieldError[]) => new Problem(400, 'Bad Request', detail, { errors });
export const unauthorized = (detail = 'A valid bearer token is required') => new Problem(401, 'Unauthorized', detail);
export const forbidden = (detail: string) => new Problem(403, 'Forbidden', detail);
export const notFound = (what = 'resource') => new Problem(404, 'Not Found', `No such ${what}`);
export const conflict = (detail: string, extra: Record<string, unknown> = {}) =>
  new Problem(409, 'Conflict', detail, extra);
export const unprocessable = (detail: string, errors: FieldError[], extra: Record<string, unknown> = {}) =>
  new Problem(422, 'Unprocessable Content', detail, { errors, ...extra });
export const contentTooLarge = (maxBytes: number) =>
  new Problem(413, 'Content Too Large', `The body is larger than ${maxBytes / 1024} KB`, {
    errors: [{ path: '', message: `at most ${maxBytes} bytes` }],
  });
export const tooManyRequests = (detail: string) => new Problem(429, 'Too Many Requests', detail);

/** The problem+json of a domain refusal: its status, its rule in words, the fields it names. */
export const problemOf = (r: Refusal): Problem => {
  switch (r.refused) {
    case 403:
      return forbidden(r.detail);
    case 404:
      return new Problem(404, 'Not Found', r.detail, { ...r.extra });
    case 422:
      return unprocessable(r.detail, [...(r.errors ?? [])], { ...r.extra });
    default:
      return conflict(r.detail, { ...r.extra });
  }
};

/** Public writes are limited per client and per target; the limits are in one place. */
export const PUBLIC_LIMITS = {
  objectionsPerClientPerHour: 10,
  objectionsPerProjectPerDay: 500,
  /** Once a project's day is used up, each further address may still send one: this many a day at most. */
  objectionReservePerProjectPerDay: 500,
  needsPerClientPerHour: 10,
  needsPerCommunityPerDay: 1000,
  /** Once a community's day is used up, each further address may still raise one need: this many a day at most. */
  needReservePerCommunityPerDay: 1000,
} as const;

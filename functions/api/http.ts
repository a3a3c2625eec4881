import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from '../zod.ts';
import { makeIdempotent, IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { IdempotencyAlreadyInProgressError, IdempotencyValidationError } from '@aws-lambda-powertools/idempotency';
import { runtime } from '../runtime.ts';
import { ROUTES, routeKey, type RouteSpec } from './routes.ts';
import { callerOf, type Caller } from './caller.ts';
import { audit, requestAuditOf } from './auditMiddleware.ts';
import { withRequestAudit } from '../store/auditFold.ts';
import { maskPersonalData } from '../domain/privacy.ts';
import { recordId, type IdempotencyScope } from '../domain/recordIds.ts';
import { withCommandId } from '../executor/commandContext.ts';
import { idempotencyPersistenceLayer } from '../store/idempotency.ts';
import { decideOnCopies } from '../store/projectCache.ts';
import { SECURITY_HEADERS } from './securityHeaders.ts';
import {
  Problem,
  badRequest,
  conflict,
  contentTooLarge,
  forbidden,
  unauthorized,
  unprocessable,
  type FieldError,
} from './problem.ts';

/** What a public route receives: no caller, since no token is asked for. */
export interface PublicRequest<B = unknown, Q = unknown> {
  params: Record<string, string>;
  query: Q;
  body: B;
  headers: Record<string, string | undefined>;
  now: Date;
  sourceIp: string;
  /** Set when a write carries an Idempotency-Key: commands that add a record derive its id from it. */
  idempotency?: IdempotencyScope;
  event: APIGatewayProxyEventV2;
}

/** What a staff route receives: the caller, parsed once and already checked against the route's roles. */
export interface ApiRequest<B = unknown, Q = unknown> extends PublicRequest<B, Q> {
  caller: Caller;
}

export interface ApiResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type RouteImpl = (event: APIGatewayProxyEventV2, caller: Caller | undefined) => Promise<ApiResponse>;

/** The request schemas of one route, kept so that the OpenAPI document is generated from them. */
export interface RouteSchemas {
  body?: z.ZodMiniType;
  query?: z.ZodMiniType;
}

/** Route key → the schemas its handler parses with; filled as each api module is loaded. */
export const ROUTE_SCHEMAS = new Map<string, RouteSchemas>();
const schemasOf = new WeakMap<RouteImpl, RouteSchemas>();
const publicImpls = new WeakSet<RouteImpl>();

const specByKey = new Map<string, RouteSpec>(ROUTES.map((r) => [routeKey(r), r]));

/** zod issues → `errors: [{path, message}]` naming each field. */
export const fieldErrors = (error: z.core.$ZodError, prefix?: string): FieldError[] =>
  error.issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].filter(Boolean).join('.') || (prefix ?? ''),
    message:
      i.code === 'unrecognized_keys' ? `unknown field(s): ${(i as { keys: string[] }).keys.join(', ')}` : i.message,
  }));

export const parseWith = <T>(schema: z.ZodMiniType<T>, value: unknown, where: 'body' | 'query' | 'path'): T => {
  const r = schema.safeParse(value);
  if (!r.success) throw badRequest(`The ${where} does not match the rules`, fieldErrors(r.error));
  return r.data;
};

/** The most a request body may hold, in UTF-8 bytes: every write body is far smaller. */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * The scope of a write's Idempotency-Key: the caller (sub, role and unit; the client
 * address on public routes), the route and the path. A stored answer is only ever given
 * back within the same scope, and record ids are derived from it.
 */
export const idempotencyScopeOf = (event: APIGatewayProxyEventV2): IdempotencyScope | undefined => {
  const key = event.headers?.['idempotency-key'];
  const method = event.requestContext?.http?.method ?? event.routeKey?.split(' ')[0];
  if (!key || method === 'GET') return undefined;
  const caller = callerOf(event);
  return {
    caller: caller
      ? [caller.sub, caller.role, caller.orgUnitId]
      : ['public', event.requestContext?.http?.sourceIp ?? 'unknown'],
    route: event.routeKey,
    path: event.rawPath,
    key,
  };
};

const requestOf = async <B, Q>(
  schemas: { body?: z.ZodMiniType<B>; query?: z.ZodMiniType<Q> },
  event: APIGatewayProxyEventV2,
): Promise<PublicRequest<B, Q>> => {
  let raw: unknown;
  if (schemas.body) {
    const text = event.body
      ? event.isBase64Encoded
        ? Buffer.from(event.body, 'base64').toString('utf8')
        : event.body
      : '';
    if (Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES) throw contentTooLarge(MAX_BODY_BYTES);
    try {
      raw = text ? JSON.parse(text) : {};
    } catch {
      throw badRequest('The body is not valid JSON', [{ path: '', message: 'malformed JSON' }]);
    }
  }
  const body = schemas.body ? parseWith(schemas.body, raw, 'body') : (undefined as B);
  const query = schemas.query ? parseWith(schemas.query, event.queryStringParameters ?? {}, 'query') : ({} as Q);
  return {
    params: (event.pathParameters ?? {}) as Record<string, string>,
    query,
    body,
    headers: event.headers ?? {},
    now: runtime().clock.now(),
    sourceIp: event.requestContext?.http?.sourceIp ?? 'unknown',
    idempotency: idempotencyScopeOf(event),
    event,
  };
};

/**
 * A staff route: parse the body and query with their schemas (unknown fields refused), then run
 * with the caller, whom `apiHandler` has already checked against the route's roles.
 */
export const route = <B = undefined, Q = Record<string, never>>(
  schemas: { body?: z.ZodMiniType<B>; query?: z.ZodMiniType<Q> },
  fn: (req: ApiRequest<B, Q>) => Promise<ApiResponse>,
): RouteImpl => {
  const impl: RouteImpl = async (event, caller) => {
    if (!caller) throw unauthorized();
    return fn({ ...(await requestOf(schemas, event)), caller });
  };
  schemasOf.set(impl, schemas);
  return impl;
};

/** A route that needs no token (the notice board, residents' forms): it never sees a caller. */
export const publicRoute = <B = undefined, Q = Record<string, never>>(
  schemas: { body?: z.ZodMiniType<B>; query?: z.ZodMiniType<Q> },
  fn: (req: PublicRequest<B, Q>) => Promise<ApiResponse>,
): RouteImpl => {
  const impl: RouteImpl = async (event) => fn(await requestOf(schemas, event));
  schemasOf.set(impl, schemas);
  publicImpls.add(impl);
  return impl;
};

const json = (
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 => ({
  statusCode: status,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers, ...SECURITY_HEADERS },
  body: body === undefined ? '' : JSON.stringify(body),
});

const problemResponse = (p: Problem, path?: string): APIGatewayProxyStructuredResultV2 => ({
  statusCode: p.status,
  headers: { 'content-type': 'application/problem+json; charset=utf-8', ...SECURITY_HEADERS },
  body: JSON.stringify(p.body(path)),
});

let idempotentRun:
  | ((data: { key: string; body: string }, run: () => Promise<ApiResponse>) => Promise<ApiResponse>)
  | undefined;

/**
 * Retries with the same Idempotency-Key and body give the stored answer and one effect;
 * the same key with another body is refused. Keys are scoped to the caller (sub, role and
 * unit), the route and the path: another caller's key of the same spelling is another key.
 * Refusals are thrown, not stored, so a corrected retry can still succeed.
 */
const idempotently = (data: { key: string; body: string }, run: () => Promise<ApiResponse>): Promise<ApiResponse> => {
  if (!idempotentRun) {
    const config = new IdempotencyConfig({
      eventKeyJmesPath: 'key',
      payloadValidationJmesPath: 'body',
      expiresAfterSeconds: 24 * 3600,
    });
    // Outside Lambda there is no context; give it one so that it does not warn on every call.
    config.registerLambdaContext({ getRemainingTimeInMillis: () => 30_000 } as unknown as Context);
    idempotentRun = makeIdempotent(async (d: { key: string; body: string }, r: () => Promise<ApiResponse>) => r(), {
      persistenceStore: idempotencyPersistenceLayer(),
      config,
    }) as unknown as typeof idempotentRun;
  }
  return idempotentRun!(data, run);
};

export interface ApiHandlerOptions {
  /** For routes marked `transition`: the answer of a keyed command whose effect is already recorded. */
  replayTransition?: (projectId: string | undefined, commandId: string) => Promise<ApiResponse | undefined>;
}

/**
 * Checks the token's presence and role against the route table, before any state is read,
 * and gives the parsed caller to staff routes.
 */
const authorize = (spec: RouteSpec | undefined, event: APIGatewayProxyEventV2): Caller | undefined => {
  if (!spec || spec.access === 'public') return undefined;
  const caller = callerOf(event);
  if (!caller) throw unauthorized();
  if (!spec.access.includes(caller.role))
    throw forbidden(`The role "${caller.role}" may not call ${spec.method} ${spec.path}`);
  return caller;
};

/** A public route written as a staff route (or the reverse) would refuse everyone or admit anyone. */
const assertAccessMatches = (key: string, impl: RouteImpl): void => {
  const spec = specByKey.get(key);
  if (!spec) throw new Error(`${key} is not in the route table`);
  if ((spec.access === 'public') !== publicImpls.has(impl))
    throw new Error(
      `${key} is ${spec.access === 'public' ? 'public' : 'for staff'} in the route table but not in its handler`,
    );
};

/**
 * The Lambda entry of one resource module: dispatches on the route key that API Gateway
 * (or the local server) sets, and turns every refusal into problem+json.
 */
export const apiHandler = (impls: Record<string, RouteImpl>, opts: ApiHandlerOptions = {}) => {
  for (const [key, impl] of Object.entries(impls)) {
    assertAccessMatches(key, impl);
    ROUTE_SCHEMAS.set(key, schemasOf.get(impl) ?? {});
  }
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(audit())
    .handler(async (event) => {
      const audit = requestAuditOf(event);
      return audit ? withRequestAudit(audit, () => handle(event)) : handle(event);
    });

  async function handle(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
    const path = event.rawPath;
    try {
      const impl = impls[event.routeKey];
      if (!impl) return problemResponse(new Problem(404, 'Not Found', `No route ${event.routeKey}`), path);
      const spec = specByKey.get(event.routeKey);
      const caller = authorize(spec, event);
      const scope = idempotencyScopeOf(event);
      let res: ApiResponse;
      if (scope) {
        if (scope.key.length > 128)
          throw badRequest('Idempotency-Key is too long', [
            { path: 'Idempotency-Key', message: 'at most 128 characters' },
          ]);
        // The command's id is a hash of its whole scope: it keys the stored answer, the records it
        // adds and the events it writes, so no sub or key can be chosen to collide with another caller's.
        const commandId = recordId(scope);
        const run = () =>
          withCommandId(commandId, () => decideOnCopies(() => impl(event, caller))).catch(async (e) => {
            const replayed =
              e instanceof Problem && e.status === 409 && spec?.transition
                ? await opts.replayTransition?.(event.pathParameters?.id, commandId)
                : undefined;
            if (replayed) return replayed;
            throw e;
          });
        res = await idempotently({ key: commandId, body: event.body ?? '' }, run);
      } else {
        res = await decideOnCopies(() => impl(event, caller));
      }
      // A string body with its own content type (CSV exports) is sent as it is.
      if (typeof res.body === 'string' && res.headers?.['content-type'])
        return { statusCode: res.status, headers: { ...res.headers, ...SECURITY_HEADERS }, body: res.body };
      return json(res.status, res.body, res.headers);
    } catch (e) {
      if (e instanceof Problem) return problemResponse(e, path);
      if (e instanceof IdempotencyValidationError)
        return problemResponse(
          unprocessable('This Idempotency-Key was used with another body', [
            { path: 'Idempotency-Key', message: 'reused with a different body' },
          ]),
          path,
        );
      if (e instanceof IdempotencyAlreadyInProgressError)
        return problemResponse(conflict('A request with this Idempotency-Key is still being processed'), path);
      runtime().logger.error('unhandled error', maskPersonalData({ route: event.routeKey, error: e as Error }));
      return problemResponse(new Problem(500, 'Internal Server Error', 'The request could not be completed'), path);
    }
  }
};

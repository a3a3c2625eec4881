import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import * as z from '../../functions/zod.ts';
import { ROUTES, ROLES, pathPattern, routeKey, type ApiModule, type RouteSpec } from '../../functions/api/routes.ts';
import { SECURITY_HEADERS } from '../../functions/api/securityHeaders.ts';
import { loadApiModule } from '../../functions/api/moduleLoader.ts';
import type { InvocationGate } from './invocationGate.ts';
import { REQUEST_TAG_HEADER, currentRequestTag, taggingRequests } from './requestTag.ts';

export type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/** Local-only endpoints (the token issuer, the clock, the outbox). */
export type LocalRoute = (req: {
  method: string;
  body: unknown;
  query: URLSearchParams;
}) => Promise<{ status: number; body: unknown }>;

export interface ServerDeps {
  verify(token: string): Promise<Record<string, unknown> | undefined>;
  local: Record<string, LocalRoute>;
  /** The handler of a module when it is not the module's own export (the as-deployed mode runs it as its function). */
  handlerFor?: (module: ApiModule) => Handler;
  /** Extra static content (the notice board), tried before 404. */
  fallback?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
  /** Runs each API handler in its turn: a bounded number at once, later requests in arrival order. */
  inTurn: InvocationGate;
}

interface CompiledRoute {
  spec: RouteSpec;
  pattern: RegExp;
  names: string[];
}

const compile = (spec: RouteSpec): CompiledRoute => ({ spec, ...pathPattern(spec.path) });

const problem = (res: ServerResponse, status: number, title: string, detail: string) => {
  res.writeHead(status, { 'content-type': 'application/problem+json; charset=utf-8', ...SECURITY_HEADERS });
  res.end(JSON.stringify({ type: 'about:blank', title, status, detail }));
};

/**
 * The body, or undefined when it is over `limit` bytes. An oversized body is read to its
 * end and dropped, not cut off: a client still sending when the socket closes sees a
 * reset instead of the 413 that tells it why.
 */
const readBody = (req: IncomingMessage, limit: number): Promise<string | undefined> =>
  new Promise((resolve, reject) => {
    let chunks: Buffer[] | undefined = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) chunks = undefined;
      else chunks?.push(c);
    });
    req.on('end', () => resolve(chunks ? Buffer.concat(chunks).toString('utf8') : undefined));
    req.on('error', reject);
  });

/** Path parameters decoded as API Gateway does; undefined for a malformed percent-encoding. */
const decodeParams = (names: string[], values: string[]): Record<string, string> | undefined => {
  try {
    return Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(values[i])]));
  } catch {
    return undefined;
  }
};

const fakeContext = (name: string): Context =>
  ({ functionName: name, awsRequestId: randomUUID(), getRemainingTimeInMillis: () => 30_000 }) as unknown as Context;

/**
 * API Gateway's part, locally: match the route, check the bearer token as the JWT
 * authorizer would, and hand the handler the same event shape (payload format 2.0).
 */
export const startServer = async (port: number, deps: ServerDeps): Promise<Server> => {
  const routes = ROUTES.map(compile);
  const loaded = new Map<ApiModule, Handler>();
  const handlerOf = async (m: ApiModule) => {
    let h = loaded.get(m);
    if (!h) {
      h = deps.handlerFor ? deps.handlerFor(m) : ((await loadApiModule(m)).handler as Handler);
      loaded.set(m, h);
    }
    return h;
  };

  const serve = taggingRequests(async (req: IncomingMessage, res: ServerResponse) => {
    const tag = currentRequestTag();
    if (tag) res.setHeader(REQUEST_TAG_HEADER, tag);
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const method = req.method ?? 'GET';
      const raw = await readBody(req, 1024 * 1024);
      if (raw === undefined) return problem(res, 413, 'Content Too Large', 'The body is larger than 1 MB');

      const local = deps.local[url.pathname];
      if (local) {
        let body: unknown;
        try {
          body = raw ? JSON.parse(raw) : {};
        } catch {
          return problem(res, 400, 'Bad Request', 'The body is not valid JSON');
        }
        const out = await local({ method, body, query: url.searchParams });
        const isProblem = out.status >= 400;
        res.writeHead(out.status, {
          'content-type': isProblem ? 'application/problem+json; charset=utf-8' : 'application/json; charset=utf-8',
          ...SECURITY_HEADERS,
        });
        return res.end(JSON.stringify(out.body));
      }

      const matches = routes.filter((r) => r.pattern.test(url.pathname));
      const hit = matches.find((r) => r.spec.method === method);
      if (!hit) {
        if (matches.length)
          return problem(res, 405, 'Method Not Allowed', `${method} is not allowed on ${url.pathname}`);
        if (deps.fallback && (await deps.fallback(req, res))) return;
        return problem(res, 404, 'Not Found', `No route ${method} ${url.pathname}`);
      }
      const m = hit.pattern.exec(url.pathname)!;
      const pathParameters = decodeParams(hit.names, m.slice(1));
      if (!pathParameters) return problem(res, 400, 'Bad Request', 'The path holds a malformed percent-encoding');

      let claims: Record<string, unknown> | undefined;
      if (hit.spec.access !== 'public') {
        const auth = req.headers.authorization ?? '';
        const token = /^Bearer\s+(.+)$/i.exec(auth)?.[1];
        claims = token ? await deps.verify(token) : undefined;
        if (!claims) return problem(res, 401, 'Unauthorized', 'A valid bearer token is required');
      }

      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers))
        if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
      const query: Record<string, string> = {};
      for (const [k, v] of url.searchParams) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
      const event = {
        version: '2.0',
        routeKey: routeKey(hit.spec),
        rawPath: url.pathname,
        rawQueryString: url.search.slice(1),
        headers,
        queryStringParameters: Object.keys(query).length ? query : undefined,
        pathParameters,
        body: raw || undefined,
        isBase64Encoded: false,
        requestContext: {
          http: {
            method,
            path: url.pathname,
            protocol: 'HTTP/1.1',
            sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
            userAgent: headers['user-agent'] ?? '',
          },
          requestId: randomUUID(),
          routeKey: routeKey(hit.spec),
          stage: '$default',
          timeEpoch: Date.now(),
          ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}),
        },
      } as unknown as APIGatewayProxyEventV2;
      const handler = await handlerOf(hit.spec.module);
      const out = await deps.inTurn(() => handler(event, fakeContext(hit.spec.module)));
      res.writeHead(out.statusCode ?? 200, out.headers as Record<string, string>);
      res.end(out.body ?? '');
    } catch (e) {
      console.error('local server error', e);
      if (!res.headersSent) problem(res, 500, 'Internal Server Error', 'The request could not be completed');
      else res.end();
    }
  });
  const server = createServer(serve);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, resolve);
  });
  return server;
};

export const portOf = (s: Server): number => (s.address() as AddressInfo).port;

export const TokenRequest = z.strictObject({
  sub: z.string().check(z.minLength(1), z.maxLength(128)),
  role: z.enum(ROLES as ['district', 'street', 'community', 'auditor', 'undertaker']),
  orgUnitId: z.string().check(z.minLength(1), z.maxLength(64)),
});

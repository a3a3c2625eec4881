import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsImport from 'ajv-formats';
import { ROUTES, pathPattern, routeKey } from '../../functions/api/routes.ts';

/*
 * The contract test: every exchange of the end-to-end suite is checked against the
 * committed OpenAPI document (a freshness test keeps it equal to a fresh generation).
 * A response must have a documented status, content type, required headers and a body
 * that matches its schema. A request that breaks the document must be refused (4xx):
 * tests send bad requests on purpose, but one the server accepts means the document
 * says less than the server does. Local-only endpoints (/local/*) are outside the
 * document. Each schema is compiled once per test process.
 */

type Json = Record<string, any>;
const addFormats = addFormatsImport as unknown as (ajv: Ajv2020) => Ajv2020;

const DOC: Json = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../openapi.json'), 'utf8'));
const DOC_ID = 'openapi.json';

const makeAjv = (coerceTypes: boolean) => {
  // inlineRefs off: a shared schema (the project, the problem) is compiled once and called, not copied into every validator.
  const ajv = new Ajv2020({ strict: false, allErrors: true, coerceTypes, validateFormats: true, inlineRefs: false });
  addFormats(ajv);
  ajv.addSchema({ components: DOC.components }, DOC_ID);
  return ajv;
};
const bodies = makeAjv(false);
// Path and query values arrive as strings; their schemas say what they are once parsed.
const params = makeAjv(true);

interface Operation {
  key: string;
  pattern: RegExp;
  names: string[];
  method: string;
  op: Json;
  params: { path?: Json; query?: Json };
}

const OPERATIONS: Operation[] = ROUTES.map((r) => {
  const op = DOC.paths[r.path]?.[r.method.toLowerCase()];
  if (!op) throw new Error(`openapi.json has no ${routeKey(r)}: run npm run openapi`);
  return { key: routeKey(r), ...pathPattern(r.path), method: r.method, op, params: {} };
});

// Keyed by the schema itself: the routes that answer the same schema share one validator.
const compiled = new Map<string, ValidateFunction>();
const bySchemaObject = new WeakMap<Json, ValidateFunction>();
const validator = (ajv: Ajv2020, schema: Json): ValidateFunction => {
  const known = bySchemaObject.get(schema);
  if (known) return known;
  const text = JSON.stringify(schema).replaceAll('"#/components/', `"${DOC_ID}#/components/`);
  const cacheKey = `${ajv === params ? 'params' : 'bodies'} ${text}`;
  let v = compiled.get(cacheKey);
  if (!v) {
    v = ajv.compile(JSON.parse(text));
    compiled.set(cacheKey, v);
  }
  bySchemaObject.set(schema, v);
  return v;
};

const resolveRef = (node: Json): Json => {
  if (!node?.$ref) return node;
  const path = String(node.$ref).replace(/^#\//, '').split('/');
  return path.reduce((n: Json, p) => n[p], DOC);
};

const errorsOf = (v: ValidateFunction) =>
  (v.errors ?? [])
    .slice(0, 4)
    .map(
      (e) =>
        `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${e.params.additionalProperty})` : ''}`,
    )
    .join('; ');

const mediaType = (header: string | null) => (header ?? '').split(';')[0].trim().toLowerCase();

export interface Exchange {
  method: string;
  url: URL;
  requestHeaders: Headers;
  requestBody?: string;
  status: number;
  responseHeaders: Headers;
  responseBody: string;
}

/** Thrown when an exchange breaks the document; the message says which rule and where. */
export class ContractViolation extends Error {
  override name = 'ContractViolation';
}

/** One object schema for an operation's path or query parameters. */
const paramsSchema = (ps: Json[]): Json => ({
  type: 'object',
  properties: Object.fromEntries(ps.map((p) => [p.name, p.schema])),
  required: ps.filter((p) => p.required).map((p) => p.name),
  additionalProperties: false,
});

/** What the request breaks in the document (empty when it is well-formed). */
const requestFaults = (o: Operation, match: RegExpExecArray, x: Exchange): string[] => {
  const faults: string[] = [];
  const declared: Json[] = o.op.parameters ?? [];
  for (const where of ['path', 'query'] as const) {
    const values: Json = {};
    if (where === 'path') {
      try {
        o.names.forEach((n, i) => (values[n] = decodeURIComponent(match[i + 1])));
      } catch {
        faults.push('path: a malformed percent-encoding');
        continue;
      }
    } else for (const [k, v] of x.url.searchParams) values[k] = v;
    const v = validator(params, (o.params[where] ??= paramsSchema(declared.filter((p) => p.in === where))));
    if (!v(values)) faults.push(`${where}: ${errorsOf(v)}`);
  }
  const content = o.op.requestBody?.content?.['application/json'];
  if (content) {
    let body: unknown;
    try {
      body = x.requestBody ? JSON.parse(x.requestBody) : undefined;
    } catch {
      faults.push('body: not JSON');
      return faults;
    }
    if (body === undefined) faults.push('body: missing');
    else {
      const v = validator(bodies, content.schema);
      if (!v(body)) faults.push(`body: ${errorsOf(v)}`);
    }
  } else if (x.requestBody) faults.push('body: this operation takes none');
  return faults;
};

/** Throws a ContractViolation when the exchange breaks the document. */
export const checkExchange = (x: Exchange): void => {
  if (x.url.pathname.startsWith('/local/')) return;
  const where = `${x.method} ${x.url.pathname}${x.url.search}`;
  const fail = (msg: string): never => {
    throw new ContractViolation(`${where} → ${x.status}: ${msg}\n${x.responseBody.slice(0, 400)}`);
  };
  // Every API response, refusals included, as the document's description promises.
  if (x.responseHeaders.get('cache-control') !== 'no-store') fail('Cache-Control is not no-store');
  if (x.responseHeaders.get('x-content-type-options') !== 'nosniff') fail('X-Content-Type-Options is not nosniff');
  let o: Operation | undefined;
  let match: RegExpExecArray | null = null;
  for (const c of OPERATIONS) {
    match = c.method === x.method ? c.pattern.exec(x.url.pathname) : null;
    if (match) {
      o = c;
      break;
    }
  }
  if (!o || !match) {
    // Outside the document the server must refuse, as problem+json.
    if (![404, 405].includes(x.status)) fail('not an operation of the document, yet not refused with 404 or 405');
    if (mediaType(x.responseHeaders.get('content-type')) !== 'application/problem+json')
      fail('a refusal that is not problem+json');
    return;
  }

  const faults = requestFaults(o, match, x);
  if (faults.length && x.status < 400) fail(`the request breaks the document yet was accepted: ${faults.join(' | ')}`);

  const documented = o.op.responses[String(x.status)];
  if (!documented)
    fail(`status ${x.status} is not documented for ${o.key} (documented: ${Object.keys(o.op.responses).join(', ')})`);
  const response = resolveRef(documented);
  const type = mediaType(x.responseHeaders.get('content-type'));
  const content = response.content?.[type];
  if (!content)
    fail(
      `content type "${type}" is not documented for ${x.status} (documented: ${Object.keys(response.content ?? {}).join(', ')})`,
    );
  for (const [name, h] of Object.entries<Json>(response.headers ?? {}))
    if (h.required && !x.responseHeaders.get(name)) fail(`the required header ${name} is missing`);
  if (type.endsWith('json')) {
    let body: unknown;
    try {
      body = JSON.parse(x.responseBody);
    } catch {
      fail('the body is not JSON');
    }
    const v = validator(bodies, content.schema);
    if (!v(body)) fail(`the body breaks the schema: ${errorsOf(v)}`);
  }
};

/**
 * A `fetch` that checks every exchange against the document: the typed client and the
 * raw test client both send through it.
 */
export const contractFetch = async (request: Request): Promise<Response> => {
  const requestBody = request.body ? await request.clone().text() : undefined;
  const response = await fetch(request);
  const responseBody = await response.clone().text();
  checkExchange({
    method: request.method,
    url: new URL(request.url),
    requestHeaders: request.headers,
    requestBody,
    status: response.status,
    responseHeaders: response.headers,
    responseBody,
  });
  return response;
};

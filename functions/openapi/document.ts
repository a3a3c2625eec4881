import * as z from '../zod.ts';
import { ROUTES, apiModules, routeKey, type ApiModule, type RouteSpec } from '../api/routes.ts';
import { loadApiModule } from '../api/moduleLoader.ts';
import { ROUTE_SCHEMAS, type RouteSchemas } from '../api/http.ts';
import { year, id } from '../api/schemas.ts';
import { TrancheParam } from '../api/acceptance.ts';
import * as R from '../api/responses.ts';
import { REQUEST_EXAMPLES } from './examples.ts';
import { NOTES, SUMMARIES, TAGS } from './summaries.ts';

/*
 * The OpenAPI 3.1 document, generated: the routes from ROUTES, the request bodies and
 * queries from the schemas the handlers parse with (registered by apiHandler when each
 * module loads), the responses from responses.ts. Nothing here restates a field.
 */

type Json = Record<string, any>;

/** Path parameters the handlers parse themselves; any other is an opaque id. */
const PATH_PARAMS: Record<string, z.ZodMiniType> = { year, n: TrancheParam };

/** Loads every api module so that each registers its routes' schemas. */
export const loadRouteSchemas = async (): Promise<ReadonlyMap<string, RouteSchemas>> => {
  await Promise.all(apiModules().map(loadApiModule));
  return ROUTE_SCHEMAS;
};

const SAFE = Number.MAX_SAFE_INTEGER;

/** Drops what JSON Schema output adds that a reader does not need: `$schema`, `$id`, the safe-integer bounds. */
const tidy = (node: unknown): unknown => {
  if (Array.isArray(node)) return node.map(tidy);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$schema' || k === '$id') continue;
    if ((k === 'minimum' && v === -SAFE) || (k === 'maximum' && v === SAFE)) continue;
    out[k] = tidy(v);
  }
  return out;
};

/**
 * A coerced number (`queryInt`, `year`) reads as a bare number in input mode; clients must
 * send what it becomes, so it is described by the rule after coercion.
 */
const coercedAsParsed = (ctx: { zodSchema: unknown; jsonSchema: Json }) => {
  const def = (ctx.zodSchema as { _zod: { def: Json } })._zod.def;
  if (def.type !== 'pipe' || !def.in?._zod?.def?.coerce) return;
  const parsed = z.toJSONSchema(def.out, { io: 'output', target: 'draft-2020-12' }) as Json;
  delete parsed.$schema;
  for (const k of Object.keys(ctx.jsonSchema)) delete ctx.jsonSchema[k];
  Object.assign(ctx.jsonSchema, parsed);
};

const jsonSchema = (schema: z.ZodMiniType, io: 'input' | 'output'): Json =>
  tidy(z.toJSONSchema(schema, { io, target: 'draft-2020-12', override: coercedAsParsed })) as Json;

/** `POST /v1/projects/{id}/submit` → `postProjectsIdSubmit`. */
export const operationId = (r: Pick<RouteSpec, 'method' | 'path'>): string =>
  r.method.toLowerCase() +
  r.path
    .replace(/^\/v1\//, '')
    .split(/[/.-]/)
    .filter(Boolean)
    .map((s) => s.replace(/[{}]/g, ''))
    .map((s) => s[0].toUpperCase() + s.slice(1))
    .join('');

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const problemRef = (name: string) => ({ $ref: `#/components/responses/${name}` });

/** The refusals, one shared response each; the descriptions follow API.md. */
const REFUSALS: Record<number, [string, string]> = {
  400: [
    'BadRequest',
    'Malformed: not JSON, an unknown field, a field that breaks its rule (named in `errors`), or a malformed percent-encoding in the path',
  ],
  401: ['Unauthorized', 'No token, or a token that is not valid'],
  403: ['Forbidden', 'Your unit but not your role, or a step that is not yours'],
  404: ['NotFound', 'Unknown, or another unit’s (its existence is not revealed)'],
  413: ['ContentTooLarge', 'The body is larger than 64 KB'],
  409: [
    'Conflict',
    'Wrong state, or a limit would be broken (budget, window closed, disqualified undertaker, Idempotency-Key in use)',
  ],
  422: [
    'UnprocessableContent',
    'Valid JSON that breaks a rule (prohibited use, sources that do not sum, an Idempotency-Key reused with another body)',
  ],
  429: ['TooManyRequests', 'Too many public writes from this client or to this target'],
};

/** The statuses a route may refuse with, from its inputs, its access and its own list. */
export const refusalsOf = (spec: RouteSpec, schemas: RouteSchemas | undefined): number[] => {
  const own = R.RESPONSES[routeKey(spec)]?.refusals ?? [];
  const write = spec.method !== 'GET';
  const parsesInput =
    !!schemas?.body || !!schemas?.query || Object.keys(PATH_PARAMS).some((p) => spec.path.includes(`{${p}}`));
  const all = new Set<number>(own);
  // Any path parameter may arrive with a malformed percent-encoding.
  if (parsesInput || write || spec.path.includes('{')) all.add(400);
  if (schemas?.body) all.add(413);
  if (spec.access !== 'public') [401, 403].forEach((s) => all.add(s));
  // Every write takes an Idempotency-Key: one still running is 409, one reused with another body 422.
  if (write) [409, 422].forEach((s) => all.add(s));
  return [...all].sort();
};

const rolesText = (spec: RouteSpec) =>
  spec.access === 'public' ? 'Public: no token.' : `Roles: ${spec.access.join(', ')}.`;

/**
 * Builds the document. `version` is the product's version (package.json); the api
 * modules must have been loaded (`loadRouteSchemas`).
 */
export const buildDocument = (version: string): Json => {
  const outputs = z.registry<{ id: string }>();
  const inputs = z.registry<{ id: string }>();
  const shared: Record<string, z.ZodMiniType> = {
    Problem: R.Problem,
    ProjectView: R.ProjectView,
    ProjectSummary: R.ProjectSummary,
    PublicProjectSummary: R.PublicProjectSummary,
    HistoryEvent: R.HistoryEvent,
    Deliberation: R.Deliberation,
    Objection: R.Objection,
    Tranche: R.Tranche,
    Deadlines: R.Deadlines,
    Actor: R.Actor,
    AllocationView: R.AllocationView,
    UndertakerView: R.UndertakerView,
    ChangeRequest: R.ChangeRequest,
    YearEndReport: R.YearEndReport,
    Lists: R.Lists,
  };
  for (const [name, s] of Object.entries(shared)) outputs.add(s, { id: name });

  const paths: Json = {};
  const usedTags = new Set<string>();
  for (const spec of ROUTES) {
    const key = routeKey(spec);
    const op = operationId(spec);
    const schemas = ROUTE_SCHEMAS.get(key);
    const responses = R.RESPONSES[key];
    if (!responses) throw new Error(`responses.ts has no response for ${key}`);
    if (!SUMMARIES[key]) throw new Error(`summaries.ts has no summary for ${key}`);
    const success = responses.success;
    const responseName = `${op[0].toUpperCase()}${op.slice(1)}Response`;
    if (!outputs.has(success.schema)) outputs.add(success.schema, { id: responseName });
    if (schemas?.body) inputs.add(schemas.body, { id: `${op[0].toUpperCase()}${op.slice(1)}Body` });

    const parameters: Json[] = [];
    for (const m of spec.path.matchAll(/\{(\w+)\}/g)) {
      const name = m[1];
      parameters.push({ name, in: 'path', required: true, schema: jsonSchema(PATH_PARAMS[name] ?? id, 'output') });
    }
    if (schemas?.query) {
      // Types and bounds are those after parsing (query strings are coerced); what is required is the input's.
      const parsed = jsonSchema(schemas.query, 'output');
      const given = jsonSchema(schemas.query, 'input');
      const required = new Set<string>(given.required ?? []);
      for (const [name, s] of Object.entries<Json>(parsed.properties ?? {}))
        parameters.push({ name, in: 'query', required: required.has(name), schema: s });
    }
    if (spec.method !== 'GET')
      parameters.push({
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description:
          'Retries with the same key and body give the same answer and one effect, also after a crash: a record the command adds takes an id derived from the key. ' +
          'The key is bound to the caller (sub, role and unit; the client address on public routes), the route and the path.',
        schema: { type: 'string', minLength: 1, maxLength: 128 },
      });

    const content: Json = { 'application/json': { schema: ref(outputs.get(success.schema)!.id) } };
    if (success.csv)
      content['text/csv'] = {
        schema: {
          type: 'string',
          description: 'The same lists in one CSV file with a BOM, told apart by the `list` column',
        },
      };
    const headers: Json = {};
    for (const [h, description] of Object.entries(success.headers ?? {}))
      headers[h[0].toUpperCase() + h.slice(1)] = { description, required: true, schema: { type: 'string' } };
    if (success.csv)
      headers['Content-Disposition'] = {
        description: 'With the CSV: the file name',
        required: false,
        schema: { type: 'string' },
      };

    const operation: Json = {
      operationId: op,
      summary: SUMMARIES[key],
      description: [rolesText(spec), NOTES[key]].filter(Boolean).join(' '),
      tags: [spec.module],
      'x-roles': spec.access === 'public' ? [] : [...spec.access],
      ...(spec.access === 'public' || spec.path.startsWith('/v1/public/') ? { security: [] } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(schemas?.body
        ? {
            requestBody: {
              required: true,
              content: {
                'application/json': {
                  schema: ref(inputs.get(schemas.body)!.id),
                  ...(REQUEST_EXAMPLES[key] ? { example: REQUEST_EXAMPLES[key] } : {}),
                },
              },
            },
          }
        : {}),
      responses: {
        [String(success.status)]: {
          description: success.description,
          ...(Object.keys(headers).length ? { headers } : {}),
          content,
        },
        ...Object.fromEntries(refusalsOf(spec, schemas).map((s) => [String(s), problemRef(REFUSALS[s][0])])),
      },
    };
    usedTags.add(spec.module);
    (paths[spec.path] ??= {})[spec.method.toLowerCase()] = operation;
  }

  const uri = (id: string) => `#/components/schemas/${id}`;
  const outSchemas = tidy(z.toJSONSchema(outputs, { io: 'output', target: 'draft-2020-12', uri }).schemas) as Json;
  const inSchemas = tidy(
    z.toJSONSchema(inputs, { io: 'input', target: 'draft-2020-12', uri, override: coercedAsParsed }).schemas,
  ) as Json;

  return {
    openapi: '3.1.0',
    info: {
      title: 'Community service special funds (社区服务群众专项经费)',
      version,
      summary: 'The system of record for community service special funds',
      description:
        'Needs, projects and their lifecycle (review, 7-day publicity, objections, approval), the fund ledger, ' +
        'year-end checks and reports of one district. Money is integer fen in fields ending `Fen`; deadlines carry ' +
        'the +08:00 offset. Errors are RFC 9457 `application/problem+json`. Paths under `/v1/public/` need no token. ' +
        'Every response carries `Cache-Control: no-store` and `X-Content-Type-Options: nosniff`.',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    // Relative: the same document describes `npm start` and the district's API Gateway.
    servers: [{ url: '/', description: 'The host that serves this document' }],
    security: [{ bearer: [] }],
    tags: [...usedTags].map((t) => ({ name: t, description: TAGS[t as ApiModule] })),
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'A Cognito ID token (locally: POST /local/token) with `sub`, `role` and `orgUnitId`.',
        },
      },
      schemas: { ...outSchemas, ...inSchemas },
      responses: Object.fromEntries(
        Object.values(REFUSALS).map(([name, description]) => [
          name,
          { description, content: { 'application/problem+json': { schema: ref('Problem') } } },
        ]),
      ),
    },
  };
};

import { afterAll, beforeAll, expect, it } from 'vitest';
import fc from 'fast-check';
import { ROUTES, routeKey, type Role, type RouteSpec } from '../../functions/api/routes.ts';
import { Api, startProduct, type Reply, type Running } from '../support/localServer.ts';
import { deliberate, projectBody } from '../support/scenario.ts';
import {
  CALLER_UNIT,
  COMMUNITY_OF,
  STREET_OF,
  UNITS,
  rowOf,
  type Fixtures,
  type Unit,
} from '../support/accessMatrix.ts';

let server: Running;
let api: Api;
const tokens = {} as Record<Role, string>;
const fx = { year: 2025, withdrawn: {}, inPublicity: {}, inProgress: {} } as Fixtures;

const must = (r: Reply, status: number, what: string) => {
  if (r.status !== status) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
};

/** A DRAFT, an IN_PUBLICITY and an approved project per unit: every state a hostile write could try to move. */
beforeAll(async () => {
  server = await startProduct();
  api = new Api(server.baseUrl);
  await api.setClock('2025-09-23T10:00:00+08:00');
  const district = await api.token('district', CALLER_UNIT.district);
  const approvals: (() => Promise<void>)[] = [];
  for (const unit of UNITS) {
    const community = await api.token('community', COMMUNITY_OF[unit]);
    const street = await api.token('street', STREET_OF[unit]);
    must(
      await api.call('PUT', `/v1/allocations/${fx.year}/${COMMUNITY_OF[unit]}`, {
        token: district,
        body: { amountFen: 20_000_000, sources: [{ funder: '官渡区财政', amountFen: 20_000_000 }] },
      }),
      200,
      'allocation',
    );
    const draft = must(
      await api.call('POST', '/v1/projects', {
        token: community,
        body: projectBody({ communityId: COMMUNITY_OF[unit] }),
      }),
      201,
      'create',
    );
    fx.withdrawn[unit] = draft.id; // left in DRAFT here: PATCH, submit and withdraw could move it, if a hostile body got through
    const reviewed = async () => {
      const p = must(
        await api.call('POST', '/v1/projects', {
          token: community,
          body: projectBody({ communityId: COMMUNITY_OF[unit] }),
        }),
        201,
        'create',
      );
      await deliberate(api, community, p.id);
      must(await api.call('POST', `/v1/projects/${p.id}/submit`, { token: community }), 200, 'submit');
      must(
        await api.call('POST', `/v1/projects/${p.id}/review`, {
          token: street,
          body: { decision: 'pass', comment: '同意' },
        }),
        200,
        'review',
      );
      return p.id as string;
    };
    const pub = await reviewed();
    const toApprove = await reviewed();
    const objection = must(
      await api.call('POST', `/v1/public/projects/${pub}/objections`, { body: { content: '选址不妥' } }),
      201,
      'objection',
    );
    fx.inPublicity[unit] = { id: pub, objectionId: objection.id };
    approvals.push(async () => {
      must(
        await api.call('POST', `/v1/projects/${toApprove}/approval`, {
          token: street,
          body: { decision: 'approve', comment: '同意' },
        }),
        200,
        'approval',
      );
      fx.inProgress[unit] = toApprove;
    });
  }
  await api.advance('P8D');
  for (const approve of approvals) await approve();
  const change = await api.call('POST', `/v1/projects/${fx.inProgress.own}/change-requests`, {
    token: await api.token('community', COMMUNITY_OF.own),
    body: { plannedEnd: '2025-12-20', reason: '工期顺延' },
  });
  fx.changeRequestId = change.status === 201 ? change.body.id : 'NO-SUCH-CHANGE';
  const registered = await api.call('POST', '/v1/undertakers', {
    token: district,
    body: { name: '星河社工服务中心', kind: 'social_org', creditCode: '52530111MJ0000001X' },
  });
  fx.undertakerId = registered.status === 201 ? registered.body.id : 'UNREGISTERED-UNDERTAKER';
  const cal = must(await api.call('GET', `/v1/calendar/${fx.year}`, { token: district }), 200, 'calendar');
  fx.calendar = { holidays: cal.holidays, workdays: cal.workdays, source: cal.source };
  for (const role of Object.keys(CALLER_UNIT) as Role[])
    tokens[role] = await api.token(role, role === 'undertaker' ? fx.undertakerId : CALLER_UNIT[role], `fuzz-${role}`);
}, 120_000);
afterAll(async () => server?.stop());

/** Everything a refused write must leave as it was: the fixtures' projects and the allocations. */
const snapshot = async () => {
  const out: Record<string, unknown> = {};
  const ids = UNITS.flatMap((u: Unit) => [fx.withdrawn[u], fx.inPublicity[u].id, fx.inProgress[u]]);
  for (const id of ids) out[id] = (await api.call('GET', `/v1/projects/${id}`, { token: tokens.district })).body;
  out.allocations = (await api.call('GET', `/v1/allocations/${fx.year}`, { token: tokens.district })).body;
  out.calendar = (await api.call('GET', `/v1/calendar/${fx.year}`, { token: tokens.district })).body;
  return out;
};

const deep = (n: number, leaf: unknown): unknown => (n === 0 ? leaf : { a: deep(n - 1, leaf) });

/** Values that no field of any body accepts: wrong types, out of range, empty, huge, nested, polluting. */
const BAD_VALUES: unknown[] = [
  null,
  {},
  [null],
  '',
  '   ',
  'x'.repeat(9000),
  1.5,
  -1,
  1e21,
  deep(60, 'x'),
  JSON.parse('{"__proto__":{"isAdmin":true}}'),
  { constructor: { prototype: { polluted: true } } },
];

/** Whole bodies, as raw text: not JSON, JSON of the wrong shape, hostile keys, strange numbers and strings. */
const RAW_BODIES: string[] = [
  '',
  '{',
  '{"a":',
  'null',
  'true',
  '0',
  '"text"',
  '[]',
  '[{}]',
  'NaN',
  'Infinity',
  '1e309',
  '-1e309',
  '{"amountFen":1e309}',
  '{"amountFen":"NaN"}',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"__proto__":null}',
  `'; DROP TABLE projects; --`,
  `{"title":"' OR '1'='1","comment":"<script>alert(1)</script>"}`,
  '{"comment":"\\u0000\\ud800\\uffff"}',
  '\ufeff{}',
  '['.repeat(5000) + ']'.repeat(5000),
  `${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`,
  JSON.stringify({ comment: '长'.repeat(70_000) }),
  JSON.stringify({ reason: '😀'.repeat(3000), content: '\u202e\u200b' }),
];

/** The body a caller with the right role would send, with one field broken at a time. */
const brokenFields = (valid: unknown): unknown[] => {
  if (!valid || typeof valid !== 'object') return [];
  const out: unknown[] = [];
  for (const key of Object.keys(valid)) for (const bad of BAD_VALUES) out.push({ ...(valid as object), [key]: bad });
  out.push({ ...(valid as object), unexpected: 1 }, [valid], { raw: JSON.stringify(JSON.stringify(valid)) });
  return out;
};

const randomBodies = (seed: number, n: number): unknown[] => [
  ...fc.sample(fc.anything({ maxDepth: 4, withNullPrototype: true, withObjectString: true }), { seed, numRuns: n }),
  ...fc.sample(fc.json({ maxDepth: 3 }), { seed: seed + 1, numRuns: n }).map((raw) => ({ raw })),
  ...fc.sample(
    fc.dictionary(
      fc.constantFrom(
        'title',
        'amountFen',
        'decision',
        'comment',
        'year',
        'passed',
        'step',
        '__proto__',
        'constructor',
      ),
      fc.anything({ maxDepth: 2 }),
    ),
    { seed: seed + 2, numRuns: n },
  ),
];

/** The role that may call the route and, for a step, holds it, so bodies get past the role check. */
const callerFor = (spec: RouteSpec): Role | undefined =>
  spec.access === 'public'
    ? undefined
    : (rowOf(spec)?.heldBy?.find((r) => (spec.access as readonly Role[]).includes(r)) ?? spec.access[0]);

const send = async (spec: RouteSpec, path: string, token: string | undefined, body: unknown) => {
  if (body && typeof body === 'object' && 'raw' in body && typeof (body as { raw: unknown }).raw === 'string')
    return api.call(spec.method, path, { token, raw: (body as { raw: string }).raw });
  if (typeof body === 'string') return api.call(spec.method, path, { token, raw: body });
  const text = JSON.stringify(body);
  return text === undefined
    ? api.call(spec.method, path, { token })
    : api.call(spec.method, path, { token, raw: text });
};

it('answers thousands of hostile bodies on every write with a problem, never a 5xx, and changes nothing', async () => {
  // Prepare
  const before = await snapshot();
  const writes = ROUTES.filter((r) => r.method !== 'GET');
  const failures: string[] = [];
  let sent = 0;

  // Act
  for (const [i, spec] of writes.entries()) {
    const row = rowOf(spec)!;
    const call = row.call(fx, 'own');
    const role = callerFor(spec);
    const token = role ? tokens[role] : undefined;
    const bodies: unknown[] = [
      ...RAW_BODIES.map((raw) => ({ raw })),
      ...brokenFields(call.body),
      ...randomBodies(1000 + i, 50),
    ];
    for (let b = 0; b < bodies.length; b += 16) {
      const batch = bodies.slice(b, b + 16);
      const replies = await Promise.all(batch.map((body) => send(spec, call.path, token, body)));
      sent += replies.length;
      replies.forEach((r, j) => {
        const what = `${routeKey(spec)} ${JSON.stringify(batch[j])?.slice(0, 120)} → ${r.status}`;
        if (r.status >= 500) failures.push(`${what} ${JSON.stringify(r.body).slice(0, 200)}`);
        else if (r.status >= 300) {
          if (!(r.headers.get('content-type') ?? '').includes('application/problem+json'))
            failures.push(`${what}: not problem+json`);
          else if (r.body?.status !== r.status) failures.push(`${what}: problem status ${r.body?.status}`);
        } else if (r.status < 300 && spec.access !== 'public') failures.push(`${what}: a hostile body was accepted`);
      });
    }
  }
  const after = await snapshot();

  // Assess
  expect(sent).toBeGreaterThan(2000);
  expect(failures).toEqual([]);
  expect(after).toEqual(before);
}, 120_000);

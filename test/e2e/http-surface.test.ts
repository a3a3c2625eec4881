import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, startProduct, type Running } from '../support/localServer.ts';
import { actors, DEMO, projectBody, type Actors } from '../support/scenario.ts';

/*
 * The HTTP surface as a hostile or careless client meets it: keys replayed by another
 * caller, characters that hide or reorder text, contacts typed into public titles,
 * malformed paths and oversized bodies. Every exchange also goes through the contract
 * check, which requires Cache-Control: no-store and X-Content-Type-Options: nosniff.
 */

let server: Running;
let api: Api;
let a: Actors;

beforeAll(async () => {
  server = await startProduct();
  api = new Api(server.baseUrl);
  await api.setClock('2025-09-23T10:00:00+08:00');
  a = await actors(api);
});
afterAll(async () => server?.stop());

const isProblem = (r: { headers: Headers }) =>
  (r.headers.get('content-type') ?? '').startsWith('application/problem+json');

describe('an Idempotency-Key is bound to the caller (sub, role and unit), not only to the key', () => {
  it('never gives one unit’s stored answer to the same person acting for another unit', async () => {
    // Prepare: one person (one sub) holds a token for each of two communities.
    const forHome = await api.token('community', DEMO.community, 'same-person');
    const forSibling = await api.token('community', DEMO.sibling, 'same-person');
    const key = 'shared-key-1';
    const home = await api.call('POST', '/v1/projects', {
      token: forHome,
      body: projectBody(),
      headers: { 'idempotency-key': key },
    });

    // Act: the same key and the same body from the other unit, then the other unit's own project, then the first unit's retry.
    const replayed = await api.call('POST', '/v1/projects', {
      token: forSibling,
      body: projectBody(),
      headers: { 'idempotency-key': key },
    });
    const own = await api.call('POST', '/v1/projects', {
      token: forSibling,
      body: projectBody({ communityId: DEMO.sibling }),
      headers: { 'idempotency-key': key },
    });
    const retry = await api.call('POST', '/v1/projects', {
      token: forHome,
      body: projectBody(),
      headers: { 'idempotency-key': key },
    });

    // Assess
    expect(home.status).toBe(201);
    expect(replayed.status).toBe(404);
    expect(JSON.stringify(replayed.body)).not.toContain(home.body.id);
    expect(own.status).toBe(201);
    expect(own.body.communityId).toBe(DEMO.sibling);
    expect(own.body.id).not.toBe(home.body.id);
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(home.body.id);
  });

  it('never gives one role’s stored answer to the same person in another role', async () => {
    // Prepare
    const asStreet = await api.token('street', DEMO.street, 'two-hats');
    const asDistrict = await api.token('district', DEMO.district, 'two-hats');
    const body = { name: '两顶帽子服务社', kind: 'social_org', creditCode: '52530100MJ0TWOHAT' };
    const first = await api.call('POST', '/v1/undertakers', {
      token: asStreet,
      body,
      headers: { 'idempotency-key': 'hat-key' },
    });

    // Act
    const other = await api.call('POST', '/v1/undertakers', {
      token: asDistrict,
      body,
      headers: { 'idempotency-key': 'hat-key' },
    });

    // Assess: the district's call ran on its own, so it meets the register's duplicate rule.
    expect(first.status).toBe(201);
    expect(other.status).toBe(409);
    expect(other.body.existingId).toBe(first.body.id);
  });
});

describe('text fields refuse lone surrogates, control characters and bidi overrides', () => {
  const need = (over: Record<string, unknown>) => ({
    title: '楼道灯坏了',
    description: '三楼楼道灯不亮',
    channel: 'visit',
    ...over,
  });
  const raise = (body: unknown) =>
    api.call('POST', `/v1/communities/${DEMO.community}/needs`, { token: a.community, body });

  it.each([
    ['a bidi override in a title', { title: '路灯\u202e维修' }, 'title', /bidirectional/],
    ['an isolate in a description', { description: '说明\u2066隐藏\u2069' }, 'description', /bidirectional/],
    ['a lone surrogate in a description', { description: '坏了\ud800' }, 'description', /lone surrogate/],
    ['a NUL in a description', { description: '坏了\u0000' }, 'description', /control characters/],
    ['an escape character in a title', { title: '路灯\u001b[31m' }, 'title', /control characters/],
    ['a C1 control in a title', { title: '路灯\u0085' }, 'title', /control characters/],
  ])('refuses %s with 400 naming the field and the rule, and stores nothing', async (_what, over, field, rule) => {
    // Prepare
    const before = await api.call('GET', `/v1/communities/${DEMO.community}/needs?year=2025&limit=100`, {
      token: a.community,
    });

    // Act
    const r = await raise(need(over));
    const after = await api.call('GET', `/v1/communities/${DEMO.community}/needs?year=2025&limit=100`, {
      token: a.community,
    });

    // Assess
    expect(r.status).toBe(400);
    expect(isProblem(r)).toBe(true);
    expect(r.body.errors).toContainEqual({ path: field, message: expect.stringMatching(rule) });
    expect(after.body.items).toHaveLength(before.body.items.length);
  });

  it('keeps line breaks and tabs in multi-line text (a description, minutes) and refuses them in a single line (a title)', async () => {
    // Prepare
    const project = await api.call('POST', '/v1/projects', { token: a.community, body: projectBody() });

    // Act
    const inTitle = await raise(need({ title: '路灯\n维修' }));
    const r = await raise(need({ description: '一、三楼\n二、四楼\r\n\t（夜间）' }));
    const minutes = await api.call('POST', `/v1/projects/${project.body.id}/deliberations`, {
      token: a.community,
      body: {
        step: 'party_branch_proposal',
        heldOn: '2025-09-20',
        body: '党支部',
        attendance: 9,
        votesFor: 9,
        votesAgainst: 0,
        abstentions: 0,
        minutes: '议程：\n1. 路灯\n2. 预算',
      },
    });

    // Assess
    expect(inTitle.status).toBe(400);
    expect(inTitle.body.errors).toContainEqual({ path: 'title', message: expect.stringMatching(/one line/) });
    expect(r.status).toBe(201);
    expect(r.body.description).toBe('一、三楼\n二、四楼\r\n\t（夜间）');
    expect(minutes.status).toBe(201);
    expect(minutes.body.minutes).toBe('议程：\n1. 路灯\n2. 预算');
  });
});

describe('public reads mask phone numbers and emails typed into need titles', () => {
  it('masks them on the public lists, and staff still read what was typed', async () => {
    // Prepare
    const title = '请联系13812345678或zhang.san@example.cn';
    const raised = await api.call('POST', `/v1/public/communities/${DEMO.community}/needs`, {
      body: { title, description: '路灯不亮' },
    });

    // Act
    const lists = await api.call('GET', `/v1/public/lists?communityId=${DEMO.community}&year=2025`);
    const staff = await api.call('GET', `/v1/communities/${DEMO.community}/needs?year=2025&limit=100`, {
      token: a.community,
    });

    // Assess
    expect(raised.status).toBe(201);
    const shown = lists.body.needs.find((n: { id: string }) => n.id === raised.body.id);
    expect(shown.title).toBe('请联系138****5678或z***@example.cn');
    expect(JSON.stringify(lists.body)).not.toContain('13812345678');
    expect(JSON.stringify(lists.body)).not.toContain('zhang.san@');
    expect(staff.body.items.find((n: { id: string }) => n.id === raised.body.id).title).toBe(title);
  });
});

describe('every API response carries Cache-Control: no-store and X-Content-Type-Options: nosniff', () => {
  it.each([
    ['a read', 'GET', '/v1/org', 'district', 200],
    ['a refusal by a handler', 'GET', '/v1/projects/NO-SUCH-PROJECT', 'district', 404],
    ['a refusal by the gateway (no token)', 'GET', '/v1/org', undefined, 401],
    ['a path that is no route', 'GET', '/v1/no-such-route', undefined, 404],
    ['a public read', 'GET', '/v1/public/org', undefined, 200],
  ] as const)('on %s', async (_what, method, path, who, status) => {
    // Act
    const r = await api.call(method, path, { token: who ? a[who] : undefined });

    // Assess
    expect(r.status).toBe(status);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('malformed paths and oversized bodies are refused as problem+json, not a 500 or a reset', () => {
  it.each([
    ['/v1/projects/%E0%A4%A', 'district'],
    ['/v1/projects/%ZZ/history', 'district'],
    ['/v1/public/projects/%', undefined],
  ] as const)('a malformed percent-encoding in %s is 400', async (path, who) => {
    // Act
    const r = await api.call('GET', path, { token: who ? a[who] : undefined });

    // Assess
    expect(r.status).toBe(400);
    expect(isProblem(r)).toBe(true);
    expect(r.body.detail).toMatch(/percent-encoding/);
  });

  it('a body over 64 KB is 413 and stores nothing', async () => {
    // Prepare
    const before = await api.call('GET', `/v1/communities/${DEMO.community}/needs?year=2025&limit=100`, {
      token: a.community,
    });
    const raw = JSON.stringify({
      title: '大',
      description: '长'.repeat(1000),
      channel: 'visit',
      padding: 'x'.repeat(70 * 1024),
    });

    // Act
    const r = await api.call('POST', `/v1/communities/${DEMO.community}/needs`, { token: a.community, raw });
    const after = await api.call('GET', `/v1/communities/${DEMO.community}/needs?year=2025&limit=100`, {
      token: a.community,
    });

    // Assess
    expect(r.status).toBe(413);
    expect(isProblem(r)).toBe(true);
    expect(r.body.title).toBe('Content Too Large');
    expect(after.body.items).toHaveLength(before.body.items.length);
  });

  it('a 64 KB limit counts UTF-8 bytes: 30,000 Chinese characters (90,000 bytes) are 413', async () => {
    // Act
    const r = await api.call('POST', `/v1/communities/${DEMO.community}/needs`, {
      token: a.community,
      raw: JSON.stringify({ title: '大', description: '长'.repeat(30_000), channel: 'visit' }),
    });

    // Assess
    expect(r.status).toBe(413);
    expect(isProblem(r)).toBe(true);
  });

  it('a body of several megabytes is read to its end and answered 413, and the server keeps serving', async () => {
    // Prepare
    const raw = JSON.stringify({ title: '大', description: 'x'.repeat(3 * 1024 * 1024), channel: 'visit' });

    // Act
    const r = await api.call('POST', `/v1/communities/${DEMO.community}/needs`, { token: a.community, raw });
    const next = await api.call('GET', '/v1/public/org');

    // Assess
    expect(r.status).toBe(413);
    expect(isProblem(r)).toBe(true);
    expect(next.status).toBe(200);
  });
});

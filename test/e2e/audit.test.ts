import { afterAll, beforeAll, expect, it } from 'vitest';
import { Api, startProduct, type Running } from '../support/localServer.ts';
import { actors, DEMO, projectBody, type Actors } from '../support/scenario.ts';

let server: Running;
let api: Api;
let a: Actors;
const DAY = '2025-09-23';

beforeAll(async () => {
  server = await startProduct();
  api = new Api(server.baseUrl);
  await api.setClock(`${DAY}T10:00:00+08:00`);
  a = await actors(api);
});
afterAll(async () => server?.stop());

const trail = async (token: string, date = DAY) => {
  const items: any[] = [];
  let nextToken: string | undefined;
  do {
    const r = await api.call('GET', `/v1/audit?date=${date}&limit=100${nextToken ? `&nextToken=${nextToken}` : ''}`, {
      token,
    });
    expect(r.status).toBe(200);
    items.push(...r.body.items);
    nextToken = r.body.nextToken;
  } while (nextToken);
  return items;
};

it('records a write with who, what, when, from where and the idempotency key, but no body or token', async () => {
  // Prepare
  const body = projectBody({ title: '联系人13812345678的项目' });

  // Act
  const created = await api.call('POST', '/v1/projects', {
    token: a.community,
    body,
    headers: { 'idempotency-key': 'k-13812345678' },
  });
  const items = await trail(a.auditor);

  // Assess
  expect(created.status).toBe(201);
  const e = items.find((i) => i.route === 'POST /v1/projects' && i.status === 201);
  expect(e).toMatchObject({
    actor: { sub: `community-${DEMO.community}`, role: 'community', orgUnitId: DEMO.community },
    path: '/v1/projects',
    idempotencyKey: 'k-138****5678',
  });
  expect(e.at.startsWith('2025-09-23T02:00')).toBe(true);
  expect(e.sourceIp).toMatch(/127\.0\.0\.1|::1/);
  const text = JSON.stringify(items);
  expect(text).not.toContain('13812345678');
  expect(text).not.toContain(a.community);
  expect(text).not.toContain('更换小区内');
});

it('records refused reads and writes, and leaves successful reads out', async () => {
  // Prepare
  const created = await api.call('POST', '/v1/projects', { token: a.community, body: projectBody() });
  const id = created.body.id;

  // Act
  const foreign = await api.call('GET', `/v1/projects/${id}`, { token: a.otherStreet });
  const wrongRole = await api.call('POST', `/v1/projects/${id}/submit`, { token: a.street });
  const fine = await api.call('GET', `/v1/projects/${id}`, { token: a.street });
  const items = await trail(a.district);

  // Assess
  expect([foreign.status, wrongRole.status, fine.status]).toEqual([404, 403, 200]);
  const mine = items.filter((i) => i.path.includes(id));
  // Two events of the same millisecond have no order between them, so compare as a set.
  expect(mine.map((i) => `${i.route} ${i.status} ${i.actor.orgUnitId}`).sort()).toEqual([
    `GET /v1/projects/{id} 404 ${DEMO.otherStreet}`,
    `POST /v1/projects/{id}/submit 403 ${DEMO.street}`,
  ]);
});

it('records public refusals as coming from the public', async () => {
  // Act
  const r = await api.call('POST', '/v1/public/projects/NO-SUCH/objections', { body: { content: '异议' } });
  const items = await trail(a.auditor);

  // Assess
  expect(r.status).toBe(404);
  expect(items.find((i) => i.path === '/v1/public/projects/NO-SUCH/objections')?.actor).toEqual({
    sub: 'public',
    role: 'public',
    orgUnitId: 'public',
  });
});

it('lets only auditors and the district read the trail, and nobody write it', async () => {
  // Act
  const community = await api.call('GET', `/v1/audit?date=${DAY}`, { token: a.community });
  const street = await api.call('GET', `/v1/audit?date=${DAY}`, { token: a.street });
  const anonymous = await api.call('GET', `/v1/audit?date=${DAY}`);
  const write = await api.call('POST', '/v1/audit', { token: a.district, body: { status: 200 } });
  const badDate = await api.call('GET', '/v1/audit?date=yesterday', { token: a.auditor });
  const forged = await api.call(
    'GET',
    `/v1/audit?date=${DAY}&nextToken=${Buffer.from(JSON.stringify({ pk: 'PROJECT#x', sk: 'PROJECT' })).toString('base64url')}`,
    { token: a.auditor },
  );

  // Assess
  expect([community.status, street.status, anonymous.status, write.status, badDate.status, forged.status]).toEqual([
    403, 403, 401, 405, 400, 400,
  ]);
});

it('pages through a day in time order', async () => {
  // Prepare
  for (let i = 0; i < 5; i++) await api.call('GET', '/v1/projects/NOPE', { token: a.community });

  // Act
  const first = await api.call('GET', `/v1/audit?date=${DAY}&limit=2`, { token: a.auditor });
  const all = await trail(a.auditor);

  // Assess
  expect(first.body.items).toHaveLength(2);
  expect(first.body.nextToken).toBeTruthy();
  const ats = all.map((i) => i.id);
  expect(ats).toEqual([...ats].sort());
  expect(all.filter((i) => i.path === '/v1/projects/NOPE')).toHaveLength(5);
});

it('lists a project write once, from the entry its own write carried, and never shows that entry in the project', async () => {
  // Prepare
  const created = await api.call('POST', '/v1/projects', { token: a.community, body: projectBody() });
  const id = created.body.id;

  // Act
  const edited = await api.call('PATCH', `/v1/projects/${id}`, { token: a.community, body: { title: '新标题' } });
  const items = await trail(a.auditor);
  const history = await api.call('GET', `/v1/projects/${id}/history`, { token: a.community });
  const dossier = await api.call('GET', `/v1/projects/${id}/dossier`, { token: a.community });

  // Assess
  expect(edited.status).toBe(200);
  const mine = items.filter((i) => i.path === `/v1/projects/${id}`);
  expect(mine.map((i) => `${i.route} ${i.status} ${i.actor.orgUnitId}`)).toEqual([
    `PATCH /v1/projects/{id} 200 ${DEMO.community}`,
  ]);
  expect(mine[0].sourceIp).toMatch(/127\.0\.0\.1|::1/);
  expect(JSON.stringify(history.body)).not.toContain('sourceIp');
  expect(JSON.stringify(dossier.body)).not.toContain('sourceIp');
});

import { afterAll, beforeAll, expect, it } from 'vitest';
import { Api, startProduct, type Running } from '../support/localServer.ts';
import { actors, DEMO, getProject, review, submitted, type Actors } from '../support/scenario.ts';
import { PUBLIC_LIMITS } from '../../functions/api/problem.ts';

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

it('limits objections per client per hour, refuses with problem+json, and counts nothing refused', async () => {
  // Prepare
  const id = await submitted(api, a);
  await review(api, a, id);

  // Act
  const replies = [];
  for (let i = 0; i <= PUBLIC_LIMITS.objectionsPerClientPerHour; i++)
    replies.push(await api.call('POST', `/v1/public/projects/${id}/objections`, { body: { content: `异议 ${i}` } }));
  const objections = (await getProject(api, a.street, id)).objections;
  await api.advance('PT1H');
  const nextHour = await api.call('POST', `/v1/public/projects/${id}/objections`, { body: { content: '一小时后' } });

  // Assess
  expect(replies.slice(0, -1).every((r) => r.status === 201)).toBe(true);
  const refused = replies.at(-1)!;
  expect(refused.status).toBe(429);
  expect(refused.headers.get('content-type')).toContain('application/problem+json');
  expect(objections).toHaveLength(PUBLIC_LIMITS.objectionsPerClientPerHour);
  expect(nextHour.status).toBe(201);
});

it("limits needs raised by one client, and never returns a resident's contact", async () => {
  const replies = [];
  for (let i = 0; i <= PUBLIC_LIMITS.needsPerClientPerHour; i++)
    replies.push(
      await api.call('POST', `/v1/public/communities/${DEMO.community}/needs`, {
        body: { title: `需求 ${i}`, description: '楼道灯坏了', contact: '13912345678' },
      }),
    );
  const list = await api.call('GET', `/v1/communities/${DEMO.community}/needs?year=2025&limit=100`, {
    token: a.community,
  });

  expect(replies.at(-2)!.status).toBe(201);
  expect(replies.at(-1)!.status).toBe(429);
  expect(list.body.items).toHaveLength(PUBLIC_LIMITS.needsPerClientPerHour);
  expect(JSON.stringify(list.body)).not.toContain('13912345678');
  expect(list.body.items[0].hasContact).toBe(true);
});

it('refuses oversized fields naming them', async () => {
  const r = await api.call('POST', `/v1/public/communities/${DEMO.community}/needs`, {
    body: { title: '长'.repeat(101), description: 'x' },
  });
  expect(r.status).toBe(400);
  expect(r.body.errors[0].path).toBe('title');
});

it('shows the duty contacts to the district only: other staff and residents get the tree without them', async () => {
  // Act
  const pub = await api.call('GET', '/v1/public/org');
  const district = await api.call('GET', '/v1/org', { token: a.district });
  const others = await Promise.all(
    [a.street, a.community, a.auditor].map((token) => api.call('GET', '/v1/org', { token })),
  );

  // Assess
  expect(pub.body.streets[0].communities[0].id).toBe(district.body.streets[0].communities[0].id);
  expect(district.body.district.dutyContact.phone).toMatch(/^1[3-9]\d{9}$/);
  expect(district.body.streets[0].communities[0].dutyContact).toBeDefined();
  for (const r of others) {
    expect(r.status).toBe(200);
    expect(r.body.streets[0].communities.map((c: { id: string }) => c.id)).toEqual(
      district.body.streets[0].communities.map((c: { id: string }) => c.id),
    );
    expect(JSON.stringify(r.body)).not.toMatch(/dutyContact|@|1[3-9]\d{9}/);
  }
  expect(JSON.stringify(pub.body)).not.toMatch(/dutyContact|@|1[3-9]\d{9}/);
});

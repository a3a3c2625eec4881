import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, startProduct, type Running } from '../support/localServer.ts';
import { actors, DEMO, review, submitted, type Actors } from '../support/scenario.ts';

// The public reads the notice board needs: the three lists, and the server's clock beside every list.
let server: Running;
let api: Api;
let a: Actors;
let approvedId: string;
let publicityId: string;

beforeAll(async () => {
  server = await startProduct();
  api = new Api(server.baseUrl);
  expect((await api.setClock('2025-09-20T09:00:00+08:00')).status).toBe(200);
  a = await actors(api);
  const alloc = await api.call('PUT', `/v1/allocations/2025/${DEMO.community}`, {
    token: a.district,
    body: { amountFen: 20_000_000, sources: [{ funder: '区财政', amountFen: 20_000_000 }] },
  });
  expect(alloc.status).toBe(200);
  const need = await api.call('POST', `/v1/public/communities/${DEMO.community}/needs`, {
    body: { title: '楼道灯不亮', description: '3栋2单元楼道灯坏了，我家住502，王阿姨', contact: '13912345678' },
  });
  expect(need.status).toBe(201);

  approvedId = await submitted(api, a, { title: '小区健身器材更新' });
  expect((await review(api, a, approvedId)).status).toBe(200);
  await api.advance('P11D'); // 2025-10-01: the window has closed without objections
  const approved = await api.call('POST', `/v1/projects/${approvedId}/approval`, {
    token: a.street,
    body: { decision: 'approve', comment: '同意' },
  });
  expect(approved.status).toBe(200);

  publicityId = await submitted(api, a);
  expect((await review(api, a, publicityId)).status).toBe(200);
});

afterAll(async () => server?.stop());

describe('GET /v1/public/lists', () => {
  it('gives anyone the three lists of a community, with no need text or contact', async () => {
    const r = await api.call('GET', `/v1/public/lists?communityId=${DEMO.community}&year=2025`);

    expect(r.status).toBe(200);
    expect(r.body.year).toBe(2025);
    expect(r.body.needs).toHaveLength(1);
    expect(r.body.needs[0]).toMatchObject({ title: '楼道灯不亮', channel: 'public' });
    const text = JSON.stringify(r.body);
    expect(text).not.toContain('13912345678');
    expect(text).not.toContain('王阿姨');
    expect(r.body.needs[0]).not.toHaveProperty('description');
    expect(r.body.resources).toContainEqual(expect.objectContaining({ kind: 'allocation', amountFen: 20_000_000 }));
    expect(r.body.services.map((s: { id: string }) => s.id)).toEqual([approvedId]);
    expect(Date.parse(r.body.asOf)).toBe(Date.parse((await api.call('GET', '/local/clock')).body.now));
  });

  it('answers 404 for an unknown community and 400 without one', async () => {
    const unknown = await api.call('GET', '/v1/public/lists?communityId=nowhere');
    const missing = await api.call('GET', '/v1/public/lists');

    expect(unknown.status).toBe(404);
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((e: { path: string }) => e.path)).toContain('communityId');
  });
});

describe('the server clock on public reads', () => {
  it('carries the simulated time in asOf, so the board counts days left on it', async () => {
    const clock = (await api.call('GET', '/local/clock')).body.now;

    const publicity = await api.call('GET', `/v1/public/publicity?communityId=${DEMO.community}&year=2025`);
    const project = await api.call('GET', `/v1/public/projects/${publicityId}`);
    const completions = await api.call('GET', `/v1/public/completions?communityId=${DEMO.community}&year=2025`);

    for (const r of [publicity, project, completions]) {
      expect(r.status).toBe(200);
      expect(Date.parse(r.body.asOf)).toBe(Date.parse(clock));
    }
    expect(publicity.body.items.map((p: { id: string }) => p.id)).toEqual([publicityId]);
    expect(project.body.undertaker).toBeNull();
  });
});

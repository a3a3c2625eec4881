import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, startProduct, type Running } from '../support/localServer.ts';
import { actors, deliberate, DEMO, projectBody, review, type Actors } from '../support/scenario.ts';

/*
 * Many approvals race for the last money of one allocation, against the real local
 * product (dynalite underneath): the conditional reservation must let exactly the ones
 * that fit through, whatever order the store sees them in.
 */
let server: Running;
let api: Api;
let a: Actors;

const PROJECTS = 12;
const EACH_FEN = 1_000_000;
const ALLOCATION_FEN = 7_500_000;

beforeAll(async () => {
  server = await startProduct();
  api = new Api(server.baseUrl);
  expect((await api.setClock('2025-04-01T09:00:00+08:00')).status).toBe(200);
  a = await actors(api);
  const alloc = await api.call('PUT', `/v1/allocations/2025/${DEMO.community}`, {
    token: a.district,
    body: {
      amountFen: ALLOCATION_FEN,
      sources: [
        { funder: '市财政', amountFen: 3_750_000 },
        { funder: '区财政', amountFen: 3_750_000 },
      ],
    },
  });
  expect(alloc.status).toBe(200);
});

afterAll(async () => server?.stop());

const awaitingApproval = async (n: number): Promise<string[]> => {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const created = await api.call('POST', '/v1/projects', {
      token: a.community,
      body: projectBody({ title: `楼道照明改造${i + 1}`, amountFen: EACH_FEN }),
    });
    expect(created.status).toBe(201);
    await deliberate(api, a.community, created.body.id);
    expect((await api.call('POST', `/v1/projects/${created.body.id}/submit`, { token: a.community })).status).toBe(200);
    expect((await review(api, a, created.body.id)).status).toBe(200);
    ids.push(created.body.id);
  }
  await api.advance('P8D');
  return ids;
};

describe('approvals racing for one allocation', () => {
  it('lets exactly the approvals that fit win, refuses the rest with the available amount, and never reserves twice', async () => {
    // Prepare
    const ids = await awaitingApproval(PROJECTS);
    const approve = (id: string) =>
      api.call('POST', `/v1/projects/${id}/approval`, {
        token: a.street,
        body: { decision: 'approve', comment: '同意' },
      });

    // Act: every project approved twice at the same moment (a double click, a retry)
    const replies = await Promise.all(ids.flatMap((id) => [approve(id), approve(id)]));

    // Assess
    const byProject = ids.map((id, i) => [replies[2 * i], replies[2 * i + 1]]);
    const winners = byProject.filter((pair) => pair.some((r) => r.status === 200));
    expect(winners).toHaveLength(Math.floor(ALLOCATION_FEN / EACH_FEN));
    for (const pair of byProject) expect(pair.filter((r) => r.status === 200).length).toBeLessThanOrEqual(1);
    for (const r of replies.filter((x) => x.status !== 200)) {
      expect(r.status).toBe(409);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
    }
    const budgetRefusals = replies.filter((r) => r.status === 409 && r.body.availableFen !== undefined);
    expect(budgetRefusals.length).toBeGreaterThan(0);
    for (const r of budgetRefusals) expect(r.body.availableFen).toBeLessThan(EACH_FEN);

    const alloc = (await api.call('GET', `/v1/allocations/2025/${DEMO.community}`, { token: a.district })).body;
    expect(alloc.reservedFen).toBe(winners.length * EACH_FEN);
    expect(alloc.availableFen).toBe(ALLOCATION_FEN - winners.length * EACH_FEN);
    expect(alloc.amountFen).toBe(alloc.availableFen + alloc.reservedFen);
    expect(alloc.paidFen).toBe(0);

    const statuses = await Promise.all(
      ids.map(async (id) => (await api.call('GET', `/v1/projects/${id}`, { token: a.community })).body.status),
    );
    expect(statuses.filter((s) => s === 'IN_PROGRESS')).toHaveLength(winners.length);
    expect(statuses.filter((s) => s === 'AWAITING_APPROVAL')).toHaveLength(PROJECTS - winners.length);
  });
});

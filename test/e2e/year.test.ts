import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Api, replyOf, startProduct, type Running } from '../support/localServer.ts';
import { actors, deliberate, DEMO, projectBody, review, type Actors } from '../support/scenario.ts';

/*
 * A whole fund year of one community under the Liuzhou profile, whose year end fails
 * unfinished projects: allocation, needs, projects, approval, contract and self-run,
 * progress, staged acceptance, completion publicity, and the year-end report.
 */
let server: Running;
let api: Api;
let a: Actors;

const LIUZHOU_STEPS = ['residents_raise', 'two_committees_deliberation', 'residents_representatives_decision'];
const ALLOCATION_FEN = 20_000_000;

beforeAll(async () => {
  server = await startProduct({ profile: 'liuzhou' });
  api = new Api(server.baseUrl);
  expect((await api.setClock('2025-03-03T09:00:00+08:00')).status).toBe(200);
  a = await actors(api);
});

afterAll(async () => server?.stop());

afterEach(async () => {
  const all = await api.as(a.auditor).GET('/v1/allocations/{year}', { params: { path: { year: 2025 } } });
  for (const x of all.data!.items) {
    expect(x.amountFen).toBe(x.paidFen + (x.reservedFen - x.paidFen) + x.availableFen);
    expect(x.paidFen).toBeLessThanOrEqual(x.reservedFen);
  }
});

const startProject = async (over: Record<string, unknown>): Promise<string> => {
  const created = await api
    .as(a.community)
    .POST('/v1/projects', { body: projectBody({ category: 'public_construction', ...over }) });
  expect(created.response.status).toBe(201);
  const id = created.data!.id;
  await deliberate(api, a.community, id, LIUZHOU_STEPS);
  expect(
    (await api.as(a.community).POST('/v1/projects/{id}/submit', { params: { path: { id } } })).response.status,
  ).toBe(200);
  expect((await review(api, a, id)).status).toBe(200);
  return id;
};
const approve = (id: string) =>
  replyOf(
    api
      .as(a.street)
      .POST('/v1/projects/{id}/approval', { params: { path: { id } }, body: { decision: 'approve', comment: '同意' } }),
  );
const accept = (id: string, n: number, passed: boolean) =>
  replyOf(
    api.as(a.street).POST('/v1/projects/{id}/tranches/{n}/acceptance', {
      params: { path: { id, n } },
      body: { passed, comment: passed ? '验收合格' : '未达标，整改' },
    }),
  );
const project = async (id: string): Promise<any> =>
  (await api.as(a.district).GET('/v1/projects/{id}', { params: { path: { id } } })).data;

describe('a year of one community', () => {
  it('runs from allocation to a year-end report that fails the unfinished project, returns the surplus and proposes sanctions', async () => {
    // Prepare: the year's money, needs and the undertaker
    const alloc = await api.call('PUT', `/v1/allocations/2025/${DEMO.community}`, {
      token: a.district,
      body: {
        amountFen: ALLOCATION_FEN,
        sources: [
          { funder: '市财政', amountFen: 10_000_000 },
          { funder: '城区财政', amountFen: 10_000_000 },
        ],
      },
    });
    expect(alloc.status).toBe(200);
    for (const title of ['路灯不亮', '缺少老年活动场所']) {
      const n = await api.call('POST', `/v1/communities/${DEMO.community}/needs`, {
        token: a.community,
        body: { title, description: title, channel: 'meeting' },
      });
      expect(n.status).toBe(201);
    }
    const undertaker = await api.call('POST', '/v1/undertakers', {
      token: a.street,
      body: { name: '柳城社工服务中心', kind: 'social_org', creditCode: '52450200MJ0000011A' },
    });
    expect(undertaker.status).toBe(201);

    // Act: three projects through publicity to approval
    const lights = await startProject({ title: '背街小巷路灯安装', delivery: 'self', amountFen: 6_000_000 });
    const care = await startProject({
      title: '长者日间照料服务',
      category: 'livelihood_service',
      type: 'service',
      delivery: 'social_org',
      amountFen: 8_000_000,
    });
    const drafted = await api.call('POST', '/v1/projects', {
      token: a.community,
      body: projectBody({ category: 'public_welfare', title: '未提交的构想', amountFen: 5_500_000 }),
    });
    await api.advance('P8D');
    const approvals = [await approve(lights), await approve(care)];
    const early = await api.call('POST', '/v1/year-end/2025', { token: a.district });

    const contract = await api.call('POST', `/v1/projects/${care}/contract`, {
      token: a.community,
      body: { undertakerId: undertaker.body.id, signedOn: '2025-03-14', amountFen: 8_000_000 },
    });
    await api.call('POST', `/v1/projects/${lights}/progress`, {
      token: a.community,
      body: { percent: 50, note: '已安装12盏' },
    });
    await api.call('POST', `/v1/projects/${care}/progress`, {
      token: a.community,
      body: { percent: 20, note: '服务启动' },
    });

    const lightsSteps = [
      await accept(lights, 1, true),
      await accept(lights, 2, false),
      await accept(lights, 2, true),
      await accept(lights, 3, true),
    ];
    const careFirst = await accept(care, 1, true);
    await api.advance('P8D');
    const lightsClosed = await project(lights);

    const midYear = await api.call('GET', `/v1/reports/summary?year=2025`, { token: a.district });
    await api.setClock('2025-12-31T00:10:00+08:00');
    const first = await api.call('POST', '/v1/year-end/2025', { token: a.district });
    const second = await api.call('POST', '/v1/year-end/2025', { token: a.district });
    await api.advance('PT1H'); // the yearly schedule fires at 00:30 and checks the year again
    const stored = await api.call('GET', '/v1/year-end/2025', { token: a.auditor });
    const byStreet = await api.call('GET', '/v1/year-end/2025', { token: a.street });
    const careAfter = await project(care);
    const ledger = (await api.call('GET', `/v1/allocations/2025/${DEMO.community}`, { token: a.district })).body;
    const acceptAfterFail = await accept(care, 2, true);
    const endSummary = await api.call('GET', `/v1/reports/summary?year=2025&streetId=${DEMO.street}`, {
      token: a.street,
    });

    // Assess
    expect(approvals.map((r) => r.body.status)).toEqual(['IN_PROGRESS', 'APPROVED']);
    expect(early.status).toBe(409);
    expect(contract.body.status).toBe('IN_PROGRESS');
    expect(lightsSteps.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(lightsSteps[3].body.status).toBe('COMPLETION_PUBLICITY');
    expect(careFirst.body.tranches[0].paidFen).toBe(4_000_000);
    expect(lightsClosed.status).toBe('CLOSED');
    expect(midYear.body).toMatchObject({
      needs: 2,
      proposed: 2,
      approved: 2,
      completed: 1,
      failed: 0,
      allocatedFen: ALLOCATION_FEN,
      reservedFen: 14_000_000,
      paidFen: 10_000_000,
    });

    expect(first.status).toBe(200);
    const mine = first.body.communities.find((c: any) => c.communityId === DEMO.community);
    expect(mine).toMatchObject({
      allocatedFen: ALLOCATION_FEN,
      reservedFen: 10_000_000,
      paidFen: 10_000_000,
      surplusFen: 10_000_000,
    });
    expect(first.body.failedProjects).toEqual([{ id: care, title: '长者日间照料服务', communityId: DEMO.community }]);
    expect(first.body.lapsed.map((p: any) => p.id)).toEqual([drafted.body.id]);
    expect(first.body.sanctions.undertakers).toEqual([
      expect.objectContaining({ undertakerId: undertaker.body.id, projectIds: [care], disqualifiedYears: [2026] }),
    ]);
    expect(first.body.sanctions.communities).toEqual([
      expect.objectContaining({ communityId: DEMO.community, cutPercent: 10, appliesToYear: 2026 }),
    ]);
    expect(second.body).toEqual(first.body);
    expect(stored.body).toEqual(first.body);
    expect(byStreet.status).toBe(403);

    expect(careAfter.status).toBe('FAILED');
    expect(careAfter.tranches.map((t: any) => t.paidFen)).toEqual([4_000_000, 0, 0]);
    expect(
      (await api.call('GET', `/v1/projects/${care}/history`, { token: a.district })).body.items.filter(
        (e: any) => e.toStatus === 'FAILED',
      ),
    ).toHaveLength(1);
    expect(ledger).toMatchObject({ reservedFen: 10_000_000, paidFen: 10_000_000, availableFen: 10_000_000 });
    expect(acceptAfterFail.status).toBe(409);
    expect(endSummary.body).toMatchObject({
      approved: 2,
      completed: 1,
      failed: 1,
      reservedFen: 10_000_000,
      paidFen: 10_000_000,
    });
  });

  it('has no report for a year that was not checked', async () => {
    // Act
    const r = await api.call('GET', '/v1/year-end/2024', { token: a.district });

    // Assess
    expect(r.status).toBe(404);
  });
});

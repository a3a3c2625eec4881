import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Api, replyOf, startProduct, type Running } from '../support/localServer.ts';
import { actors, deliberate, DEMO, projectBody, review, type Actors } from '../support/scenario.ts';

/*
 * The fund ledger over HTTP (Guandu profile): contracts with the undertakers register,
 * staged payment 5:3:2 with a failed acceptance retried, change requests, reports.
 * After every test the money of every allocation must still reconcile.
 */
let server: Running;
let api: Api;
let a: Actors;

const ALLOCATION_FEN = 12_000_000;

beforeAll(async () => {
  server = await startProduct();
  api = new Api(server.baseUrl);
  expect((await api.setClock('2025-03-03T09:00:00+08:00')).status).toBe(200);
  a = await actors(api);
  const alloc = await api.as(a.district).PUT('/v1/allocations/{year}/{communityId}', {
    params: { path: { year: 2025, communityId: DEMO.community } },
    body: {
      amountFen: ALLOCATION_FEN,
      sources: [
        { funder: '市财政', amountFen: 6_000_000 },
        { funder: '区财政', amountFen: 6_000_000 },
      ],
    },
  });
  expect(alloc.response.status).toBe(200);
});

afterAll(async () => server?.stop());

// Reconciliation: allocated = paid + (reserved − paid) + available, for every community,
// and what the projects record as paid is what the ledger paid.
afterEach(async () => {
  const all = await replyOf(api.as(a.district).GET('/v1/allocations/{year}', { params: { path: { year: 2025 } } }));
  expect(all.status).toBe(200);
  for (const x of all.body.items) {
    expect(x.amountFen).toBe(x.paidFen + (x.reservedFen - x.paidFen) + x.availableFen);
    expect(x.paidFen).toBeLessThanOrEqual(x.reservedFen);
    expect(x.availableFen).toBeGreaterThanOrEqual(0);
  }
  const projects = await replyOf(
    api
      .as(a.district)
      .GET('/v1/projects', { params: { query: { communityId: DEMO.community, year: 2025, limit: 100 } } }),
  );
  // The list gives summaries; each project's tranches are in its own view.
  const whole = await Promise.all(
    projects.body.items.map(async (p: any) =>
      replyOf(api.as(a.district).GET('/v1/projects/{id}', { params: { path: { id: p.id } } })),
    ),
  );
  const paidByProjects = whole
    .flatMap((r: any) => r.body.tranches ?? [])
    .reduce((s: number, t: any) => s + t.paidFen, 0);
  const xh = all.body.items.find((x: any) => x.communityId === DEMO.community);
  expect(paidByProjects).toBe(xh.paidFen);
});

/** Takes projects through deliberation, review and the 7-day publicity to approval. */
const approved = async (...overs: Record<string, unknown>[]): Promise<any[]> => {
  const ids: string[] = [];
  for (const over of overs) {
    const created = await api.as(a.community).POST('/v1/projects', { body: projectBody(over) });
    expect(created.response.status).toBe(201);
    const id = created.data!.id;
    await deliberate(api, a.community, id);
    expect(
      (await api.as(a.community).POST('/v1/projects/{id}/submit', { params: { path: { id } } })).response.status,
    ).toBe(200);
    expect((await review(api, a, id)).status).toBe(200);
    ids.push(id);
  }
  await api.advance('P8D');
  const out = [];
  for (const id of ids) {
    const r = await replyOf(
      api.as(a.street).POST('/v1/projects/{id}/approval', {
        params: { path: { id } },
        body: { decision: 'approve', comment: '同意立项' },
      }),
    );
    expect(r.status).toBe(200);
    out.push(r.body);
  }
  return out;
};

const allocation = async (): Promise<any> =>
  (
    await replyOf(
      api
        .as(a.community)
        .GET('/v1/allocations/{year}/{communityId}', { params: { path: { year: 2025, communityId: DEMO.community } } }),
    )
  ).body;
const accept = (id: string, n: number, passed: boolean, token = a.street) =>
  replyOf(
    api.as(token).POST('/v1/projects/{id}/tranches/{n}/acceptance', {
      params: { path: { id, n } },
      body: { passed, comment: passed ? '验收合格' : '资料不全，整改后复验', satisfaction: passed ? 96 : 60 },
    }),
  );
const register = async (
  name: string,
  creditCode: string,
  kind: 'social_org' | 'enterprise' | 'individual' = 'social_org',
) => {
  const r = await replyOf(api.as(a.district).POST('/v1/undertakers', { body: { name, kind, creditCode } }));
  expect(r.status).toBe(201);
  return r.body;
};

describe('contracts and the undertakers register', () => {
  it('refuses a disqualified undertaker (409), a contract above the approved amount (422), and signs with a qualified one', async () => {
    // Prepare
    const good = await register('阳光社工服务中心', '52440000MJL000001X');
    const barred = await register('晨曦养老服务社', '52440000MJL000002X');
    const bar = await api.call('POST', `/v1/undertakers/${barred.id}/disqualifications`, {
      token: a.district,
      body: { year: 2025, reason: '2024年项目未按合同交付' },
    });
    const [p] = await approved({
      title: '长者助餐服务',
      category: 'livelihood',
      type: 'service',
      delivery: 'social_org',
      amountFen: 2_000_000,
    });
    const contract = (undertakerId: string, amountFen = 2_000_000, token = a.community) =>
      replyOf(
        api.as(token).POST('/v1/projects/{id}/contract', {
          params: { path: { id: p.id } },
          body: { undertakerId, signedOn: '2025-03-20', amountFen },
        }),
      );

    // Act
    const refusedBarred = await contract(barred.id);
    const refusedAmount = await contract(good.id, 2_000_001);
    const refusedForeign = await contract(good.id, 2_000_000, a.foreignCommunity);
    const signed = await contract(good.id);
    const again = await contract(good.id);

    // Assess
    expect(bar.status).toBe(201);
    expect(bar.body.disqualifications).toEqual([
      expect.objectContaining({ year: 2025, reason: '2024年项目未按合同交付' }),
    ]);
    expect(p.status).toBe('APPROVED');
    expect(refusedBarred.status).toBe(409);
    expect(refusedBarred.body.undertakerId).toBe(barred.id);
    expect(refusedAmount.status).toBe(422);
    expect(refusedAmount.body.errors[0].path).toBe('amountFen');
    expect(refusedForeign.status).toBe(404);
    expect(signed.status).toBe(200);
    expect(signed.body.status).toBe('IN_PROGRESS');
    expect(signed.body.contract).toMatchObject({ undertakerId: good.id, signedOn: '2025-03-20', amountFen: 2_000_000 });
    expect(signed.body.undertakerId).toBe(good.id);
    expect(again.status).toBe(409);
    const history = (await api.call('GET', `/v1/projects/${p.id}/history`, { token: a.street })).body.items;
    expect(history.at(-1)).toMatchObject({
      action: 'contract_signed',
      fromStatus: 'APPROVED',
      toStatus: 'IN_PROGRESS',
    });
  });

  it('keeps the register to district and street, disqualification to the district, and one entry per credit code', async () => {
    // Prepare
    const body = { name: '惠民物业服务公司', kind: 'enterprise', creditCode: '91440000MA5000003Y' };

    // Act
    const byCommunity = await api.call('POST', '/v1/undertakers', { token: a.community, body });
    const byStreet = await api.call('POST', '/v1/undertakers', { token: a.street, body });
    const duplicate = await api.call('POST', '/v1/undertakers', {
      token: a.district,
      body: { ...body, name: '另一个名字' },
    });
    const streetBars = await api.call('POST', `/v1/undertakers/${byStreet.body.id}/disqualifications`, {
      token: a.street,
      body: { year: 2025, reason: '违约' },
    });
    const unknown = await api.call('POST', '/v1/undertakers/NOPE/disqualifications', {
      token: a.district,
      body: { year: 2025, reason: '违约' },
    });
    const list = await api.call('GET', '/v1/undertakers', { token: a.auditor });

    // Assess
    expect(byCommunity.status).toBe(403);
    expect(byStreet.status).toBe(201);
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.existingId).toBe(byStreet.body.id);
    expect(streetBars.status).toBe(403);
    expect(unknown.status).toBe(404);
    expect(list.body.items.map((u: any) => u.creditCode)).toContain(body.creditCode);
  });
});

describe('staged payment', () => {
  it('pays 5:3:2 in order, pays nothing for a failed acceptance, retries, and closes after completion publicity', async () => {
    // Prepare
    const [p] = await approved({
      title: '小区绿化补植',
      category: 'property_service',
      type: 'works',
      delivery: 'self',
      amountFen: 1_000_001,
    });
    const before = await allocation();

    // Act
    const progress = await api.call('POST', `/v1/projects/${p.id}/progress`, {
      token: a.community,
      body: { percent: 40, note: '已完成东区补植' },
    });
    const outOfOrder = await accept(p.id, 2, true);
    const byCommunity = await accept(p.id, 1, true, a.community);
    const byOtherStreet = await accept(p.id, 1, true, a.otherStreet);
    const failed = await accept(p.id, 1, false);
    const afterFailed = await allocation();
    const first = await accept(p.id, 1, true);
    const repeated = await accept(p.id, 1, true);
    const second = await accept(p.id, 2, true);
    const last = await accept(p.id, 3, true);
    const afterLast = await allocation();
    await api.advance('P6D');
    const stillPublic = (await api.call('GET', `/v1/projects/${p.id}`, { token: a.community })).body;
    await api.advance('P2D');
    const closed = (await api.call('GET', `/v1/projects/${p.id}`, { token: a.community })).body;
    const dossier = (await api.call('GET', `/v1/projects/${p.id}/dossier`, { token: a.auditor })).body;

    // Assess
    expect(p.status).toBe('IN_PROGRESS');
    expect(p.tranches.map((t: any) => t.amountFen)).toEqual([500_000, 300_000, 200_001]);
    expect(progress.status).toBe(201);
    expect(progress.body.project.progress).toEqual([expect.objectContaining({ percent: 40, note: '已完成东区补植' })]);
    expect(outOfOrder.status).toBe(409);
    expect(outOfOrder.body.nextTranche).toBe(1);
    expect(byCommunity.status).toBe(403);
    expect(byOtherStreet.status).toBe(404);
    expect(failed.status).toBe(200);
    expect(failed.body.tranches[0]).toMatchObject({
      paidFen: 0,
      attempts: [expect.objectContaining({ passed: false, satisfaction: 60 })],
    });
    expect(afterFailed.paidFen).toBe(before.paidFen);
    expect(first.status).toBe(200);
    expect(first.body.tranches[0]).toMatchObject({ paidFen: 500_000 });
    expect(first.body.tranches[0].attempts).toHaveLength(2);
    expect(repeated.status).toBe(409);
    expect(second.body.tranches[1].paidFen).toBe(300_000);
    expect(last.body.status).toBe('COMPLETION_PUBLICITY');
    expect(last.body.deadlines.completionPublicityEndsAt).toMatch(/T23:59:59\+08:00$/);
    expect(afterLast.paidFen - before.paidFen).toBe(1_000_001);
    expect(afterLast.reservedFen).toBe(before.reservedFen);
    expect(stillPublic.status).toBe('COMPLETION_PUBLICITY');
    expect(closed.status).toBe('CLOSED');
    expect(dossier.acceptances.map((x: any) => [x.n, x.passed])).toEqual([
      [1, false],
      [1, true],
      [2, true],
      [3, true],
    ]);
    expect(dossier.payments.map((x: any) => x.amountFen)).toEqual([500_000, 300_000, 200_001]);
    expect(dossier.progress).toHaveLength(1);
  });
});

describe('change requests', () => {
  it('approves an increase that fits, refuses one that does not with the available amount, and recomputes only unpaid tranches', async () => {
    // Prepare
    const [p] = await approved({
      title: '文化广场夜间照明',
      category: 'culture_sport',
      delivery: 'self',
      amountFen: 3_000_000,
    });
    expect((await accept(p.id, 1, true)).status).toBe(200);
    const ask = async (body: Record<string, unknown>) => {
      const r = await api.call('POST', `/v1/projects/${p.id}/change-requests`, { token: a.community, body });
      expect(r.status).toBe(201);
      return r.body.id as string;
    };
    const decide = (id: string, approve: boolean, token = a.district) =>
      api.call('POST', `/v1/change-requests/${id}/decision`, {
        token,
        body: { approve, comment: approve ? '同意变更' : '不同意' },
      });
    const increase = await ask({ amountFen: 4_000_000, plannedEnd: '2025-11-30', reason: '增设两处照明点位' });
    const before = await allocation();

    // Act
    const byStreet = await decide(increase, true, a.street);
    const approvedIncrease = await decide(increase, true);
    const decidedTwice = await decide(increase, false);
    const afterIncrease = await allocation();
    const tooMuch = await ask({ amountFen: 4_000_000 + afterIncrease.availableFen + 1, reason: '再扩大范围' });
    const refused = await decide(tooMuch, true);
    const afterRefused = await allocation();
    const belowPaid = await decide(await ask({ amountFen: 1_000_000, reason: '缩减' }), true);
    const rejected = await decide(await ask({ amountFen: 2_000_000, reason: '缩减' }), false);
    const decrease = await decide(await ask({ amountFen: 2_500_000, reason: '部分点位由供电公司承担' }), true);
    const afterDecrease = await allocation();
    const project = (await api.call('GET', `/v1/projects/${p.id}`, { token: a.community })).body;
    const dossier = (await api.call('GET', `/v1/projects/${p.id}/dossier`, { token: a.district })).body;

    // Assess
    expect(byStreet.status).toBe(403);
    expect(approvedIncrease.status).toBe(200);
    expect(approvedIncrease.body.project.amountFen).toBe(4_000_000);
    expect(approvedIncrease.body.project.plannedEnd).toBe('2025-11-30');
    expect(approvedIncrease.body.project.tranches.map((t: any) => [t.amountFen, t.paidFen])).toEqual([
      [1_500_000, 1_500_000],
      [1_500_000, 0],
      [1_000_000, 0],
    ]);
    expect(afterIncrease.reservedFen - before.reservedFen).toBe(1_000_000);
    expect(decidedTwice.status).toBe(409);
    expect(refused.status).toBe(409);
    expect(refused.body.availableFen).toBe(afterIncrease.availableFen);
    expect(afterRefused).toMatchObject({
      reservedFen: afterIncrease.reservedFen,
      availableFen: afterIncrease.availableFen,
    });
    expect(belowPaid.status).toBe(409);
    expect(belowPaid.body.paidFen).toBe(1_500_000);
    expect(rejected.status).toBe(200);
    expect(rejected.body.status).toBe('REJECTED');
    expect(decrease.status).toBe(200);
    expect(afterDecrease.availableFen - afterIncrease.availableFen).toBe(1_500_000);
    expect(project.amountFen).toBe(2_500_000);
    expect(project.tranches.map((t: any) => t.amountFen)).toEqual([1_500_000, 600_000, 400_000]);
    expect(project.tranches.reduce((s: number, t: any) => s + t.amountFen, 0)).toBe(project.amountFen);
    expect(
      dossier.changes.filter((e: any) => e.action === 'change_decided').map((e: any) => e.details.approve),
    ).toEqual([true, false, true]);
  });

  it('refuses a change request on a project that is not approved or in progress', async () => {
    // Prepare
    const draft = await api.call('POST', '/v1/projects', {
      token: a.community,
      body: projectBody({ title: '未提交的项目' }),
    });

    // Act
    const r = await api.call('POST', `/v1/projects/${draft.body.id}/change-requests`, {
      token: a.community,
      body: { amountFen: 1, reason: '调整' },
    });

    // Assess
    expect(r.status).toBe(409);
    expect(r.body.currentStatus).toBe('DRAFT');
  });
});

describe('reports', () => {
  it('sums the year for a street, hides other streets, and gives the three lists as JSON and CSV', async () => {
    // Prepare
    const need = await api.call('POST', `/v1/communities/${DEMO.community}/needs`, {
      token: a.community,
      body: { title: '小区缺少休息座椅', description: '老人散步时无处休息', channel: 'visit' },
    });
    expect(need.status).toBe(201);
    const [cofunded] = await approved({
      title: '=居民议事厅活动',
      category: 'culture_sport',
      delivery: 'self',
      amountFen: 500_000,
      cofunding: [{ source: '驻区企业赞助', amountFen: 300_000 }],
    });

    // Act
    const summary = await api.call('GET', `/v1/reports/summary?year=2025&streetId=${DEMO.street}`, { token: a.street });
    const foreign = await api.call('GET', `/v1/reports/summary?year=2025&streetId=${DEMO.otherStreet}`, {
      token: a.street,
    });
    const lists = await api.call('GET', `/v1/reports/lists?year=2025&communityId=${DEMO.community}`, {
      token: a.street,
    });
    const csv = await api.call('GET', `/v1/reports/lists?year=2025&communityId=${DEMO.community}`, {
      token: a.community,
      headers: { accept: 'text/csv' },
    });
    const foreignLists = await api.call('GET', `/v1/reports/lists?year=2025&communityId=${DEMO.community}`, {
      token: a.foreignCommunity,
    });

    // Assess
    const alloc = await allocation();
    expect(summary.status).toBe(200);
    expect(summary.body).toMatchObject({
      allocatedFen: alloc.amountFen,
      reservedFen: alloc.reservedFen,
      paidFen: alloc.paidFen,
      completed: 1,
    });
    expect(summary.body.needs).toBeGreaterThanOrEqual(1);
    expect(summary.body.approved).toBeGreaterThanOrEqual(4);
    expect(summary.body.proposed).toBeGreaterThanOrEqual(summary.body.approved);
    expect(foreign.status).toBe(404);
    expect(lists.body.needs.map((n: any) => n.title)).toContain('小区缺少休息座椅');
    expect(lists.body.resources).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'allocation', amountFen: ALLOCATION_FEN }),
        expect.objectContaining({ kind: 'source', funder: '市财政', amountFen: 6_000_000 }),
        expect.objectContaining({ kind: 'cofunding', projectId: cofunded.id, amountFen: 300_000 }),
        expect.objectContaining({ kind: 'undertaker', name: '阳光社工服务中心' }),
      ]),
    );
    expect(lists.body.services.map((s: any) => s.id)).toContain(cofunded.id);
    expect(lists.body.services.every((s: any) => s.status !== 'DRAFT')).toBe(true);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (csv.body as string)
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('list,kind,id,title,detail,amountFen,status,date');
    expect(new Set(lines.slice(1).map((l) => l.split(',')[0]))).toEqual(
      new Set(['"needs"', '"resources"', '"services"']),
    );
    expect(csv.body).toContain(`"'=居民议事厅活动"`);
    expect(foreignLists.status).toBe(404);
  });
});

describe('contracts set what the fund pays', () => {
  const sign = (id: string, undertakerId: string, amountFen: number) =>
    replyOf(
      api.as(a.community).POST('/v1/projects/{id}/contract', {
        params: { path: { id } },
        body: { undertakerId, signedOn: '2025-04-01', amountFen },
      }),
    );

  it('pays a 1-fen contract on a 1,000,000-fen project 1 fen in all, and gives the other 999,999 back at signing', async () => {
    // Prepare
    const u = await register('一分钱服务社', '52440000MJL000011X');
    const [p] = await approved({
      title: '社区读书角',
      category: 'culture_sport',
      type: 'service',
      delivery: 'social_org',
      amountFen: 1_000_000,
    });
    const before = await allocation();

    // Act
    const signed = await sign(p.id, u.id, 1);
    const atSigning = await allocation();
    const acceptances = [await accept(p.id, 1, true), await accept(p.id, 2, true), await accept(p.id, 3, true)];
    const after = await allocation();
    const history = (await api.call('GET', `/v1/projects/${p.id}/history`, { token: a.auditor })).body.items;

    // Assess
    expect(signed.status).toBe(200);
    expect(signed.body).toMatchObject({ status: 'IN_PROGRESS', amountFen: 1, contract: { amountFen: 1 } });
    expect(signed.body.tranches.map((t: any) => t.amountFen)).toEqual([0, 0, 1]);
    expect(atSigning.reservedFen).toBe(before.reservedFen - 999_999);
    expect(atSigning.availableFen).toBe(before.availableFen + 999_999);
    expect(acceptances.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(acceptances[2].body.status).toBe('COMPLETION_PUBLICITY');
    expect(acceptances[2].body.tranches.reduce((s: number, t: any) => s + t.paidFen, 0)).toBe(1);
    expect(after.paidFen - before.paidFen).toBe(1);
    expect(after.reservedFen - before.reservedFen).toBe(1 - 1_000_000);
    expect(history.find((e: any) => e.action === 'contract_signed').details).toMatchObject({
      amountFen: 1,
      approvedAmountFen: 1_000_000,
      releasedFen: 999_999,
    });
  });

  it('splits the tranches of a contract below the approved amount from the contract, and pays exactly the contract', async () => {
    // Prepare
    const u = await register('惠民装修工程公司', '91440000MA5000012Y', 'enterprise');
    const [p] = await approved({
      title: '活动室防水维修',
      category: 'facility_maintenance',
      type: 'works',
      delivery: 'enterprise',
      amountFen: 2_000_000,
    });
    const before = await allocation();

    // Act
    const signed = await sign(p.id, u.id, 1_500_001);
    const paid = [await accept(p.id, 1, true), await accept(p.id, 2, true)];
    const middle = await allocation();
    const last = await accept(p.id, 3, true);
    const after = await allocation();
    const dossier = (await api.call('GET', `/v1/projects/${p.id}/dossier`, { token: a.auditor })).body;

    // Assess
    expect(signed.status).toBe(200);
    expect(signed.body.tranches.map((t: any) => t.amountFen)).toEqual([750_000, 450_000, 300_001]);
    expect(paid.map((r) => r.status)).toEqual([200, 200]);
    expect(middle.paidFen - before.paidFen).toBe(1_200_000);
    expect(last.status).toBe(200);
    expect(after.paidFen - before.paidFen).toBe(1_500_001);
    expect(after.reservedFen - before.reservedFen).toBe(1_500_001 - 2_000_000);
    expect(after.availableFen - before.availableFen).toBe(2_000_000 - 1_500_001);
    expect(dossier.payments.map((x: any) => x.amountFen)).toEqual([750_000, 450_000, 300_001]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, replyOf, startProduct, type Running } from '../support/localServer.ts';
import {
  actors,
  deliberate,
  DEMO,
  getProject,
  projectBody,
  review,
  submitted,
  type Actors,
} from '../support/scenario.ts';

let server: Running;
let api: Api;
let a: Actors;

beforeAll(async () => {
  server = await startProduct();
  api = new Api(server.baseUrl);
  expect((await api.setClock('2025-09-20T09:00:00+08:00')).status).toBe(200);
  a = await actors(api);
  const alloc = await api.as(a.district).PUT('/v1/allocations/{year}/{communityId}', {
    params: { path: { year: 2025, communityId: DEMO.community } },
    body: { amountFen: 20_000_000, sources: [{ funder: '区财政', amountFen: 20_000_000 }] },
  });
  expect(alloc.response.status).toBe(200);
});

afterAll(async () => server?.stop());

describe('the lifecycle from draft to approval (Guandu)', () => {
  it('runs draft → review → 7-day publicity → approval, with the National Day working-day deadline', async () => {
    // Prepare
    await api.setClock('2025-09-23T10:00:00+08:00');
    const id = await submitted(api, a);

    // Act
    const passed = await review(api, a, id);
    await api.advance('P7D'); // 2025-09-30 10:00: the window is still open until 23:59:59
    const stillOpen = await getProject(api, a.community, id);
    await api.advance('PT14H'); // 2025-10-01 00:00: closed
    const waiting = await getProject(api, a.community, id);

    // Assess
    expect(passed.status).toBe(200);
    expect(passed.body.deadlines.publicityEndsAt).toBe('2025-09-30T23:59:59+08:00');
    expect(stillOpen.status).toBe('IN_PUBLICITY');
    expect(waiting.status).toBe('AWAITING_APPROVAL');
    // Entered on 2025-10-01 (a holiday): Oct 9, 10, 11 (make-up Saturday), 13, 14.
    expect(waiting.deadlines.approvalDueAt).toBe('2025-10-14T23:59:59+08:00');

    const approved = await api
      .as(a.street)
      .POST('/v1/projects/{id}/approval', { params: { path: { id } }, body: { decision: 'approve', comment: '同意' } });
    expect(approved.response.status).toBe(200);
    expect(['APPROVED', 'IN_PROGRESS']).toContain(approved.data!.status);

    const history = await replyOf(api.as(a.auditor).GET('/v1/projects/{id}/history', { params: { path: { id } } }));
    const transitions = history.body.items
      .filter((e: any) => e.fromStatus !== e.toStatus)
      .map((e: any) => [e.fromStatus, e.toStatus]);
    expect(transitions.slice(0, 5)).toEqual([
      [null, 'DRAFT'],
      ['DRAFT', 'UNDER_REVIEW'],
      ['UNDER_REVIEW', 'IN_PUBLICITY'],
      ['IN_PUBLICITY', 'AWAITING_APPROVAL'],
      ['AWAITING_APPROVAL', 'APPROVED'],
    ]);
    for (const e of history.body.items) {
      expect(e.at).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(e.actor.sub).toBeTruthy();
    }
    expect(history.body.items.find((e: any) => e.toStatus === 'AWAITING_APPROVAL').actor.sub).toBe('system');
  });

  it('shows a project in publicity on the public board with its window end, and hides it afterwards', async () => {
    const id = await submitted(api, a);
    await review(api, a, id);
    const open = await api.call('GET', `/v1/public/publicity?communityId=${DEMO.community}&year=2025`);
    expect(open.status).toBe(200);
    const item = open.body.items.find((p: any) => p.id === id);
    expect(item.publicityEndsAt).toMatch(/T23:59:59\+08:00$/);
    expect(JSON.stringify(open.body)).not.toContain('taskToken');

    await api.advance('P8D');
    const later = await api.call('GET', `/v1/public/publicity?communityId=${DEMO.community}&year=2025`);
    expect(later.body.items.some((p: any) => p.id === id)).toBe(false);
  });

  it('refuses submission while a required deliberation is missing, naming the step', async () => {
    const created = await api.call('POST', '/v1/projects', { token: a.community, body: projectBody() });
    await deliberate(api, a.community, created.body.id, ['party_branch_proposal', 'two_committees_consultation']);

    const r = await api.call('POST', `/v1/projects/${created.body.id}/submit`, { token: a.community });

    expect(r.status).toBe(409);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(r.body.missingSteps).toEqual(['party_members_review', 'residents_resolution']);
    expect((await getProject(api, a.community, created.body.id)).status).toBe('DRAFT');
  });

  it('returns a project at review, lets the community edit and resubmit it', async () => {
    const id = await submitted(api, a);
    const returned = await review(api, a, id, 'return');
    const edited = await api.call('PATCH', `/v1/projects/${id}`, {
      token: a.community,
      body: { amountFen: 2_500_000 },
    });
    const resubmitted = await api.call('POST', `/v1/projects/${id}/submit`, { token: a.community });
    const passed = await review(api, a, id);

    expect(returned.body.status).toBe('RETURNED');
    expect(edited.status).toBe(200);
    expect(edited.body.amountFen).toBe(2_500_000);
    expect(resubmitted.body.status).toBe('UNDER_REVIEW');
    expect(passed.body.status).toBe('IN_PUBLICITY');
  });

  it('refuses edits outside DRAFT and RETURNED', async () => {
    const id = await submitted(api, a);
    const r = await api.call('PATCH', `/v1/projects/${id}`, { token: a.community, body: { title: '改名' } });
    expect(r.status).toBe(409);
    expect(r.body.currentStatus).toBe('UNDER_REVIEW');
  });

  it('takes objections without a token while the window is open, and refuses them after', async () => {
    const id = await submitted(api, a);
    await review(api, a, id);
    const objection = await api.call('POST', `/v1/public/projects/${id}/objections`, {
      body: { content: '路灯位置离住户太近', contact: '13800000000' },
    });
    expect(objection.status).toBe(201);
    expect(objection.body.receipt).toBeTruthy();

    await api.advance('P8D');
    const project = await getProject(api, a.street, id);
    const late = await api.call('POST', `/v1/public/projects/${id}/objections`, { body: { content: '太晚了' } });

    expect(project.status).toBe('OBJECTION_REVIEW');
    expect(project.objections).toHaveLength(1);
    expect(JSON.stringify(project)).not.toContain('13800000000');
    expect(late.status).toBe(409);
    expect(late.headers.get('content-type')).toContain('application/problem+json');
  });

  it('moves to AWAITING_APPROVAL when every objection is dismissed, and to RETURNED when one is upheld', async () => {
    const dismissedId = await submitted(api, a);
    const upheldId = await submitted(api, a);
    await review(api, a, dismissedId);
    await review(api, a, upheldId);
    const o1 = await api.call('POST', `/v1/public/projects/${dismissedId}/objections`, { body: { content: '异议一' } });
    const o2 = await api.call('POST', `/v1/public/projects/${upheldId}/objections`, { body: { content: '异议二' } });
    const o3 = await api.call('POST', `/v1/public/projects/${upheldId}/objections`, { body: { content: '异议三' } });
    await api.advance('P8D');

    const d = await api.call('POST', `/v1/projects/${dismissedId}/objections/${o1.body.id}/resolution`, {
      token: a.street,
      body: { upheld: false, reply: '经核实不成立' },
    });
    const u1 = await api.call('POST', `/v1/projects/${upheldId}/objections/${o2.body.id}/resolution`, {
      token: a.street,
      body: { upheld: true, reply: '异议成立' },
    });
    const u2 = await api.call('POST', `/v1/projects/${upheldId}/objections/${o3.body.id}/resolution`, {
      token: a.street,
      body: { upheld: false, reply: '不成立' },
    });
    const again = await api.call('POST', `/v1/projects/${upheldId}/objections/${o3.body.id}/resolution`, {
      token: a.street,
      body: { upheld: false, reply: '再次' },
    });

    expect(d.body.status).toBe('AWAITING_APPROVAL');
    expect(d.body.deadlines.approvalDueAt).toMatch(/T23:59:59\+08:00$/);
    expect(u1.body.status).toBe('OBJECTION_REVIEW');
    expect(u2.body.status).toBe('RETURNED');
    expect(again.status).toBe(409);
  });

  it('rejects at approval and withdraws before approval, but not after', async () => {
    const rejectId = await submitted(api, a);
    const withdrawId = await submitted(api, a);
    await review(api, a, rejectId);
    await api.advance('P8D');

    const rejected = await api.call('POST', `/v1/projects/${rejectId}/approval`, {
      token: a.street,
      body: { decision: 'reject', comment: '不符合要求' },
    });
    const withdrawn = await api.call('POST', `/v1/projects/${withdrawId}/withdraw`, {
      token: a.community,
      body: { reason: '需求已由物业解决' },
    });
    const late = await api.call('POST', `/v1/projects/${rejectId}/withdraw`, {
      token: a.community,
      body: { reason: '撤回' },
    });

    expect(rejected.body.status).toBe('REJECTED');
    expect(withdrawn.body.status).toBe('WITHDRAWN');
    expect(late.status).toBe(409);
  });

  it('escalates an approval left past its deadline, keeps waiting, and can still be approved', async () => {
    const id = await submitted(api, a);
    await review(api, a, id);
    await api.advance('P8D');
    const waiting = await getProject(api, a.street, id);
    expect(waiting.status).toBe('AWAITING_APPROVAL');

    await api.advance('P10D');
    const history = (await api.call('GET', `/v1/projects/${id}/history`, { token: a.street })).body.items;
    const escalations = history.filter((e: any) => e.action === 'escalated');
    await api.advance('P1D');
    const historyAfter = (await api.call('GET', `/v1/projects/${id}/history`, { token: a.street })).body.items;
    const approved = await api.call('POST', `/v1/projects/${id}/approval`, {
      token: a.street,
      body: { decision: 'approve', comment: '同意' },
    });

    expect(escalations.length).toBeGreaterThanOrEqual(1);
    expect(escalations[0].details.missedDueAt).toBe(waiting.deadlines.approvalDueAt);
    expect(historyAfter.filter((e: any) => e.action === 'escalated' && e.details.level === 1)).toHaveLength(1);
    expect(approved.status).toBe(200);
  });

  it('refuses moving the clock back once projects exist', async () => {
    const r = await api.setClock('2024-01-01T00:00:00+08:00');
    expect(r.status).toBe(409);
  });
});

describe('errors and permissions', () => {
  it('401 without a token or with a forged one', async () => {
    const none = await api.call('GET', '/v1/projects');
    const forged = await api.call('GET', '/v1/projects', { token: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' });
    expect(none.status).toBe(401);
    expect(forged.status).toBe(401);
    expect(none.headers.get('content-type')).toContain('application/problem+json');
  });

  it('403 for the wrong role, 404 for another unit, before any state check', async () => {
    const id = await submitted(api, a);
    const streetCreates = await api.call('POST', '/v1/projects', { token: a.street, body: projectBody() });
    const communityReviews = await api.call('POST', `/v1/projects/${id}/review`, {
      token: a.community,
      body: { decision: 'pass', comment: 'x' },
    });
    const foreignReads = await api.call('GET', `/v1/projects/${id}`, { token: a.foreignCommunity });
    const foreignStreetApproves = await api.call('POST', `/v1/projects/${id}/approval`, {
      token: a.otherStreet,
      body: { decision: 'approve', comment: 'x' },
    });
    const foreignCreate = await api.call('POST', '/v1/projects', { token: a.foreignCommunity, body: projectBody() });

    expect(streetCreates.status).toBe(403);
    expect(communityReviews.status).toBe(403);
    expect(foreignReads.status).toBe(404);
    expect(foreignStreetApproves.status).toBe(404);
    expect(foreignCreate.status).toBe(404);
  });

  it('400 names the field for malformed and unknown input, and nothing is created', async () => {
    const before = (
      await api.call('GET', `/v1/projects?communityId=${DEMO.community}&year=2025&limit=100`, { token: a.community })
    ).body.items.length;
    const malformed = await api.call('POST', '/v1/projects', { token: a.community, raw: '{"title":' });
    const badAmount = await api.call('POST', '/v1/projects', {
      token: a.community,
      body: projectBody({ amountFen: 12.5 }),
    });
    const unknown = await api.call('POST', '/v1/projects', {
      token: a.community,
      body: projectBody({ colour: 'red' }),
    });
    const after = (
      await api.call('GET', `/v1/projects?communityId=${DEMO.community}&year=2025&limit=100`, { token: a.community })
    ).body.items.length;

    expect(malformed.status).toBe(400);
    expect(badAmount.status).toBe(400);
    expect(badAmount.body.errors[0].path).toBe('amountFen');
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].message).toContain('colour');
    expect(after).toBe(before);
  });

  it('422 for a prohibited use, naming the rule', async () => {
    const r = await api.call('POST', '/v1/projects', {
      token: a.community,
      body: projectBody({ title: '购买办公设备', measures: '为社区办公室购买电脑和打印机等办公设备' }),
    });
    const unknownCategory = await api.call('POST', '/v1/projects', {
      token: a.community,
      body: projectBody({ category: 'no_such_category' }),
    });
    expect(r.status).toBe(422);
    expect(r.body.rule).toMatch(/^prohibited\./);
    expect(unknownCategory.status).toBe(422);
    expect(unknownCategory.body.errors[0].path).toBe('category');
  });

  it('an Idempotency-Key retry gives the same project once; another body with the same key is refused', async () => {
    const headers = { 'idempotency-key': 'create-lights-001' };
    const first = await api.call('POST', '/v1/projects', {
      token: a.community,
      body: projectBody({ title: '幂等测试' }),
      headers,
    });
    const retry = await api.call('POST', '/v1/projects', {
      token: a.community,
      body: projectBody({ title: '幂等测试' }),
      headers,
    });
    const other = await api.call('POST', '/v1/projects', {
      token: a.community,
      body: projectBody({ title: '另一个' }),
      headers,
    });
    const list = (
      await api.call('GET', `/v1/projects?communityId=${DEMO.community}&year=2025&limit=100`, { token: a.community })
    ).body.items;

    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(first.body.id);
    expect(other.status).toBe(422);
    expect(list.filter((p: any) => p.title === '幂等测试')).toHaveLength(1);
  });

  it('pages the project list with nextToken', async () => {
    const page1 = await api.call('GET', `/v1/projects?communityId=${DEMO.community}&year=2025&limit=2`, {
      token: a.street,
    });
    const page2 = await api.call(
      'GET',
      `/v1/projects?communityId=${DEMO.community}&year=2025&limit=2&nextToken=${page1.body.nextToken}`,
      { token: a.street },
    );
    expect(page1.body.items).toHaveLength(2);
    expect(page1.body.nextToken).toBeTruthy();
    expect(page2.body.items[0].id).not.toBe(page1.body.items[0].id);
  });
});

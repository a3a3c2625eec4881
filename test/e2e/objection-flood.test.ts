import { afterAll, beforeAll, expect, it } from 'vitest';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ScanCommand as RawScan } from '@aws-sdk/client-dynamodb';
import { Api, startProduct, type Running } from '../support/localServer.ts';
import { actors, DEMO, getProject, review, submitted, type Actors } from '../support/scenario.ts';
import { callFrom } from '../support/fromAddress.ts';
import { dynamoItemSize, DYNAMO_ITEM_LIMIT } from '../support/itemSize.ts';
import { PUBLIC_LIMITS } from '../../functions/api/problem.ts';
import { startLocalDynamo, TABLE_NAME } from '../../infra/local/dynamo.ts';

let server: Running;
let api: Api;
let a: Actors;

beforeAll(async () => {
  server = await startProduct();
  api = new Api(server.baseUrl);
  await api.setClock('2025-09-23T10:00:00+08:00');
  a = await actors(api);
  const alloc = await api.as(a.district).PUT('/v1/allocations/{year}/{communityId}', {
    params: { path: { year: 2025, communityId: DEMO.community } },
    body: { amountFen: 20_000_000, sources: [{ funder: '区财政', amountFen: 20_000_000 }] },
  });
  expect(alloc.response.status).toBe(200);
});
afterAll(async () => server?.stop());

/** The longest objection the API takes, in the characters that weigh most in UTF-8 (3 bytes each). */
const FULL_LENGTH = '异'.repeat(2000);
const objectFrom = (address: string, projectId: string, headers: Record<string, string> = {}, content = FULL_LENGTH) =>
  callFrom(address, server.baseUrl, 'POST', `/v1/public/projects/${projectId}/objections`, { content }, headers);

/** Every objection of a project, page by page. */
const allObjections = async (projectId: string) => {
  const all: any[] = [];
  let nextToken: string | undefined;
  do {
    const r = await api.call(
      'GET',
      `/v1/projects/${projectId}/objections?limit=100${nextToken ? `&nextToken=${encodeURIComponent(nextToken)}` : ''}`,
      { token: a.street },
    );
    expect(r.status).toBe(200);
    all.push(...r.body.items);
    nextToken = r.body.nextToken;
  } while (nextToken);
  return all;
};

it('answers 404, not 500, for an objection id such as __proto__ or constructor', async () => {
  // Prepare: a project in review of its objections
  const id = await submitted(api, a);
  await review(api, a, id);
  await objectFrom('127.0.5.1', id, {}, '太吵');
  await api.advance('P8D');
  expect((await getProject(api, a.street, id)).status).toBe('OBJECTION_REVIEW');

  // Act
  const replies = await Promise.all(
    ['__proto__', 'constructor', 'toString', 'hasOwnProperty'].map((o) =>
      api.call('POST', `/v1/projects/${id}/objections/${o}/resolution`, {
        token: a.street,
        body: { upheld: false, reply: '已核实' },
      }),
    ),
  );

  // Assess
  expect(replies.map((r) => r.status)).toEqual([404, 404, 404, 404]);
  expect(replies[0].headers.get('content-type')).toContain('application/problem+json');
  expect((await getProject(api, a.street, id)).status).toBe('OBJECTION_REVIEW');
});

it('takes an objection sent twice with one Idempotency-Key once, and answers both with the same id', async () => {
  // Prepare
  await api.setClock('2025-10-09T10:00:00+08:00');
  const id = await submitted(api, a);
  await review(api, a, id);
  const headers = { 'idempotency-key': 'resident-retry-1' };

  // Act
  const first = await objectFrom('127.0.6.1', id, headers, '路灯太亮');
  const retry = await objectFrom('127.0.6.1', id, headers, '路灯太亮');
  const objections = await allObjections(id);

  // Assess
  expect([first.status, retry.status]).toEqual([201, 201]);
  expect(retry.body.id).toBe(first.body.id);
  expect(objections.map((o) => o.id)).toEqual([first.body.id]);
});

it('stays open to a fresh resident and workable for staff after a flood at the limits, and no item nears 400 KB', async () => {
  // Prepare: two projects in publicity; what their records look like before any objection
  await api.setClock('2025-10-20T10:00:00+08:00');
  const approved = await submitted(api, a);
  const withdrawn = await submitted(api, a);
  await review(api, a, approved);
  await review(api, a, withdrawn);
  const volatile = ({ objections: _o, objectionsNextToken: _n, version: _v, updatedAt: _u, ...rest }: any) => rest;
  const before = volatile(await getProject(api, a.street, approved));
  const historyBefore = (await api.call('GET', `/v1/projects/${approved}/history`, { token: a.street })).body.items
    .length;
  const clients = PUBLIC_LIMITS.objectionsPerProjectPerDay / PUBLIC_LIMITS.objectionsPerClientPerHour; // 50 addresses fill a project's day

  // Act: each project gets its whole day's budget, full length, from 50 addresses, each at its own limit
  const flood = (projectId: string, subnet: number) =>
    Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        const statuses: number[] = [];
        for (let i = 0; i < PUBLIC_LIMITS.objectionsPerClientPerHour; i++)
          statuses.push((await objectFrom(`127.0.${subnet}.${c + 1}`, projectId)).status);
        return statuses;
      }),
    );
  const floodReplies = [...(await flood(approved, 1)), ...(await flood(withdrawn, 2))].flat();
  const resident = await objectFrom('127.0.9.1', approved, {}, '施工时间请避开午休');
  const residentAgain = await objectFrom('127.0.9.1', approved, {}, '再补充一点');
  const afterFlood = volatile(await getProject(api, a.street, approved));
  const historyAfter = (await api.call('GET', `/v1/projects/${approved}/history`, { token: a.street })).body.items
    .length;
  const publicCount = (await api.call('GET', `/v1/public/projects/${approved}`)).body.objectionCount;

  await api.advance('P8D'); // the windows close: both projects go to objection review
  const inReview = await getProject(api, a.street, approved);
  const objections = await allObjections(approved);
  // Several reviewers at once, so the last resolutions race to move the project on.
  const queue = [...objections];
  const resolutions: { status: number }[] = [];
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let o = queue.shift(); o; o = queue.shift())
        resolutions.push(
          await api.call('POST', `/v1/projects/${approved}/objections/${o.id}/resolution`, {
            token: a.street,
            body: { upheld: false, reply: '经核实，不影响项目实施' },
          }),
        );
    }),
  );
  const resolved = await getProject(api, a.street, approved);
  const approval = await api.call('POST', `/v1/projects/${approved}/approval`, {
    token: a.street,
    body: { decision: 'approve', comment: '同意' },
  });
  const withdrawal = await api.call('POST', `/v1/projects/${withdrawn}/withdraw`, {
    token: a.community,
    body: { reason: '社区决定暂缓' },
  });

  // Assess: every objection within the limits was taken, and a fresh address still gets through once
  expect(floodReplies).toHaveLength(2 * PUBLIC_LIMITS.objectionsPerProjectPerDay);
  expect(floodReplies.every((s) => s === 201)).toBe(true);
  expect(resident.status).toBe(201);
  expect(residentAgain.status).toBe(429);
  // the project's own record did not grow with them
  expect(afterFlood).toEqual({ ...before, lastObjectionAt: afterFlood.lastObjectionAt });
  expect(historyAfter).toBe(historyBefore);
  expect(publicCount).toBe(PUBLIC_LIMITS.objectionsPerProjectPerDay + 1);
  // staff can still resolve every one, approve, and withdraw
  expect(inReview.status).toBe('OBJECTION_REVIEW');
  expect(objections).toHaveLength(PUBLIC_LIMITS.objectionsPerProjectPerDay + 1);
  expect(resolutions).toHaveLength(objections.length);
  expect(resolutions.every((r) => r.status === 200)).toBe(true);
  expect(resolved.status).toBe('AWAITING_APPROVAL');
  expect(approval.status).toBe(200);
  expect(withdrawal.status).toBe(200);
  expect(withdrawal.body.status).toBe('WITHDRAWN');

  // Assess: as DynamoDB counts (UTF-8), every item the flood left is far below 400 KB
  await server.stop();
  const store = await startLocalDynamo(server.dataDir);
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await store.client.send(new RawScan({ TableName: TABLE_NAME, ExclusiveStartKey: start as never }));
    items.push(...(page.Items ?? []).map((i) => unmarshall(i)));
    start = page.LastEvaluatedKey;
  } while (start);
  await store.close();
  const projectItems = items.filter((i) => i.sk === 'PROJECT' && [approved, withdrawn].includes(i.id as string));
  const largest = Math.max(...items.map(dynamoItemSize));
  console.log(
    `flood: ${items.length} items, largest ${largest} B, project items ${projectItems.map(dynamoItemSize).join(' B, ')} B`,
  );
  expect(projectItems).toHaveLength(2);
  expect(Math.max(...projectItems.map(dynamoItemSize))).toBeLessThan(16 * 1024);
  expect(largest).toBeLessThan(DYNAMO_ITEM_LIMIT / 40);
}, 900_000);

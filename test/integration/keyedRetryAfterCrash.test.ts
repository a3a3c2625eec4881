import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { releaseInProgressRecords } from '../../functions/store/idempotency.ts';
import { embeddedStore, seedDemoDistrict } from '../support/embeddedStore.ts';
import { runtime } from '../../functions/runtime.ts';
import {
  allCommunityProjects,
  createProject,
  getProject,
  getProjects,
  parkToken,
} from '../../functions/store/projects.ts';
import { listNeeds } from '../../functions/store/needs.ts';
import { listUndertakers } from '../../functions/store/undertakers.ts';
import { getChangeRequest } from '../../functions/store/changeRequests.ts';
import { decideObjection, putObjectionText } from '../../functions/store/objections.ts';
import type { Project } from '../../functions/domain/project.ts';
import { handler as projects } from '../../functions/api/projects.ts';
import { handler as workflowActions } from '../../functions/api/workflowActions.ts';
import { handler as needs } from '../../functions/api/needs.ts';
import { handler as undertakers } from '../../functions/api/undertakers.ts';
import { forgetAllProjects, rememberProject } from '../../functions/store/projectCache.ts';

/*
 * A crash between a command's effect and the completion of its idempotency record: the
 * in-progress record expires, and the client's retry with the same key runs the handler
 * again. Here the record is deleted after the first run, which is what the persistence
 * layer sees once the in-progress record has expired. The second run must find the
 * record the first one added and answer with it: one record, one event.
 */

const COMMUNITY = 'gd-gdjd-xh';
const STREET = 'gd-gdjd';

let store: Awaited<ReturnType<typeof embeddedStore>>;
beforeAll(async () => {
  store = await embeddedStore('2025-09-23T02:00:00Z');
  await seedDemoDistrict();
});
afterAll(async () => store?.stop());

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
const context = { getRemainingTimeInMillis: () => 30_000 } as unknown as Context;

const send = async (
  handler: unknown,
  method: string,
  path: string,
  route: string,
  opts: { body?: unknown; key: string; claims?: Record<string, string>; params?: Record<string, string> },
): Promise<{ status: number; body: any }> => {
  const event = {
    version: '2.0',
    routeKey: `${method} ${route}`,
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', 'idempotency-key': opts.key },
    pathParameters: opts.params ?? {},
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    isBase64Encoded: false,
    requestContext: {
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'test' },
      requestId: `r-${Math.random()}`,
      routeKey: `${method} ${route}`,
      ...(opts.claims ? { authorizer: { jwt: { claims: opts.claims, scopes: null } } } : {}),
    },
  } as unknown as APIGatewayProxyEventV2;
  const out = await (handler as Handler)(event, context);
  return { status: out.statusCode ?? 200, body: out.body ? JSON.parse(out.body) : undefined };
};

/** What the crash leaves behind: no completed idempotency record, as after the in-progress one expired. */
const forgetIdempotencyRecords = async () => {
  const out = await runtime().ddb.send(
    new QueryCommand({
      TableName: runtime().tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'IDEMPOTENCY' },
    }),
  );
  for (const item of out.Items ?? [])
    await runtime().ddb.send(new DeleteCommand({ TableName: runtime().tableName, Key: { pk: item.pk, sk: item.sk } }));
  return out.Items?.length ?? 0;
};

/** Runs a keyed command, "crashes" before its idempotency record completes, and retries it. */
const runCrashAndRetry = async (run: () => Promise<{ status: number; body: any }>) => {
  const first = await run();
  const forgotten = await forgetIdempotencyRecords();
  const retry = await run();
  return { first, retry, forgotten };
};

const community = { sub: 'community-person', role: 'community', orgUnitId: COMMUNITY };
const district = { sub: 'district-person', role: 'district', orgUnitId: 'gd' };
const street = { sub: 'street-person', role: 'street', orgUnitId: STREET };

let n = 0;
const storedProject = async (over: Partial<Project>): Promise<Project> => {
  const at = '2025-09-23T02:00:00.000Z';
  const p: Project = {
    id: `CRASH${++n}`,
    communityId: COMMUNITY,
    streetId: STREET,
    year: 2025,
    title: '路灯',
    category: 'property_service',
    type: 'works',
    amountFen: 100_000,
    cofunding: [],
    delivery: 'self',
    measures: '更换路灯',
    plannedEnd: '2025-12-15',
    needIds: [],
    status: 'DRAFT',
    version: 1,
    createdAt: at,
    updatedAt: at,
    createdBy: { sub: community.sub, role: 'community', orgUnitId: COMMUNITY },
    deadlines: {},
    deliberations: {},
    tranches: [],
    progress: [],
    history: [],
    ...over,
  };
  await createProject(p);
  return p;
};

describe('a keyed command re-run after a crash applies once', () => {
  it('creating a project: one project, one creation event, the same answer', async () => {
    // Prepare
    const body = {
      communityId: COMMUNITY,
      year: 2025,
      title: '崩溃后重试的项目',
      category: 'property_service',
      type: 'works',
      amountFen: 300_000,
      delivery: 'self',
      measures: '更换路灯',
      plannedEnd: '2025-12-15',
    };
    const create = () =>
      send(projects, 'POST', '/v1/projects', '/v1/projects', { body, key: 'create-1', claims: community });

    // Act
    const { first, retry, forgotten } = await runCrashAndRetry(create);

    // Assess
    expect(forgotten).toBeGreaterThan(0);
    expect(first.status).toBe(201);
    expect(retry).toEqual(first);
    const mine = (await allCommunityProjects(COMMUNITY, 2025)).filter((p) => p.title === body.title);
    expect(mine).toHaveLength(1);
    // The list index carries a summary; the history is on the project itself.
    const [whole] = await getProjects([mine[0].id]);
    expect(whole.history.map((e) => e.action)).toEqual(['created']);
  });

  it('recording a deliberation: one record, one event', async () => {
    // Prepare
    const p = await storedProject({});
    const body = {
      step: 'party_branch_proposal',
      heldOn: '2025-09-20',
      body: '党支部',
      attendance: 9,
      votesFor: 9,
      votesAgainst: 0,
      abstentions: 0,
      minutes: '同意',
    };
    const record = () =>
      send(projects, 'POST', `/v1/projects/${p.id}/deliberations`, '/v1/projects/{id}/deliberations', {
        body,
        key: 'delib-1',
        claims: community,
        params: { id: p.id },
      });

    // Act
    const { first, retry } = await runCrashAndRetry(record);

    // Assess
    expect(first.status).toBe(201);
    expect(retry).toEqual(first);
    const stored = await getProject(p.id);
    expect(Object.keys(stored!.deliberations)).toEqual([first.body.id]);
    expect(stored!.history.filter((e) => e.action === 'deliberation_recorded')).toHaveLength(1);
  });

  it('reporting progress: one report, one event', async () => {
    // Prepare
    const p = await storedProject({ status: 'IN_PROGRESS' });
    const report = () =>
      send(workflowActions, 'POST', `/v1/projects/${p.id}/progress`, '/v1/projects/{id}/progress', {
        body: { percent: 40, note: '已完成一半' },
        key: 'progress-1',
        claims: community,
        params: { id: p.id },
      });

    // Act
    const { first, retry } = await runCrashAndRetry(report);

    // Assess
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(first.body.id);
    const stored = await getProject(p.id);
    expect(stored!.progress).toHaveLength(1);
    expect(stored!.history.filter((e) => e.action === 'progress_reported')).toHaveLength(1);
  });

  it('a failed acceptance: one attempt, one event', async () => {
    // Prepare
    const p = await storedProject({
      status: 'IN_PROGRESS',
      tranches: [{ n: 1, amountFen: 100_000, paidFen: 0, attempts: [] }],
    });
    const accept = () =>
      send(
        workflowActions,
        'POST',
        `/v1/projects/${p.id}/tranches/1/acceptance`,
        '/v1/projects/{id}/tranches/{n}/acceptance',
        {
          body: { passed: false, comment: '灯具未安装完' },
          key: 'acceptance-1',
          claims: street,
          params: { id: p.id, n: '1' },
        },
      );

    // Act
    const { first, retry } = await runCrashAndRetry(accept);

    // Assess
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    const stored = await getProject(p.id);
    expect(stored!.tranches[0].attempts).toHaveLength(1);
    expect(stored!.history.filter((e) => e.action === 'acceptance_failed')).toHaveLength(1);
  });

  // A crash between the intent (with its event) and the request item is completed by the
  // project's pending operation: test/integration/crash-safe-commands.test.ts.
  it('asking for a change: one request, one event, when the crash fell after the writes and before the idempotency record', async () => {
    // Prepare
    const p = await storedProject({ status: 'IN_PROGRESS' });
    const ask = () =>
      send(workflowActions, 'POST', `/v1/projects/${p.id}/change-requests`, '/v1/projects/{id}/change-requests', {
        body: { plannedEnd: '2025-12-30', reason: '材料延期' },
        key: 'change-1',
        claims: community,
        params: { id: p.id },
      });
    const first = await ask();
    await forgetIdempotencyRecords();

    // Act
    const retry = await ask();
    await forgetIdempotencyRecords();
    const again = await ask();

    // Assess
    expect(first.status).toBe(201);
    expect(retry).toEqual(first);
    expect(again).toEqual(first);
    expect(await getChangeRequest(first.body.id)).toEqual(first.body);
    const stored = await getProject(p.id);
    expect(stored!.history.filter((e) => e.action === 'change_requested')).toHaveLength(1);
  });

  it('a status change (review, withdrawal): the retry answers with the project as the first run did, one event', async () => {
    // Prepare
    const reviewed = await storedProject({ status: 'UNDER_REVIEW' });
    const review = () =>
      send(workflowActions, 'POST', `/v1/projects/${reviewed.id}/review`, '/v1/projects/{id}/review', {
        body: { decision: 'return', comment: '材料不全' },
        key: 'review-1',
        claims: street,
        params: { id: reviewed.id },
      });
    const withdrawn = await storedProject({ status: 'DRAFT' });
    const withdraw = () =>
      send(workflowActions, 'POST', `/v1/projects/${withdrawn.id}/withdraw`, '/v1/projects/{id}/withdraw', {
        body: { reason: '居民不再需要' },
        key: 'withdraw-1',
        claims: community,
        params: { id: withdrawn.id },
      });

    // Act
    const firstReview = await review();
    const firstWithdrawal = await withdraw();
    await forgetIdempotencyRecords();
    const retriedReview = await review();
    const retriedWithdrawal = await withdraw();
    const otherKey = await send(
      workflowActions,
      'POST',
      `/v1/projects/${reviewed.id}/review`,
      '/v1/projects/{id}/review',
      {
        body: { decision: 'return', comment: '材料不全' },
        key: 'review-2',
        claims: street,
        params: { id: reviewed.id },
      },
    );

    // Assess
    expect(firstReview.status).toBe(200);
    expect(firstReview.body.status).toBe('RETURNED');
    expect(retriedReview).toEqual(firstReview);
    expect(firstWithdrawal.body.status).toBe('WITHDRAWN');
    expect(retriedWithdrawal).toEqual(firstWithdrawal);
    expect(otherKey.status).toBe(409);
    expect((await getProject(reviewed.id))!.history.filter((e) => e.action === 'review_returned')).toHaveLength(1);
    expect((await getProject(withdrawn.id))!.history.filter((e) => e.action === 'withdrawn')).toHaveLength(1);
  });

  it('resolving objections: a retry of each resolution answers as its first run did, and the round closes once', async () => {
    // Prepare: a project in objection review with two objections of its round
    const p = await storedProject({ status: 'OBJECTION_REVIEW', publicityRound: 1 });
    for (const id of ['OBJA', 'OBJB']) {
      await putObjectionText(p.id, {
        id,
        content: '噪音太大',
        receivedAt: '2025-09-24T02:00:00.000Z',
        hasContact: false,
        round: 1,
      });
      await decideObjection(p.id, 1, id, 'accepted');
    }
    const resolve = (id: string) =>
      send(
        workflowActions,
        'POST',
        `/v1/projects/${p.id}/objections/${id}/resolution`,
        '/v1/projects/{id}/objections/{objectionId}/resolution',
        {
          body: { upheld: false, reply: '已核实，施工限时' },
          key: `resolve-${id}`,
          claims: street,
          params: { id: p.id, objectionId: id },
        },
      );

    // Act
    const firstA = await resolve('OBJA');
    await forgetIdempotencyRecords();
    const retriedA = await resolve('OBJA');
    const firstB = await resolve('OBJB');
    await forgetIdempotencyRecords();
    const retriedB = await resolve('OBJB');

    // Assess
    expect(firstA.status).toBe(200);
    expect(retriedA.status).toBe(200);
    expect(retriedA.body.status).toBe('OBJECTION_REVIEW');
    expect(firstB.body.status).toBe('AWAITING_APPROVAL');
    expect(retriedB).toEqual(firstB);
    expect((await getProject(p.id))!.history.filter((e) => e.action === 'objections_dismissed')).toHaveLength(1);
  });

  it('a restart releases the in-progress marks of requests that died, and keeps completed answers', async () => {
    // Prepare: one request that died mid-way, one that finished
    const put = (sk: string, status: string) =>
      runtime().ddb.send(
        new PutCommand({
          TableName: runtime().tableName,
          Item: { pk: 'IDEMPOTENCY', sk, status, expiration: 9_999_999_999 },
        }),
      );
    await put('died', 'INPROGRESS');
    await put('finished', 'COMPLETED');

    // Act
    const released = await releaseInProgressRecords();

    // Assess
    const left = await runtime().ddb.send(
      new QueryCommand({
        TableName: runtime().tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'IDEMPOTENCY' },
      }),
    );
    expect(released).toBe(1);
    expect(left.Items?.map((i) => i.sk)).toContain('finished');
    expect(left.Items?.map((i) => i.sk)).not.toContain('died');
  });

  it('raising a need, by staff and by a resident: one need each', async () => {
    // Prepare
    const staff = () =>
      send(needs, 'POST', `/v1/communities/${COMMUNITY}/needs`, '/v1/communities/{communityId}/needs', {
        body: { title: '楼道灯坏了（员工）', description: '三楼', channel: 'visit', year: 2025 },
        key: 'need-1',
        claims: community,
        params: { communityId: COMMUNITY },
      });
    const resident = () =>
      send(needs, 'POST', `/v1/public/communities/${COMMUNITY}/needs`, '/v1/public/communities/{communityId}/needs', {
        body: { title: '楼道灯坏了（居民）', description: '四楼' },
        key: 'need-2',
        params: { communityId: COMMUNITY },
      });

    // Act
    const a = await runCrashAndRetry(staff);
    const b = await runCrashAndRetry(resident);

    // Assess
    expect([a.first.status, b.first.status]).toEqual([201, 201]);
    expect(a.retry).toEqual(a.first);
    expect(b.retry).toEqual(b.first);
    const listed = (await listNeeds(COMMUNITY, 2025, { limit: 100 })).items.map((i) => i.title);
    expect(listed.filter((t) => t.startsWith('楼道灯坏了'))).toEqual(
      expect.arrayContaining(['楼道灯坏了（员工）', '楼道灯坏了（居民）']),
    );
    expect(listed.filter((t) => t.startsWith('楼道灯坏了'))).toHaveLength(2);
  });

  it('registering an undertaker: one undertaker, and the retry is the same 201, not a 409', async () => {
    // Prepare
    const register = () =>
      send(undertakers, 'POST', '/v1/undertakers', '/v1/undertakers', {
        body: { name: '崩溃物业公司', kind: 'enterprise', creditCode: '91510100MA6CRASH01' },
        key: 'u-1',
        claims: district,
      });

    // Act
    const { first, retry } = await runCrashAndRetry(register);

    // Assess
    expect(first.status).toBe(201);
    expect(retry).toEqual(first);
    expect((await listUndertakers({ limit: 100 })).items.filter((u) => u.name === '崩溃物业公司')).toHaveLength(1);
  });
});

/*
 * A command decides on this process's copy of its project (store/projectCache.ts). In AWS
 * another function's instance may have changed the project since: here that instance is
 * this process with its copies forgotten, and afterwards the stale copy is put back.
 */
describe('a command decided on a copy of its project that another process overtook', () => {
  const GUANDU_STEPS = [
    'party_branch_proposal',
    'two_committees_consultation',
    'party_members_review',
    'residents_resolution',
  ];
  const deliberation = (p: Project, step: string, key: string) =>
    send(projects, 'POST', `/v1/projects/${p.id}/deliberations`, '/v1/projects/{id}/deliberations', {
      body: {
        step,
        heldOn: '2025-09-20',
        body: '会议',
        attendance: 9,
        votesFor: 9,
        votesAgainst: 0,
        abstentions: 0,
        minutes: '同意',
      },
      key,
      claims: community,
      params: { id: p.id },
    });
  const statusChange = (p: Project, action: 'submit' | 'withdraw', key: string, body?: unknown) =>
    send(workflowActions, 'POST', `/v1/projects/${p.id}/${action}`, `/v1/projects/{id}/${action}`, {
      body,
      key,
      claims: community,
      params: { id: p.id },
    });
  // The stale copy differs from the store on purpose: the tests' check of every copy against it is off here.
  beforeEach(() => vi.stubEnv('STORE_CHECK_DERIVED', '0'));
  afterEach(() => vi.unstubAllEnvs());
  /** Runs `elsewhere` as another process would (on no copies), then leaves this process with the copy it had. */
  const overtaken = async (p: Project, elsewhere: () => Promise<{ status: number; body: any }>) => {
    const stale = (await getProject(p.id))!;
    forgetAllProjects();
    const done = await elsewhere();
    rememberProject(stale);
    return done;
  };

  /** What `act` returns, and how often the project's item was read (GetItem) and updated meanwhile. */
  const projectReadsDuring = async <T>(
    p: Project,
    act: () => Promise<T>,
  ): Promise<{ result: T; reads: number; updates: number }> => {
    const ddb = runtime().ddb as unknown as { send: (c: unknown) => Promise<unknown> };
    const original = ddb.send;
    let reads = 0;
    let updates = 0;
    ddb.send = (c: unknown) => {
      const pk = (c as { input?: { Key?: { pk?: string } } }).input?.Key?.pk;
      if (pk === `PROJECT#${p.id}` && (c as object).constructor.name === 'GetCommand') reads++;
      if (pk === `PROJECT#${p.id}` && (c as object).constructor.name === 'UpdateCommand') updates++;
      return original(c);
    };
    try {
      const result = await act();
      return { result, reads, updates };
    } finally {
      ddb.send = original;
    }
  };

  it('is refused only after the store says so: a refusal on the stale copy is decided again', async () => {
    // Prepare: three steps here, the fourth recorded elsewhere
    const p = await storedProject({});
    for (const [i, step] of GUANDU_STEPS.slice(0, 3).entries()) await deliberation(p, step, `stale-refusal-${i}`);
    const fourth = await overtaken(p, () => deliberation(p, GUANDU_STEPS[3], 'stale-refusal-3'));

    // Act: the copy here lacks the fourth step, so submitting on it alone is refused
    const submitted = await statusChange(p, 'submit', 'stale-submit');

    // Assess
    expect(fourth.status).toBe(201);
    expect(submitted.status).toBe(200);
    expect(submitted.body.status).toBe('UNDER_REVIEW');
    expect((await getProject(p.id))!.history.filter((e) => e.action === 'submitted')).toHaveLength(1);
  });

  it('writes nothing over the stale copy: a keyed retry whose first run was elsewhere answers as that run did', async () => {
    // Prepare: the first run recorded the deliberation elsewhere and died before its idempotency record completed
    const p = await storedProject({});
    const first = await overtaken(p, async () => {
      const r = await deliberation(p, GUANDU_STEPS[0], 'stale-retry');
      await forgetIdempotencyRecords();
      return r;
    });

    // Act: the retry lands here, on the copy without that record
    const retry = await deliberation(p, GUANDU_STEPS[0], 'stale-retry');

    // Assess
    expect(first.status).toBe(201);
    expect(retry).toEqual(first);
    const stored = (await getProject(p.id))!;
    expect(Object.keys(stored.deliberations)).toEqual([first.body.id]);
    expect(stored.history.filter((e) => e.action === 'deliberation_recorded')).toHaveLength(1);
  });

  /**
   * Withdraws a project whose workflow parked `token-elsewhere` in another process after
   * this one last saw it (with `seenHere` parked before, as this process saw), and checks
   * that the withdrawal went through once and woke that token; gives the project's reads
   * and updates meanwhile.
   */
  const withdrawnAfterParkElsewhere = async (seenHere?: string) => {
    const p = await storedProject({ status: 'RETURNED' });
    if (seenHere) await parkToken(p.id, 'RETURNED', seenHere);
    const parked = await overtaken(p, async () => ({
      status: (await parkToken(p.id, 'RETURNED', 'token-elsewhere')) ? 200 : 409,
      body: undefined,
    }));
    const signalled = store.signals.length;
    const {
      result: withdrawn,
      reads,
      updates,
    } = await projectReadsDuring(p, () =>
      statusChange(p, 'withdraw', 'withdraw-after-park', { reason: '居民不再需要' }),
    );
    expect(parked.status).toBe(200);
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.status).toBe('WITHDRAWN');
    expect(store.signals.slice(signalled).map((s) => s.token)).toEqual(['token-elsewhere']);
    expect((await getProject(p.id))!.history.filter((e) => e.action === 'withdrawn')).toHaveLength(1);
    return { reads, updates };
  };

  it('reads the project again when its copy is in a human step without the token parked for it, and wakes that token', async () => {
    // Prepare, Act: no token was parked when this process last saw the project
    const { reads, updates } = await withdrawnAfterParkElsewhere();

    // Assess: one read and one write, none refused for the token the copy lacked
    expect([reads, updates]).toEqual([1, 1]);
  });

  it('is not decided again when only a parked token came since, and wakes the step parked with it', async () => {
    // Prepare, Act: this process saw a token parked; the workflow parked another one elsewhere since
    const { reads, updates } = await withdrawnAfterParkElsewhere('token-seen-here');

    // Assess: written again over the same version, without reading the project to find that out
    expect([reads, updates]).toEqual([0, 2]);
  });
});

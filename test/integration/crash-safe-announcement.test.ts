import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { embeddedStore, seedDemoDistrict, wrapSends } from '../support/embeddedStore.ts';
import { createProject, getProject, parkToken } from '../../functions/store/projects.ts';
import { getAllocation, setAllocation } from '../../functions/store/allocations.ts';
import { paymentKey } from '../../functions/domain/ledger.ts';
import { OPERATION_LEASE_MS } from '../../functions/domain/pendingOp.ts';
import type { Project } from '../../functions/domain/project.ts';
import { runReminderSweep } from '../../functions/jobs/reminderSweep.ts';
import { forgetIntentsSeenDone } from '../../functions/store/projectCache.ts';
import { forgetOpeningsQueued } from '../../functions/notify/openings.ts';
import { handler } from '../../functions/api/workflowActions.ts';
import { passedDeliberations, storedProject } from '../support/storedProject.ts';

/*
 * The opening of a publicity window is recorded by the write that opens it and queued by
 * its command after that write. Here the command dies right after its write (the store
 * applied it, then the handler throws, as in crash-safe-commands.test.ts): the next
 * daily sweep must queue the opening, once, without writing the project.
 */
const COMMUNITY = 'gd-gdjd-xh';
const STREET = 'gd-gdjd';
/** The community's duty line (demo-district.json): every announcement to the community reaches it. */
const DUTY = ['13800002000', 'duty-gd-gdjd-xh@example.org'];
/** Sat 2025-09-20 09:00 in Shanghai, and the daily sweeps of the two mornings after it. */
const REVIEW_DAY = '2025-09-20T01:00:00Z';
const NEXT_MORNING = '2025-09-21T00:00:00Z';
const MORNING_AFTER = '2025-09-22T00:00:00Z';

let store: Awaited<ReturnType<typeof embeddedStore>>;

class Crash extends Error {}
let crashAfter: string | undefined;
/** The keys of the writes made while it is set. */
let writesSeen: string[] | undefined;
/** The keys of the single-item reads (GetItem) made while it is set. */
let getsSeen: string[] | undefined;
/** The keys read in batches (BatchGetItem) while it is set. */
let batchSeen: string[] | undefined;

beforeAll(async () => {
  process.env.POLICY_PROFILE = 'guandu';
  store = await embeddedStore(REVIEW_DAY);
  await seedDemoDistrict();
  await setAllocation(
    {
      year: 2025,
      communityId: COMMUNITY,
      streetId: STREET,
      amountFen: 5_000_000,
      sources: [{ funder: '区财政', amountFen: 5_000_000 }],
    },
    new Date(),
  );
  wrapSends(async (command, send) => {
    const out = await send(command);
    const input = (command as { input?: { Key?: { pk?: string }; Item?: { pk?: string } } }).input;
    const pk = input?.Key?.pk ?? input?.Item?.pk ?? '';
    const name = command.constructor.name;
    const isWrite = name === 'UpdateCommand' || name === 'PutCommand';
    if (isWrite) writesSeen?.push(pk);
    if (name === 'GetCommand') getsSeen?.push(pk);
    if (name === 'BatchGetCommand')
      for (const { Keys } of Object.values(
        (command as { input: { RequestItems: Record<string, { Keys: { pk: string }[] }> } }).input.RequestItems,
      ))
        batchSeen?.push(...Keys.map((k) => k.pk));
    if (crashAfter && isWrite && pk === crashAfter) {
      crashAfter = undefined;
      throw new Crash(`killed after a write to ${pk}`);
    }
    return out;
  });
});
afterAll(async () => store?.stop());
afterEach(() => {
  crashAfter = undefined;
  writesSeen = undefined;
  getsSeen = undefined;
  batchSeen = undefined;
  store.setNow(REVIEW_DAY);
  vi.restoreAllMocks();
});

let n = 0;
const aProject = async (over: Partial<Project>): Promise<Project> => {
  const id = `OPEN${String(++n).padStart(3, '0')}`;
  const p = storedProject(
    id,
    { communityId: COMMUNITY, streetId: STREET },
    {
      createdAt: `2025-09-01T00:00:${String(n).padStart(2, '0')}.000Z`,
      deliberations: passedDeliberations('2025-08-20'),
      ...over,
    },
  );
  await createProject(p);
  return p;
};

const street = { sub: 'street-1', role: 'street', orgUnitId: STREET };
const call = async (routeKey: string, path: string, params: Record<string, string>, body: unknown) => {
  const event = {
    routeKey,
    rawPath: path,
    headers: { 'content-type': 'application/json' },
    pathParameters: params,
    body: JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: {
      http: { method: 'POST', sourceIp: '127.0.0.1' },
      authorizer: { jwt: { claims: street } },
    },
  } as unknown as APIGatewayProxyEventV2;
  const res = (await handler(event, {} as Context)) as APIGatewayProxyStructuredResultV2;
  return { status: res.statusCode!, body: res.body ? JSON.parse(res.body) : undefined };
};
const review = (id: string) =>
  call('POST /v1/projects/{id}/review', `/v1/projects/${id}/review`, { id }, { decision: 'pass', comment: '同意公示' });
const approve = (id: string) =>
  call(
    'POST /v1/projects/{id}/approval',
    `/v1/projects/${id}/approval`,
    { id },
    { decision: 'approve', comment: '同意' },
  );
const accept = (id: string, t: number) =>
  call(
    'POST /v1/projects/{id}/tranches/{n}/acceptance',
    `/v1/projects/${id}/tranches/${t}/acceptance`,
    { id, n: String(t) },
    { passed: true, comment: '验收合格' },
  );

const underReview = () => aProject({ status: 'UNDER_REVIEW', deadlines: { reviewDueAt: '2025-09-26T23:59:59+08:00' } });

/** The opening messages of a project queued so far, by idempotency key, and how often each key was queued. */
const openingsQueued = (id: string): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const m of store.sent)
    if (m.idempotencyKey.startsWith(`${id}#`) && m.template === 'publicityStart')
      counts.set(m.idempotencyKey, (counts.get(m.idempotencyKey) ?? 0) + 1);
  return counts;
};
const addressesOf = (queued: Map<string, number>) => [...queued.keys()].map((k) => k.split('#').at(-1)).sort();
const openingEvents = (p: Project | undefined) =>
  (p?.history ?? []).filter((e) => e.action === 'reminder_sent' && e.details?.kind === 'publicityStart');

describe('a review that opens a publicity window', () => {
  it('queues the opening at once, in one write of the project; a sweep queues it again only in another process, and writes nothing', async () => {
    // Prepare
    const p = await underReview();
    writesSeen = [];

    // Act
    const reviewed = await review(p.id);
    const atReview = openingsQueued(p.id);
    store.setNow(NEXT_MORNING);
    await runReminderSweep();
    const afterSweep = openingsQueued(p.id);
    forgetOpeningsQueued();
    await runReminderSweep();
    const elsewhere = openingsQueued(p.id);

    // Assess
    expect(reviewed.status).toBe(200);
    expect(addressesOf(atReview)).toEqual(DUTY.sort());
    expect(writesSeen.filter((pk) => pk === `PROJECT#${p.id}`)).toHaveLength(1);
    expect(afterSweep).toEqual(atReview);
    // The other process's repeat is the same messages (the outbox and the sender send each key once).
    expect([...elsewhere.keys()]).toEqual([...atReview.keys()]);
    expect([...elsewhere.values()]).toEqual([...atReview.values()].map((n) => n + 1));
    expect(openingEvents(await getProject(p.id))).toHaveLength(1);
  });

  it('dying between its write and the queueing, is announced by the next sweep, once and without a write', async () => {
    // Prepare
    const p = await underReview();
    crashAfter = `PROJECT#${p.id}`;
    const crashed = await review(p.id);
    const between = (await getProject(p.id))!;
    const queuedBetween = openingsQueued(p.id);

    // Act
    store.setNow(NEXT_MORNING);
    writesSeen = [];
    await runReminderSweep();
    const afterFirst = openingsQueued(p.id);
    const sweepWrites = writesSeen.filter((pk) => pk === `PROJECT#${p.id}`);
    store.setNow(MORNING_AFTER);
    await runReminderSweep();
    const afterSecond = openingsQueued(p.id);

    // Assess
    expect(crashed.status).toBe(500);
    expect(between.status).toBe('IN_PUBLICITY');
    expect(openingEvents(between)).toHaveLength(1);
    expect(queuedBetween.size).toBe(0);
    expect(addressesOf(afterFirst)).toEqual(DUTY.sort());
    expect(sweepWrites).toEqual([]);
    expect(afterSecond).toEqual(afterFirst);
    const after = await getProject(p.id);
    expect(after?.version).toBe(between.version);
    expect(openingEvents(after)).toHaveLength(1);
  });

  it('opened before its write recorded openings (no key), is announced and recorded by the sweep as before', async () => {
    // Prepare
    const p = await aProject({
      status: 'IN_PUBLICITY',
      publicityRound: 1,
      deadlines: { publicityEndsAt: '2025-09-27T23:59:59+08:00' },
    });

    // Act
    store.setNow(NEXT_MORNING);
    await runReminderSweep();
    const afterFirst = openingsQueued(p.id);
    store.setNow(MORNING_AFTER);
    await runReminderSweep();
    const afterSecond = openingsQueued(p.id);

    // Assess
    expect(addressesOf(afterFirst)).toEqual(DUTY.sort());
    expect(afterSecond).toEqual(afterFirst);
    const after = await getProject(p.id);
    expect(after?.version).toBe(p.version + 1);
    expect(openingEvents(after)).toHaveLength(1);
  });
});

describe('a sweep over more due projects than one page holds', () => {
  it('announces and records every one of them once, page after page', async () => {
    // Prepare
    const projects = [];
    for (let i = 0; i < 5; i++)
      projects.push(
        await aProject({
          status: 'IN_PUBLICITY',
          publicityRound: 1,
          deadlines: { publicityEndsAt: '2025-09-27T23:59:59+08:00' },
        }),
      );

    // Act
    store.setNow(NEXT_MORNING);
    const result = await runReminderSweep({ pageSize: 2 });

    // Assess
    expect(result.projects).toBeGreaterThanOrEqual(projects.length);
    for (const p of projects) {
      expect(addressesOf(openingsQueued(p.id))).toEqual(DUTY.sort());
      const after = await getProject(p.id);
      expect(after?.version).toBe(p.version + 1);
      expect(openingEvents(after)).toHaveLength(1);
    }
  });
});

describe('the last acceptance, which opens the completion publicity', () => {
  it('dying between its record and its payment, is paid and announced by the next sweep, once', async () => {
    // Prepare
    const p = await aProject({
      status: 'AWAITING_APPROVAL',
      deadlines: { approvalDueAt: '2025-09-26T23:59:59+08:00' },
    });
    expect((await approve(p.id)).status).toBe(200);
    expect((await accept(p.id, 1)).status).toBe(200);
    expect((await accept(p.id, 2)).status).toBe(200);
    crashAfter = `PROJECT#${p.id}`;
    const crashed = await accept(p.id, 3);
    const between = (await getProject(p.id))!;
    const queuedBetween = openingsQueued(p.id);

    // Act: the next morning, long after the crashed command's lease
    vi.spyOn(Date, 'now').mockReturnValue(Date.parse(between.pendingOp!.leaseUntil) + OPERATION_LEASE_MS);
    store.setNow(NEXT_MORNING);
    await runReminderSweep();
    const afterSweep = openingsQueued(p.id);

    // Assess
    expect(crashed.status).toBe(500);
    expect(between.status).toBe('COMPLETION_PUBLICITY');
    expect(queuedBetween.size).toBe(0);
    const ledger = await getAllocation(2025, STREET, COMMUNITY);
    expect(ledger?.payments[paymentKey(p.id, 3)]).toBe(20_000);
    expect(addressesOf(afterSweep)).toEqual(DUTY.sort());
    expect([...afterSweep.keys()].every((k) => k.includes('#COMPLETION_PUBLICITY#'))).toBe(true);
    const after = await getProject(p.id);
    expect(after?.version).toBe(between.version);
    expect(openingEvents(after)).toHaveLength(1);
  });
});

describe("the daily sweep's check of done record-first intents", () => {
  /** Two projects of one fund whose last acceptances were recorded and paid, and the sweep's next morning. */
  const twoDone = async (): Promise<Project[]> => {
    const done: Project[] = [];
    for (let i = 0; i < 2; i++) {
      const p = await aProject({
        status: 'AWAITING_APPROVAL',
        deadlines: { approvalDueAt: '2025-09-26T23:59:59+08:00' },
      });
      expect((await approve(p.id)).status).toBe(200);
      for (const t of [1, 2, 3]) expect((await accept(p.id, t)).status).toBe(200);
      done.push((await getProject(p.id))!);
    }
    vi.spyOn(Date, 'now').mockReturnValue(Date.parse(done[1]!.pendingOp!.leaseUntil) + OPERATION_LEASE_MS);
    store.setNow(NEXT_MORNING);
    return done;
  };

  it('proves them done from its own read of the projects and one read of their fund, reading no project again', async () => {
    // Prepare: a sweep in a process that did not make the payments
    const done = await twoDone();
    forgetIntentsSeenDone();
    getsSeen = [];
    writesSeen = [];

    // Act
    await runReminderSweep();

    // Assess
    expect(done.map((p) => p.pendingOp?.finish)).toEqual([undefined, undefined]);
    expect(getsSeen.filter((pk) => done.some((p) => pk === `PROJECT#${p.id}`))).toEqual([]);
    expect(getsSeen.filter((pk) => pk.startsWith('ALLOC#'))).toHaveLength(1);
    expect(writesSeen.filter((pk) => pk.startsWith('ALLOC#'))).toEqual([]);
    for (const p of done) expect((await getProject(p.id))?.version).toBe(p.version);
  });

  it('reads neither the projects again nor their fund when this process made the payments', async () => {
    // Prepare
    const done = await twoDone();
    getsSeen = [];
    writesSeen = [];

    // Act
    await runReminderSweep();

    // Assess
    expect(getsSeen.filter((pk) => done.some((p) => pk === `PROJECT#${p.id}`))).toEqual([]);
    expect(getsSeen.filter((pk) => pk.startsWith('ALLOC#'))).toEqual([]);
    expect(writesSeen.filter((pk) => pk.startsWith('ALLOC#'))).toEqual([]);
    for (const p of done) expect((await getProject(p.id))?.version).toBe(p.version);
  });

  it('two mornings after, reads them whole only in a process that did not see them done', async () => {
    // Prepare: their openings are no longer resent, no reminder of the window is due yet
    const done = await twoDone();
    store.setNow(MORNING_AFTER);
    const readWhole = async () => {
      batchSeen = [];
      await runReminderSweep();
      return done.filter((p) => batchSeen!.includes(`PROJECT#${p.id}`)).length;
    };

    // Act
    const sawThem = await readWhole();
    forgetIntentsSeenDone();
    const didNot = await readWhole();

    // Assess
    expect(sawThem).toBe(0);
    expect(didNot).toBe(2);
  });
});

describe('an acceptance after one whose record carried its payment', () => {
  // The reads counted here are the command's own: the tests' check of each copy against the store is off.
  beforeEach(() => vi.stubEnv('STORE_CHECK_DERIVED', '0'));
  afterEach(() => vi.unstubAllEnvs());

  /** A project whose first tranche was accepted and paid: its item still carries that intent. */
  const paidOnce = async (): Promise<Project> => {
    const p = await aProject({
      status: 'AWAITING_APPROVAL',
      deadlines: { approvalDueAt: '2025-09-26T23:59:59+08:00' },
    });
    expect((await approve(p.id)).status).toBe(200);
    // As the workflow does once the project is in progress: the acceptances wait for this token.
    expect(await parkToken(p.id, 'IN_PROGRESS', `token-${p.id}`)).toBe(true);
    expect((await accept(p.id, 1)).status).toBe(200);
    return (await getProject(p.id))!;
  };

  it('decides on the copy of the process that paid, reading only the fund, and removes the intent', async () => {
    // Prepare
    const p = await paidOnce();
    getsSeen = [];

    // Act
    const second = await accept(p.id, 2);

    // Assess
    expect(p.pendingOp?.finish).toBeUndefined();
    expect(second.status).toBe(200);
    expect(getsSeen.filter((pk) => pk === `PROJECT#${p.id}`)).toEqual([]);
    expect(getsSeen.filter((pk) => pk.startsWith('ALLOC#'))).toHaveLength(1);
    const ledger = await getAllocation(2025, STREET, COMMUNITY);
    expect(ledger?.payments[paymentKey(p.id, 2)]).toBe(p.tranches.find((t) => t.n === 2)?.amountFen);
    const after = await getProject(p.id);
    expect(after?.version).toBe(p.version + 1);
    expect(after?.pendingOp?.id).toBeDefined();
    expect(after?.pendingOp?.id).not.toBe(p.pendingOp?.id);
  });

  it('reads the project and proves the payment from the fund in a process that did not make it', async () => {
    // Prepare
    const p = await paidOnce();
    forgetIntentsSeenDone();
    getsSeen = [];

    // Act
    const second = await accept(p.id, 2);

    // Assess
    expect(second.status).toBe(200);
    expect(getsSeen.filter((pk) => pk === `PROJECT#${p.id}`)).toHaveLength(1);
    expect(getsSeen.filter((pk) => pk.startsWith('ALLOC#'))).toHaveLength(2);
    const ledger = await getAllocation(2025, STREET, COMMUNITY);
    expect(ledger?.payments[paymentKey(p.id, 2)]).toBe(p.tranches.find((t) => t.n === 2)?.amountFen);
    expect((await getProject(p.id))?.version).toBe(p.version + 1);
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { embeddedStore, seedDemoDistrict, wrapSends } from '../support/embeddedStore.ts';
import { createProject, getProject, listOpenProjects, listPendingOperations } from '../../functions/store/projects.ts';
import { dueAtFor } from '../../functions/domain/lifecycle.ts';
import { runReminderSweep } from '../../functions/jobs/reminderSweep.ts';
import { getAllocation, setAllocation } from '../../functions/store/allocations.ts';
import { getChangeRequest } from '../../functions/store/changeRequests.ts';
import { registerUndertaker } from '../../functions/store/undertakers.ts';
import { ledgerViolations, paidForProject } from '../../functions/domain/ledger.ts';
import { OPERATION_LEASE_MS, stepsInLedger } from '../../functions/domain/pendingOp.ts';
import type { Project } from '../../functions/domain/project.ts';
import { resumePendingOperations } from '../../functions/executor/operations.ts';
import { handler } from '../../functions/api/workflowActions.ts';
import { passedDeliberations, storedProject } from '../support/storedProject.ts';

/*
 * Every command that writes more than one item, interrupted right after one of its
 * writes (the store acknowledges the write, then the process "dies": the handler throws
 * and nothing after that write runs). Then the recovery path runs, as a local restart or
 * the next command would, and the ledger must reconcile, the project be consistent, and
 * nothing be paid, reserved or decided twice.
 */
const COMMUNITY = 'gd-gdjd-xh';
/** A neighbour whose allocation one test drains. */
const SIBLING = 'gd-gdjd-ld';
const STREET = 'gd-gdjd';
const ALLOCATION_FEN = 5_000_000;

let store: Awaited<ReturnType<typeof embeddedStore>>;

/** The simulated crash: thrown right after the store applied the chosen write. */
class Crash extends Error {}
let crashAfter: { pk: string; left: number } | undefined;
/** The keys of the writes made while it is set (one test counts what a command writes). */
let writesSeen: string[] | undefined;
/** The keys of the single-item reads made while it is set. */
let readsSeen: string[] | undefined;

beforeAll(async () => {
  process.env.POLICY_PROFILE = 'guandu';
  store = await embeddedStore('2025-04-01T01:00:00Z');
  await seedDemoDistrict();
  await setAllocation(
    {
      year: 2025,
      communityId: COMMUNITY,
      streetId: STREET,
      amountFen: ALLOCATION_FEN,
      sources: [{ funder: '区财政', amountFen: ALLOCATION_FEN }],
    },
    new Date(),
  );
  // The fault hook lives only here: it wraps the test's own store client.
  wrapSends(async (command, send) => {
    const out = await send(command);
    const input = (command as { input?: { Key?: { pk?: string }; Item?: { pk?: string } } }).input;
    const pk = input?.Key?.pk ?? input?.Item?.pk ?? '';
    const isWrite = command.constructor.name === 'UpdateCommand' || command.constructor.name === 'PutCommand';
    if (isWrite) writesSeen?.push(pk);
    if (command.constructor.name === 'GetCommand') readsSeen?.push(pk);
    if (crashAfter && isWrite && pk.startsWith(crashAfter.pk) && --crashAfter.left === 0) {
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
  readsSeen = undefined;
  vi.restoreAllMocks();
});

/** Arms the crash after the nth write (1 = the next one) to an item whose pk starts so. */
const killAfterWrite = (pk: string, nth = 1) => (crashAfter = { pk, left: nth });

let n = 0;
const aProject = async (over: Partial<Project> = {}): Promise<Project> => {
  const id = `CRASH${String(++n).padStart(3, '0')}`;
  const p = storedProject(
    id,
    { communityId: COMMUNITY, streetId: STREET },
    {
      amountFen: 1_000_000,
      status: 'AWAITING_APPROVAL',
      createdAt: `2025-03-01T00:00:${String(n).padStart(2, '0')}.000Z`,
      updatedAt: '2025-03-01T00:00:00.000Z',
      deadlines: { approvalDueAt: '2025-04-08T15:59:59Z' },
      deliberations: passedDeliberations('2025-02-20'),
      ...over,
    },
  );
  await createProject(p);
  return p;
};

const who = {
  street: { sub: 'street-1', role: 'street', orgUnitId: STREET },
  district: { sub: 'district-1', role: 'district', orgUnitId: 'gd' },
  community: { sub: 'community-1', role: 'community', orgUnitId: COMMUNITY },
};

/** Calls the API handler as API Gateway would, with an already verified caller. */
const call = async (
  routeKey: string,
  path: string,
  params: Record<string, string>,
  body: unknown,
  caller: Record<string, string>,
) => {
  const event = {
    routeKey,
    rawPath: path,
    headers: { 'content-type': 'application/json' },
    pathParameters: params,
    body: JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: {
      http: { method: routeKey.split(' ')[0], sourceIp: '127.0.0.1' },
      authorizer: { jwt: { claims: caller } },
    },
  } as unknown as APIGatewayProxyEventV2;
  const res = (await handler(event, {} as Context)) as APIGatewayProxyStructuredResultV2;
  return { status: res.statusCode!, body: res.body ? JSON.parse(res.body) : undefined };
};
const approve = (id: string) =>
  call(
    'POST /v1/projects/{id}/approval',
    `/v1/projects/${id}/approval`,
    { id },
    { decision: 'approve', comment: '同意' },
    who.street,
  );
const accept = (id: string, t: number) =>
  call(
    'POST /v1/projects/{id}/tranches/{n}/acceptance',
    `/v1/projects/${id}/tranches/${t}/acceptance`,
    { id, n: String(t) },
    { passed: true, comment: '验收合格' },
    who.street,
  );
const askChange = (id: string, amountFen: number) =>
  call(
    'POST /v1/projects/{id}/change-requests',
    `/v1/projects/${id}/change-requests`,
    { id },
    { amountFen, reason: '调整' },
    who.community,
  );
const decide = (crId: string) =>
  call(
    'POST /v1/change-requests/{id}/decision',
    `/v1/change-requests/${crId}/decision`,
    { id: crId },
    { approve: true, comment: '同意' },
    who.district,
  );

/** The lease of a crashed command has run out (a later request, or the daily sweep). */
const leaseRunsOut = () => {
  const later = Date.now() + OPERATION_LEASE_MS + 1000;
  vi.spyOn(Date, 'now').mockReturnValue(later);
};

/** Every rule of the allocation, and that each project's own record agrees with the ledger. */
const expectReconciled = async (...projectIds: string[]) => {
  const first = await getProject(projectIds[0]);
  const a = (await getAllocation(2025, STREET, first?.communityId ?? COMMUNITY))!;
  const state = {
    amountFen: a.amountFen,
    reservedFen: a.reservedFen,
    paidFen: a.paidFen,
    reservations: a.reservations,
    payments: a.payments,
  };
  expect(ledgerViolations(state)).toEqual([]);
  expect(a.amountFen).toBe(a.availableFen + a.reservedFen);
  for (const id of projectIds) {
    const p = (await getProject(id))!;
    // Nothing is left unfinished: no intent, or a record-first one whose steps the ledger holds.
    if (p.pendingOp) expect(p.pendingOp.finish === undefined && stepsInLedger(p.pendingOp, id, state)).toBe(true);
    const paidByProject = (p.tranches ?? []).reduce((s, t) => s + (t.acceptedAt ? t.paidFen : 0), 0);
    expect(paidForProject(state, id)).toBe(paidByProject);
    if (['APPROVED', 'IN_PROGRESS', 'COMPLETION_PUBLICITY'].includes(p.status))
      expect(a.reservations[id]).toBe(p.amountFen);
    else expect(a.reservations[id] ?? 0).toBe(paidByProject);
  }
  return a;
};
const count = (p: Project | undefined, action: string) => (p?.history ?? []).filter((e) => e.action === action).length;

describe('approval interrupted between the reservation and the project', () => {
  it('is completed by the recovery pass: approved once, reserved once', async () => {
    // Prepare
    const p = await aProject();
    const before = (await getAllocation(2025, STREET, COMMUNITY))!;
    killAfterWrite('ALLOC#');

    // Act
    const crashed = await approve(p.id);
    const between = await getProject(p.id);
    const recovery = await resumePendingOperations({ all: true, wake: false });
    const retried = await approve(p.id);

    // Assess
    expect(crashed.status).toBe(500);
    expect(between?.status).toBe('AWAITING_APPROVAL');
    expect(recovery).toMatchObject({ completed: 1, undone: 0, failed: 0 });
    expect(retried.status).toBe(409);
    const after = await getProject(p.id);
    expect(after?.status).toBe('IN_PROGRESS');
    expect(after?.tranches.map((t) => t.amountFen)).toEqual([500_000, 300_000, 200_000]);
    expect(count(after, 'approved')).toBe(1);
    const a = await expectReconciled(p.id);
    expect(a.reservedFen - before.reservedFen).toBe(1_000_000);
  });

  it('is undone when the money is gone by the time it is completed, and leaves nothing reserved', async () => {
    // Prepare: the intent is written, then the process dies before the reservation
    await setAllocation(
      {
        year: 2025,
        communityId: SIBLING,
        streetId: STREET,
        amountFen: 2_000_000,
        sources: [{ funder: '区财政', amountFen: 2_000_000 }],
      },
      new Date(),
    );
    const p = await aProject({ amountFen: 1_500_000, communityId: SIBLING });
    killAfterWrite(`PROJECT#${p.id}`);
    const crashed = await approve(p.id);
    const rival = await aProject({ amountFen: 2_000_000, communityId: SIBLING });
    const rivalApproved = await approve(rival.id);

    // Act
    const recovery = await resumePendingOperations({ all: true, wake: false });

    // Assess
    expect(crashed.status).toBe(500);
    expect(rivalApproved.status).toBe(200);
    expect(recovery).toMatchObject({ undone: 1 });
    const after = await getProject(p.id);
    expect(after?.status).toBe('AWAITING_APPROVAL');
    expect(count(after, 'approved')).toBe(0);
    const a = await expectReconciled(p.id, rival.id);
    expect(a.reservations[p.id]).toBeUndefined();
    expect(a.availableFen).toBe(0);
  });
});

describe('acceptance interrupted between its record and its payment', () => {
  // A passed acceptance writes the project (with its intent) first, then the payment.
  it('is one write of the project and one of the ledger when nothing interrupts it', async () => {
    // Prepare
    const p = await aProject({ amountFen: 100_000 });
    expect((await approve(p.id)).status).toBe(200);
    expect((await accept(p.id, 1)).status).toBe(200);
    writesSeen = [];

    // Act: the second tranche, over the first one's intent left done on the project
    const accepted = await accept(p.id, 2);

    // Assess
    expect(accepted.status).toBe(200);
    expect(writesSeen.map((pk) => pk.split('#')[0]).sort()).toEqual(['ALLOC', 'PROJECT']);
    const after = await getProject(p.id);
    expect(after?.pendingOp?.id).toContain('pay:2');
    await expectReconciled(p.id);
  });

  it("reads the fund's ledger once, for what to pay, when this process saw the last payment done", async () => {
    // Prepare
    const p = await aProject({ amountFen: 100_000 });
    expect((await approve(p.id)).status).toBe(200);
    expect((await accept(p.id, 1)).status).toBe(200);
    readsSeen = [];

    // Act: the first tranche's intent is still on the project, done
    const accepted = await accept(p.id, 2);

    // Assess
    expect(accepted.status).toBe(200);
    expect(readsSeen.filter((pk) => pk.startsWith('ALLOC#'))).toHaveLength(1);
    await expectReconciled(p.id);
  });

  it('is completed by the next command on the project once its lease ran out: paid once, recorded once', async () => {
    // Prepare
    const p = await aProject({ amountFen: 100_000 });
    expect((await approve(p.id)).status).toBe(200);
    const before = (await getAllocation(2025, STREET, COMMUNITY))!;
    killAfterWrite(`PROJECT#${p.id}`);
    const crashed = await accept(p.id, 1);
    const between = await getProject(p.id);
    const ledgerBetween = (await getAllocation(2025, STREET, COMMUNITY))!;

    // Act: the street, told it failed, accepts the stage again
    leaseRunsOut();
    const retried = await accept(p.id, 1);
    const next = await accept(p.id, 2);

    // Assess
    expect(crashed.status).toBe(500);
    expect(between?.tranches[0].acceptedAt).toBeDefined();
    expect(between?.pendingOp?.steps).toEqual([{ kind: 'pay', n: 1, fen: 50_000 }]);
    expect(ledgerBetween.paidFen).toBe(before.paidFen);
    expect(retried.status).toBe(409);
    expect(retried.body.nextTranche).toBe(2);
    expect(next.status).toBe(200);
    const after = await getProject(p.id);
    expect(after?.tranches.map((t) => t.paidFen)).toEqual([50_000, 30_000, 0]);
    expect(count(after, 'acceptance_passed')).toBe(2);
    const a = await expectReconciled(p.id);
    expect(a.paidFen - before.paidFen).toBe(80_000);
  });

  it('holds the project while its payment may still be under way, and changes nothing then', async () => {
    // Prepare
    const p = await aProject({ amountFen: 100_000 });
    expect((await approve(p.id)).status).toBe(200);
    killAfterWrite(`PROJECT#${p.id}`);
    expect((await accept(p.id, 1)).status).toBe(500);
    const between = (await getProject(p.id))!;

    // Act: within the lease of the crashed command
    const next = await accept(p.id, 2);

    // Assess
    expect(next.status).toBe(409);
    const after = await getProject(p.id);
    expect(after?.version).toBe(between.version);
    expect(after?.tranches.map((t) => t.paidFen)).toEqual([50_000, 0, 0]);
  });

  it('is completed by the recovery pass: paid once, and the project needs no further write', async () => {
    // Prepare: what earlier tests left unfinished is settled first, so that the pass below sees only this one
    await resumePendingOperations({ all: true, wake: false });
    const p = await aProject({ amountFen: 100_000 });
    expect((await approve(p.id)).status).toBe(200);
    const before = (await getAllocation(2025, STREET, COMMUNITY))!;
    killAfterWrite(`PROJECT#${p.id}`);
    expect((await accept(p.id, 1)).status).toBe(500);
    const between = (await getProject(p.id))!;

    // Act
    const recovery = await resumePendingOperations({ all: true, wake: false });
    const again = await resumePendingOperations({ all: true, wake: false });

    // Assess
    expect(recovery).toMatchObject({ completed: 1, undone: 0, failed: 0 });
    expect(again).toMatchObject({ completed: 0, undone: 0, failed: 0 });
    expect(again.resting).toBeGreaterThanOrEqual(1);
    const after = await getProject(p.id);
    expect(after?.version).toBe(between.version);
    expect(count(after, 'acceptance_passed')).toBe(1);
    const a = await expectReconciled(p.id);
    expect(a.paidFen - before.paidFen).toBe(50_000);
  });

  it('is completed by the daily sweep in the days after its lease, and listed by its deadline as well', async () => {
    // Prepare
    const p = await aProject({ amountFen: 100_000 });
    expect((await approve(p.id)).status).toBe(200);
    const before = (await getAllocation(2025, STREET, COMMUNITY))!;
    killAfterWrite(`PROJECT#${p.id}`);
    expect((await accept(p.id, 1)).status).toBe(500);
    const between = (await getProject(p.id))!;
    const entry = (await listOpenProjects()).find((e) => e.id === p.id);
    const pending = await listPendingOperations();

    // Act: a day after the lease ran out
    vi.spyOn(Date, 'now').mockReturnValue(Date.parse(between.pendingOp!.leaseUntil) + 86_400_000);
    await runReminderSweep();

    // Assess
    expect(entry?.recorded).toEqual({
      startedAt: between.pendingOp!.startedAt,
      dueAt: dueAtFor(between.status, between.deadlines),
      reminders: { offsets: [] },
      opId: between.pendingOp!.id,
    });
    expect(pending.map((e) => e.id)).toContain(p.id);
    const a = await expectReconciled(p.id);
    expect(a.paidFen - before.paidFen).toBe(50_000);
  });

  it('interrupted after the payment, leaves nothing to do: the retry pays nothing more', async () => {
    // Prepare
    const p = await aProject({ amountFen: 100_000 });
    expect((await approve(p.id)).status).toBe(200);
    const before = (await getAllocation(2025, STREET, COMMUNITY))!;
    killAfterWrite('ALLOC#');
    const crashed = await accept(p.id, 1);

    // Act: at once, within the lease of the crashed command
    const retried = await accept(p.id, 1);
    const next = await accept(p.id, 2);

    // Assess
    expect(crashed.status).toBe(500);
    expect(retried.status).toBe(409);
    expect(retried.body.nextTranche).toBe(2);
    expect(next.status).toBe(200);
    const after = await getProject(p.id);
    expect(after?.pendingOp?.id).toContain('pay:2');
    expect(count(after, 'acceptance_passed')).toBe(2);
    const a = await expectReconciled(p.id);
    expect(a.paidFen - before.paidFen).toBe(80_000);
  });
});

describe('change-request decision interrupted between its writes', () => {
  for (const [what, pk, nth] of [
    ['after the request was claimed', 'CHANGE#', 1],
    ['after the reservation moved', 'ALLOC#', 1],
  ] as const) {
    it(`is completed by the recovery pass ${what}: decided once, the money moved once`, async () => {
      // Prepare
      const p = await aProject({ amountFen: 200_000 });
      expect((await approve(p.id)).status).toBe(200);
      expect((await accept(p.id, 1)).status).toBe(200);
      const asked = await askChange(p.id, 300_000);
      expect(asked.status).toBe(201);
      const before = (await getAllocation(2025, STREET, COMMUNITY))!;
      killAfterWrite(pk, nth);

      // Act
      const crashed = await decide(asked.body.id);
      const recovery = await resumePendingOperations({ all: true, wake: false });
      const again = await decide(asked.body.id);

      // Assess
      expect(crashed.status).toBe(500);
      expect(recovery).toMatchObject({ completed: 1 });
      expect(again.status).toBe(409);
      expect((await getChangeRequest(asked.body.id))?.status).toBe('APPROVED');
      const after = await getProject(p.id);
      expect(after?.amountFen).toBe(300_000);
      expect(after?.tranches.map((t) => t.amountFen)).toEqual([100_000, 120_000, 80_000]);
      expect(count(after, 'change_decided')).toBe(1);
      const a = await expectReconciled(p.id);
      expect(a.reservedFen - before.reservedFen).toBe(100_000);
    });
  }

  it('stores a change request whose asking was recorded just before a crash', async () => {
    // Prepare
    const p = await aProject({ amountFen: 200_000 });
    expect((await approve(p.id)).status).toBe(200);
    killAfterWrite(`PROJECT#${p.id}`);
    const crashed = await askChange(p.id, 150_000);

    // Act
    await resumePendingOperations({ all: true, wake: false });
    const asked = (await getProject(p.id))!.history.find((e) => e.action === 'change_requested');
    const decided = await decide(String(asked?.details?.changeRequestId));

    // Assess
    expect(crashed.status).toBe(500);
    expect(decided.status).toBe(200);
    expect((await getProject(p.id))?.amountFen).toBe(150_000);
    await expectReconciled(p.id);
  });
});

describe('contract interrupted between the released money and the project', () => {
  it('is completed by the recovery pass with tranches from the contract', async () => {
    // Prepare
    const p = await aProject({ amountFen: 1_000_000, delivery: 'social_org' });
    expect((await approve(p.id)).status).toBe(200);
    const u = await registerUndertaker({
      id: 'U-CRASH',
      name: '阳光社工服务中心',
      kind: 'social_org',
      creditCode: '52440000MJL000091X',
      registeredAt: '2025-01-01T00:00:00Z',
      registeredBy: who.district,
      disqualifications: {},
    });
    expect(u.ok).toBe(true);
    const before = (await getAllocation(2025, STREET, COMMUNITY))!;
    killAfterWrite('ALLOC#');

    // Act
    const crashed = await call(
      'POST /v1/projects/{id}/contract',
      `/v1/projects/${p.id}/contract`,
      { id: p.id },
      { undertakerId: 'U-CRASH', signedOn: '2025-04-02', amountFen: 1 },
      who.community,
    );
    const recovery = await resumePendingOperations({ all: true, wake: false });

    // Assess
    expect(crashed.status).toBe(500);
    expect(recovery).toMatchObject({ completed: 1 });
    const after = await getProject(p.id);
    expect(after).toMatchObject({ status: 'IN_PROGRESS', amountFen: 1 });
    expect(after?.tranches.map((t) => t.amountFen)).toEqual([0, 0, 1]);
    const a = await expectReconciled(p.id);
    expect(before.reservedFen - a.reservedFen).toBe(999_999);
  });
});

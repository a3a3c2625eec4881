import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedStore, seedDemoDistrict, wrapSends } from '../support/embeddedStore.ts';
import { createProject, getProject } from '../../functions/store/projects.ts';
import { getAllocation, pay, reserve, setAllocation } from '../../functions/store/allocations.ts';
import { ledgerViolations } from '../../functions/domain/ledger.ts';
import { SYSTEM, type Project } from '../../functions/domain/project.ts';
import { resumePendingOperations } from '../../functions/executor/operations.ts';
import { runYearEnd } from '../../functions/executor/yearEnd.ts';

/*
 * The year-end check (Liuzhou: an unfinished project fails) interrupted between failing
 * a project and giving its unpaid money back: the recovery pass releases it, once.
 */
const COMMUNITY = 'gd-gdjd-xh';
const STREET = 'gd-gdjd';
const FUND = { year: 2025, streetId: STREET, communityId: COMMUNITY };
let store: Awaited<ReturnType<typeof embeddedStore>>;
let crashArmed = false;

beforeAll(async () => {
  process.env.POLICY_PROFILE = 'liuzhou';
  store = await embeddedStore('2025-12-31T02:00:00Z');
  await seedDemoDistrict();
  // Test-only fault hook: the process dies right after the first write to a project.
  wrapSends(async (command, send) => {
    const out = await send(command);
    const pk = (command as { input?: { Key?: { pk?: string } } }).input?.Key?.pk ?? '';
    if (crashArmed && command.constructor.name === 'UpdateCommand' && pk.startsWith('PROJECT#')) {
      crashArmed = false;
      throw new Error('killed after failing the project');
    }
    return out;
  });
});
afterAll(async () => store?.stop());

const unfinished = (): Project => ({
  id: 'YE001',
  communityId: COMMUNITY,
  streetId: STREET,
  year: 2025,
  title: '健身器材更新',
  category: 'public_construction',
  type: 'goods',
  amountFen: 1_000_000,
  cofunding: [],
  delivery: 'self',
  measures: '更换器材',
  plannedEnd: '2025-12-15',
  needIds: [],
  status: 'IN_PROGRESS',
  version: 3,
  createdAt: '2025-03-01T00:00:00.000Z',
  updatedAt: '2025-03-01T00:00:00.000Z',
  createdBy: { sub: 'c1', role: 'community' },
  deadlines: { completionDueAt: '2025-12-31T15:59:59Z' },
  deliberations: {},
  tranches: [
    { n: 1, amountFen: 500_000, paidFen: 500_000, acceptedAt: '2025-05-01T00:00:00Z', attempts: [] },
    { n: 2, amountFen: 300_000, paidFen: 0, attempts: [] },
    { n: 3, amountFen: 200_000, paidFen: 0, attempts: [] },
  ],
  progress: [],
  history: [],
});

describe('year-end check interrupted between failing a project and releasing its money', () => {
  it('is completed by the recovery pass: the unpaid 500,000 fen released once, the paid part kept', async () => {
    // Prepare
    const now = new Date('2025-12-31T02:00:00Z');
    await setAllocation(
      {
        year: 2025,
        communityId: COMMUNITY,
        streetId: STREET,
        amountFen: 3_000_000,
        sources: [{ funder: '区财政', amountFen: 3_000_000 }],
      },
      now,
    );
    const p = unfinished();
    await createProject(p);
    expect((await reserve(FUND, p.id, 1_000_000, now)).ok).toBe(true);
    expect(await pay(FUND, p.id, 1, 500_000, now)).toBe(true);
    crashArmed = true;

    // Act
    const crashed = await runYearEnd(2025, SYSTEM, now).then(
      () => 'finished',
      (e: Error) => e.message,
    );
    const between = (await getAllocation(2025, STREET, COMMUNITY))!;
    const recovery = await resumePendingOperations({ all: true, wake: false });
    const report = await runYearEnd(2025, SYSTEM, now);

    // Assess
    expect(crashed).toBe('killed after failing the project');
    expect(between.reservations[p.id]).toBe(1_000_000);
    expect(recovery).toMatchObject({ completed: 1 });
    const a = (await getAllocation(2025, STREET, COMMUNITY))!;
    expect(a.reservations[p.id]).toBe(500_000);
    expect(a).toMatchObject({ reservedFen: 500_000, paidFen: 500_000, availableFen: 2_500_000 });
    expect(ledgerViolations({ ...a })).toEqual([]);
    const after = await getProject(p.id);
    expect(after?.status).toBe('FAILED');
    expect(after?.pendingOp).toBeUndefined();
    expect(after?.history.filter((e) => e.action === 'failed_at_year_end')).toHaveLength(1);
    expect(report.failedProjects.map((f: { id: string }) => f.id)).toEqual([p.id]);
  });
});

describe('year-end check over more projects than one page holds', () => {
  it('fails every unfinished project of every page and reports what a one-page run reports', async () => {
    // Prepare
    const now = new Date('2025-12-31T02:00:00Z');
    const ids = ['YP001', 'YP002', 'YP003', 'YP004', 'YP005'];
    for (const [i, id] of ids.entries())
      await createProject({ ...unfinished(), id, status: i % 2 === 0 ? 'IN_PROGRESS' : 'CLOSED', tranches: [] });

    // Act
    const paged = await runYearEnd(2025, SYSTEM, now, { pageSize: 2 });
    const statuses = (await Promise.all(ids.map((id) => getProject(id)))).map((p) => p?.status);
    const onePage = await runYearEnd(2025, SYSTEM, now, { pageSize: 100 });

    // Assess
    expect(statuses).toEqual(['FAILED', 'CLOSED', 'FAILED', 'CLOSED', 'FAILED']);
    expect(paged.failedProjects.map((f: { id: string }) => f.id)).toEqual(
      expect.arrayContaining(['YP001', 'YP003', 'YP005']),
    );
    const { ranAt: _a, ...pagedReport } = paged;
    const { ranAt: _b, ...onePageReport } = onePage;
    expect(pagedReport).toEqual(onePageReport);
  });
});

import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runtime } from '../../functions/runtime.ts';
import { embeddedStore } from '../support/embeddedStore.ts';
import {
  changeProject,
  createProject,
  getProject,
  listCommunityProjects,
  listOpenProjects,
  parkToken,
} from '../../functions/store/projects.ts';
import type { Project } from '../../functions/domain/project.ts';
import { park } from '../../functions/tasks/lifecycleSteps.ts';

let store: Awaited<ReturnType<typeof embeddedStore>>;
beforeAll(async () => {
  store = await embeddedStore();
});
afterAll(async () => store?.stop());

const now = new Date('2025-09-23T02:00:00Z');
let n = 0;
const project = (over: Partial<Project> = {}): Project => ({
  id: `P${String(++n).padStart(4, '0')}`,
  communityId: 'c1',
  streetId: 's1',
  year: 2025,
  title: '路灯',
  category: 'property_service',
  type: 'works',
  amountFen: 100,
  cofunding: [],
  delivery: 'self',
  measures: 'm',
  plannedEnd: '2025-12-01',
  needIds: [],
  status: 'DRAFT',
  version: 1,
  createdAt: `2025-09-23T02:00:${String(n).padStart(2, '0')}.000Z`,
  updatedAt: now.toISOString(),
  createdBy: { sub: 'u', role: 'community' },
  deadlines: {},
  deliberations: {},
  tranches: [],
  progress: [],
  history: [],
  ...over,
});
const ev = (action: string) => ({
  at: now.toISOString(),
  actor: { sub: 'u', role: 'community' },
  action,
  fromStatus: null,
  toStatus: null,
});

describe('project store on the embedded DynamoDB', () => {
  it('refuses to create the same project twice', async () => {
    const p = project();
    await createProject(p);
    await expect(createProject(p)).rejects.toThrow();
  });

  it('applies a transition and its event in one conditional write, or neither', async () => {
    // Prepare
    const p = project();
    await createProject(p);

    // Act
    const moved = await changeProject(p.id, { from: ['DRAFT'], to: 'UNDER_REVIEW', events: [ev('submitted')] }, now);
    const refused = await changeProject(p.id, { from: ['DRAFT'], to: 'WITHDRAWN', events: [ev('withdrawn')] }, now);
    const stored = await getProject(p.id);

    // Assess
    expect(moved?.status).toBe('UNDER_REVIEW');
    expect(moved?.version).toBe(2);
    expect(refused).toBeUndefined();
    expect(stored?.status).toBe('UNDER_REVIEW');
    expect(stored?.history.map((e) => e.action)).toEqual(['submitted']);
  });

  it('refuses a stale version (optimistic locking)', async () => {
    const p = project();
    await createProject(p);
    await changeProject(p.id, { from: ['DRAFT'], set: { title: 'a' }, events: [] }, now);
    const stale = await changeProject(
      p.id,
      { from: ['DRAFT'], set: { title: 'b' }, expectedVersion: 1, events: [] },
      now,
    );
    expect(stale).toBeUndefined();
    expect((await getProject(p.id))?.title).toBe('a');
  });

  it('adds a record at a path only once', async () => {
    // Prepare
    const p = project();
    await createProject(p);
    const add = (title: string) =>
      changeProject(
        p.id,
        {
          from: ['DRAFT'],
          set: { title, 'deliberations.d1': { id: 'd1' } },
          absentPaths: ['deliberations.d1'],
          events: [],
        },
        now,
      );

    // Act
    const first = await add('first');
    const second = await add('second');

    // Assess
    expect(first?.title).toBe('first');
    expect(second).toBeUndefined();
    expect((await getProject(p.id))?.title).toBe('first');
  });

  it('parks a token only while the project is in the awaited status, else hands the state back at once', async () => {
    const p = project({ status: 'UNDER_REVIEW', deadlines: { reviewDueAt: '2025-09-30T23:59:59+08:00' } });
    await createProject(p);
    expect(await parkToken(p.id, 'UNDER_REVIEW', 'tok-1')).toBe(true);
    expect(await parkToken(p.id, 'AWAITING_APPROVAL', 'tok-2')).toBe(false);

    await park({ projectId: p.id, status: 'AWAITING_APPROVAL', dueAt: null, escalations: 0, token: 'tok-3' });
    const signal = store.signals.find((s) => s.token === 'tok-3');
    expect(signal?.output.status).toBe('UNDER_REVIEW');
    expect((await getProject(p.id))?.taskToken).toBe('tok-1');
  });

  it('pages a community list without losing or repeating a project', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const p = project({ communityId: 'c-page' });
      ids.push(p.id);
      await createProject(p);
    }
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await listCommunityProjects('c-page', 2025, { limit: 3, nextToken: token });
      seen.push(...page.items.map((p) => p.id));
      token = page.nextToken;
    } while (token);
    expect(seen.sort()).toEqual(ids.sort());
  });

  it('keeps open projects in the deadline index and drops them when they end', async () => {
    const p = project({ status: 'AWAITING_APPROVAL', deadlines: { approvalDueAt: '2025-10-14T23:59:59+08:00' } });
    await createProject(p);
    const due = (await listOpenProjects('2025-10-14T23:59:59+08:00')).map((x) => x.id);
    const notYet = (await listOpenProjects('2025-10-13T23:59:59+08:00')).map((x) => x.id);
    await changeProject(p.id, { from: ['AWAITING_APPROVAL'], to: 'REJECTED', events: [ev('rejected')] }, now);
    const afterEnd = (await listOpenProjects()).map((x) => x.id);

    expect(due).toContain(p.id);
    expect(notYet).not.toContain(p.id);
    expect(afterEnd).not.toContain(p.id);
  });
});

describe('a project write over the version it was read at', () => {
  it('returns the stored project without the store sending it back, and the project read before is unchanged', async () => {
    // Prepare
    const p = project();
    await createProject(p);
    const read = (await getProject(p.id))!;
    const before = structuredClone(read);

    // Act
    const after = await changeProject(
      p.id,
      {
        from: ['DRAFT'],
        to: 'UNDER_REVIEW',
        set: { title: '新标题', 'deliberations.d1': { id: 'd1', minutes: undefined } },
        remove: ['measures'],
        increment: { amountFen: 5 },
        expectedVersion: read.version,
        events: [ev('submitted')],
      },
      now,
      read,
    );

    // Assess
    expect(after).toStrictEqual(await getProject(p.id));
    expect(after).toMatchObject({ status: 'UNDER_REVIEW', title: '新标题', amountFen: 105, version: 2 });
    expect(after?.history.map((e) => e.action)).toEqual(['submitted']);
    expect(read).toStrictEqual(before);
  });

  it('returns undefined and changes nothing when the project moved on since it was read', async () => {
    // Prepare
    const p = project();
    await createProject(p);
    const read = (await getProject(p.id))!;
    await changeProject(p.id, { from: ['DRAFT'], set: { title: '先改' }, expectedVersion: 1, events: [] }, now, read);

    // Act
    const after = await changeProject(
      p.id,
      { from: ['DRAFT'], set: { title: '后改' }, expectedVersion: 1, events: [] },
      now,
      read,
    );

    // Assess
    expect(after).toBeUndefined();
    expect((await getProject(p.id))?.title).toBe('先改');
  });

  it('returns the token a workflow step parked after the read (a park moves no version), so the write can wake it', async () => {
    // Prepare
    const p = project();
    await createProject(p);
    const read = (await getProject(p.id))!;
    await parkToken(p.id, 'DRAFT', 'token-parked-after-the-read');

    // Act
    const after = await changeProject(
      p.id,
      { from: ['DRAFT'], to: 'UNDER_REVIEW', expectedVersion: read.version, events: [ev('submitted')] },
      now,
      read,
    );

    // Assess
    expect(after?.taskToken).toBe('token-parked-after-the-read');
    expect(after).toStrictEqual(await getProject(p.id));
  });

  it('applies a change that names no version over an item that moved on since the read, and returns the item as stored', async () => {
    // Prepare
    const p = project();
    await createProject(p);
    const read = (await getProject(p.id))!;
    await changeProject(p.id, { from: ['DRAFT'], set: { remindersSent: { k1: now.toISOString() } }, events: [] }, now);

    // Act
    const after = await changeProject(
      p.id,
      { from: ['DRAFT'], to: 'UNDER_REVIEW', events: [ev('submitted')] },
      now,
      read,
    );

    // Assess
    expect(after).toMatchObject({ status: 'UNDER_REVIEW', remindersSent: { k1: now.toISOString() }, version: 3 });
    expect(after).toStrictEqual(await getProject(p.id));
  });
});

describe("a project's history as stored", () => {
  const rawItem = async (id: string) =>
    (
      await runtime().ddb.send(
        new GetCommand({ TableName: runtime().tableName, Key: { pk: `PROJECT#${id}`, sk: 'PROJECT' } }),
      )
    ).Item;

  it('keeps each event as one string, and reads the events back as they were written', async () => {
    // Prepare
    const created = { ...ev('created'), details: { note: '路灯', tranche: 1, skipped: undefined } };
    const p = project({ history: [created] });

    // Act
    await createProject(p);
    await changeProject(p.id, { from: ['DRAFT'], to: 'UNDER_REVIEW', events: [ev('submitted')] }, now);

    // Assess
    const raw = await rawItem(p.id);
    expect(raw?.history).toHaveLength(2);
    expect(raw?.history.every((e: unknown) => typeof e === 'string')).toBe(true);
    expect((await getProject(p.id))?.history).toEqual([
      { ...ev('created'), details: { note: '路灯', tranche: 1 } },
      ev('submitted'),
    ]);
  });

  it('reads an item written before, whose events are maps, and appends to it', async () => {
    // Prepare: an item as the store kept it before events were strings
    const p = project();
    const { history: _h, ...rest } = p;
    await runtime().ddb.send(
      new PutCommand({
        TableName: runtime().tableName,
        Item: { pk: `PROJECT#${p.id}`, sk: 'PROJECT', ...rest, history: [ev('created')] },
      }),
    );

    // Act
    const moved = await changeProject(
      p.id,
      { from: ['DRAFT'], to: 'UNDER_REVIEW', events: [ev('submitted')] },
      now,
      (await getProject(p.id))!,
    );

    // Assess
    expect(moved?.history).toEqual([ev('created'), ev('submitted')]);
    expect((await getProject(p.id))?.history).toEqual([ev('created'), ev('submitted')]);
    expect((await rawItem(p.id))?.history.map((e: unknown) => typeof e)).toEqual(['object', 'string']);
  });
});

import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedStore } from '../support/embeddedStore.ts';
import {
  OPEN_SHARDS,
  changeProject,
  createProject,
  getProjects,
  listCommunityProjects,
  listOpenProjects,
  listPendingOperations,
  listStreetProjects,
  openShard,
  reshardOpenProjects,
} from '../../functions/store/projects.ts';
import { contactsOf, putContact } from '../../functions/store/contacts.ts';
import { PROJECT_SUMMARY_FIELDS } from '../../functions/store/indexes.ts';
import { TABLE_NAME } from '../../infra/local/dynamo.ts';
import { runtime } from '../../functions/runtime.ts';
import type { Project } from '../../functions/domain/project.ts';

/*
 * What each index query returns now that the indexes carry only a projection: the lists
 * a summary, the deadline index an id and a status, the contacts their phone and email;
 * whole projects come from getProjects. And the open-deadline index spread over shards.
 */
let store: Awaited<ReturnType<typeof embeddedStore>>;
beforeAll(async () => {
  store = await embeddedStore();
});
afterAll(async () => store?.stop());

const now = new Date('2025-09-23T02:00:00Z');
let n = 0;
const project = (over: Partial<Project> = {}): Project => ({
  id: `L${String(++n).padStart(4, '0')}`,
  communityId: 'lc1',
  streetId: 'ls1',
  year: 2025,
  title: '路灯',
  category: 'property_service',
  type: 'works',
  amountFen: 100,
  cofunding: [{ source: '物业', amountFen: 50 }],
  delivery: 'self',
  measures: '更换路灯',
  plannedEnd: '2025-12-01',
  needIds: [],
  status: 'AWAITING_APPROVAL',
  version: 1,
  createdAt: `2025-09-23T02:00:00.${String(n).padStart(3, '0')}Z`,
  updatedAt: now.toISOString(),
  createdBy: { sub: 'u', role: 'community' },
  deadlines: { approvalDueAt: '2025-10-14T23:59:59+08:00' },
  deliberations: {},
  tranches: [],
  progress: [],
  history: [
    {
      at: now.toISOString(),
      actor: { sub: 'u', role: 'community' },
      action: 'created',
      fromStatus: null,
      toStatus: 'DRAFT',
    },
  ],
  ...over,
});

describe('lean index projections', () => {
  it('lists a community and a street as summaries: what the list shows and filters on, never the records', async () => {
    // Prepare
    const p = project({ communityId: 'lc-sum', streetId: 'ls-sum' });
    await createProject(p);

    // Act
    const community = (await listCommunityProjects('lc-sum', 2025, { limit: 10 })).items;
    const street = (await listStreetProjects('ls-sum', 2025, { limit: 10, status: 'AWAITING_APPROVAL' })).items;

    // Assess
    for (const items of [community, street]) {
      expect(items).toHaveLength(1);
      expect(Object.keys(items[0]).sort()).toEqual(
        PROJECT_SUMMARY_FIELDS.filter((f) => (p as unknown as Record<string, unknown>)[f] !== undefined).sort(),
      );
      expect(items[0]).toMatchObject({ id: p.id, title: p.title, status: 'AWAITING_APPROVAL', amountFen: 100 });
      expect(items[0].deadlines).toEqual(p.deadlines);
    }
  });

  it('stores index entries without the records: the index holds the projection, not the item', async () => {
    // Prepare
    const p = project({ communityId: 'lc-raw' });
    await createProject(p);

    // Act: read the index raw, asking for every attribute it holds
    const out = await runtime().ddb.send(
      new QueryCommand({
        TableName: TABLE_NAME,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': 'COMMUNITY#lc-raw#2025' },
        Select: 'ALL_PROJECTED_ATTRIBUTES',
      }),
    );

    // Assess
    const entry = out.Items![0];
    expect(entry.title).toBe(p.title);
    for (const heavy of ['history', 'measures', 'cofunding', 'deliberations', 'tranches'])
      expect(entry).not.toHaveProperty(heavy);
  });

  it('gives whole projects by id for the readers that need the records, in the order asked', async () => {
    // Prepare
    const a = project();
    const b = project();
    await createProject(a);
    await createProject(b);

    // Act
    const whole = await getProjects([b.id, 'missing', a.id]);

    // Assess
    expect(whole.map((p) => p.id)).toEqual([b.id, a.id]);
    expect(whole[0].measures).toBe(b.measures);
    expect(whole[0].history).toHaveLength(1);
  });

  it('gives all of more projects than one batch holds, read several batches at once, in the order asked', async () => {
    // Prepare: three batches' worth, asked for in reverse, one id twice and one missing
    const many = Array.from({ length: 230 }, () => project());
    for (const p of many) await createProject(p);
    const asked = [...many.map((p) => p.id)].reverse();
    asked.splice(120, 0, 'missing', asked[5]);

    // Act
    const whole = await getProjects(asked);

    // Assess
    expect(whole.map((p) => p.id)).toEqual(asked.filter((id) => id !== 'missing'));
    expect(whole.every((p) => p.history.length === 1)).toBe(true);
  });

  it('returns a unit’s contacts with their phone and email from the shared index', async () => {
    // Prepare
    await putContact({
      sub: 'lean-s1',
      role: 'street',
      orgUnitId: 'ls-c',
      phone: '13800000000',
      email: 'a@b.cn',
      updatedAt: now.toISOString(),
    });

    // Act
    const found = await contactsOf('ls-c', 'street');

    // Assess
    expect(found).toEqual([
      {
        sub: 'lean-s1',
        role: 'street',
        orgUnitId: 'ls-c',
        phone: '13800000000',
        email: 'a@b.cn',
      },
    ]);
  });
});

describe('the sharded open-deadline index', () => {
  it('spreads open projects over the shards and finds every due one across all of them', async () => {
    // Prepare: enough projects to land in most shards
    const due = Array.from({ length: 40 }, () =>
      project({ deadlines: { approvalDueAt: '2025-10-10T23:59:59+08:00' } }),
    );
    const later = project({ deadlines: { approvalDueAt: '2025-11-20T23:59:59+08:00' } });
    for (const p of [...due, later]) await createProject(p);

    // Act
    const found = await listOpenProjects('2025-10-10T23:59:59+08:00');

    // Assess
    const shards = new Set(due.map((p) => openShard(p.id)));
    expect(shards.size).toBeGreaterThan(OPEN_SHARDS / 2);
    for (const s of shards) expect(s).toMatch(/^OPEN#(0\d|1[0-5])$/);
    expect(found.map((p) => p.id)).toEqual(expect.arrayContaining(due.map((p) => p.id)));
    expect(found.map((p) => p.id)).not.toContain(later.id);
    expect(found.find((p) => p.id === due[0].id)).toEqual({
      id: due[0].id,
      status: 'AWAITING_APPROVAL',
      due: { dueAt: '2025-10-10T23:59:59+08:00', reminders: { offsets: [] } },
    });
  });

  it('reads every page of a shard', async () => {
    // Prepare: five projects in one shard; filling 1 MB pages is too slow here, so the same
    // reader runs with pages of 2 entries, and that shard takes three pages.
    const byShard = new Map<string, Project[]>();
    let many: Project[] = [];
    while (many.length < 5) {
      const p = project({ deadlines: { approvalDueAt: '2025-10-01T23:59:59+08:00' } });
      const same = [...(byShard.get(openShard(p.id)) ?? []), p];
      byShard.set(openShard(p.id), same);
      many = same;
    }
    for (const p of many) await createProject(p);

    // Act
    const found = await listOpenProjects('2025-10-01T23:59:59+08:00', { pageSize: 2 });

    // Assess
    expect(new Set(found.map((p) => p.id)).size).toBe(found.length);
    expect(found.map((p) => p.id)).toEqual(expect.arrayContaining(many.map((p) => p.id)));
  });

  it('still finds an entry written under the single key of before, and moves it to its shard at start', async () => {
    // Prepare: an open project as the unsharded index stored it, and one with an unfinished operation
    const old = project({ deadlines: { approvalDueAt: '2025-10-02T23:59:59+08:00' } });
    const pending = project();
    for (const p of [old, pending]) await createProject(p);
    await runtime().ddb.send(
      new UpdateCommand({
        TableName: TABLE_NAME,
        Key: { pk: `PROJECT#${old.id}`, sk: 'PROJECT' },
        UpdateExpression: 'SET gsi3pk = :open',
        ExpressionAttributeValues: { ':open': 'OPEN' },
      }),
    );
    await runtime().ddb.send(
      new UpdateCommand({
        TableName: TABLE_NAME,
        Key: { pk: `PROJECT#${pending.id}`, sk: 'PROJECT' },
        UpdateExpression: 'SET gsi3pk = :open, gsi3sk = :op, pendingOp = :o',
        ExpressionAttributeValues: { ':open': 'OPEN', ':op': `!op#${pending.id}`, ':o': { id: 'op1' } },
      }),
    );

    // Act
    const before = (await listOpenProjects('2025-10-02T23:59:59+08:00')).map((p) => p.id);
    const pendingBefore = (await listPendingOperations()).map((p) => p.id);
    const moved = await reshardOpenProjects();
    const after = (await listOpenProjects('2025-10-02T23:59:59+08:00')).map((p) => p.id);
    const stored = await runtime().ddb.send(
      new GetCommand({ TableName: TABLE_NAME, Key: { pk: `PROJECT#${old.id}`, sk: 'PROJECT' } }),
    );

    // Assess
    expect(before).toContain(old.id);
    expect(pendingBefore).toContain(pending.id);
    expect(moved).toBe(2);
    expect(after).toContain(old.id);
    expect(stored.Item?.gsi3pk).toBe(openShard(old.id));
    expect((await listPendingOperations()).map((p) => p.id)).toContain(pending.id);
    expect(await reshardOpenProjects()).toBe(0);
  });

  it('moves a project written under the old key to its shard with its next change', async () => {
    // Prepare
    const p = project();
    await createProject(p);
    await runtime().ddb.send(
      new PutCommand({
        TableName: TABLE_NAME,
        Item: {
          pk: `PROJECT#${p.id}`,
          sk: 'PROJECT',
          ...p,
          gsi3pk: 'OPEN',
          gsi3sk: `2025-10-14T23:59:59+08:00#${p.id}`,
        },
      }),
    );

    // Act
    const after = await changeProject(
      p.id,
      {
        from: ['AWAITING_APPROVAL'],
        to: 'APPROVED',
        set: { deadlines: { startDueAt: '2025-11-01T23:59:59+08:00' } },
        events: [],
      },
      now,
    );

    // Assess: the store hands out projects without their keys, so read the stored item itself.
    const stored = await runtime().ddb.send(
      new GetCommand({ TableName: TABLE_NAME, Key: { pk: `PROJECT#${p.id}`, sk: 'PROJECT' } }),
    );
    expect(after?.status).toBe('APPROVED');
    expect(stored.Item?.gsi3pk).toBe(openShard(p.id));
  });
});

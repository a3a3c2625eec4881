import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { embeddedStore } from '../support/embeddedStore.ts';
import {
  changeProject,
  communityProjectsInPublicity,
  createProject,
  getProject,
} from '../../functions/store/projects.ts';
import {
  ensurePublicityIndexBuilt,
  projectsInPublicity,
  resetPublicityIndexCache,
} from '../../functions/store/publicityIndex.ts';
import { PROJECT_SUMMARY_FIELDS } from '../../functions/store/indexes.ts';
import { makeDocumentClient, runtime } from '../../functions/runtime.ts';
import { startLocalDynamo, TABLE_NAME } from '../../infra/local/dynamo.ts';
import { LmdbLevel } from '../../infra/local/lmdbLevel.ts';
import type { Project } from '../../functions/domain/project.ts';
import { storedProject } from '../support/storedProject.ts';

/*
 * The notice board reads a sparse index: a project has an entry only while it is in
 * publicity. Tables from before the index get it: the local store adds it at start, and
 * projects already in publicity are indexed once, the board reading the old way until then.
 */
let store: Awaited<ReturnType<typeof embeddedStore>>;
beforeAll(async () => {
  store = await embeddedStore();
});
afterAll(async () => store?.stop());
beforeEach(() => resetPublicityIndexCache());

const now = new Date('2025-09-23T02:00:00Z');
let n = 0;
// Each with its own creation instant, which orders the board's entries.
const project = (over: Partial<Project> = {}): Project => {
  n++;
  return storedProject(
    `PB${String(n).padStart(4, '0')}`,
    { communityId: 'pc1', streetId: 'ps1' },
    { status: 'UNDER_REVIEW', deadlines: {}, createdAt: `2025-09-23T02:00:00.${String(n).padStart(3, '0')}Z`, ...over },
  );
};

const toPublicity = (p: Project, before: Project | undefined) =>
  changeProject(
    p.id,
    {
      from: ['UNDER_REVIEW'],
      to: 'IN_PUBLICITY',
      set: { 'deadlines.publicityEndsAt': '2025-09-30T23:59:59+08:00' },
      deadlinesAfter: { publicityEndsAt: '2025-09-30T23:59:59+08:00' },
      events: [],
    },
    now,
    before,
  );

const rawItem = async (id: string) =>
  (await runtime().ddb.send(new GetCommand({ TableName: TABLE_NAME, Key: { pk: `PROJECT#${id}`, sk: 'PROJECT' } })))
    .Item;

describe('the notice board index', () => {
  it('holds a project while it is in publicity, as its summary, and drops it when it leaves', async () => {
    // Prepare
    const waiting = project({ communityId: 'pc-in' });
    const other = project({ communityId: 'pc-in' });
    await createProject(waiting);
    await createProject(other);

    // Act
    await toPublicity(waiting, waiting);
    const during = await communityProjectsInPublicity('pc-in', 2025);
    const inPublicity = (await getProject(waiting.id))!;
    await changeProject(waiting.id, { from: ['IN_PUBLICITY'], to: 'AWAITING_APPROVAL', events: [] }, now, inPublicity);
    const after = await communityProjectsInPublicity('pc-in', 2025);

    // Assess
    expect(during.map((p) => p.id)).toEqual([waiting.id]);
    expect(Object.keys(during[0]).every((k) => (PROJECT_SUMMARY_FIELDS as readonly string[]).includes(k))).toBe(true);
    expect(during[0]).toMatchObject({ status: 'IN_PUBLICITY', title: waiting.title });
    expect(inPublicity).not.toHaveProperty('gsi4pk');
    expect(after).toEqual([]);
    expect(await rawItem(waiting.id)).not.toHaveProperty('gsi4pk');
  });

  it('refuses to move a project into publicity without the project read, and writes nothing', async () => {
    // Prepare
    const p = project({ communityId: 'pc-unread' });
    await createProject(p);

    // Act
    const attempt = toPublicity(p, undefined);

    // Assess
    await expect(attempt).rejects.toThrow(/without the project read/);
    expect((await getProject(p.id))?.status).toBe('UNDER_REVIEW');
  });

  it('indexes once the projects that entered publicity before the index, the board reading them meanwhile', async () => {
    // Prepare: a project in publicity as an older version wrote it, with no entry
    const old = project({ communityId: 'pc-old', status: 'IN_PUBLICITY' });
    await runtime().ddb.send(
      new PutCommand({
        TableName: TABLE_NAME,
        Item: {
          pk: `PROJECT#${old.id}`,
          sk: 'PROJECT',
          ...old,
          gsi1pk: 'COMMUNITY#pc-old#2025',
          gsi1sk: `${old.createdAt}#${old.id}`,
          gsi3pk: 'OPEN#00',
          gsi3sk: `9999#${old.id}`,
        },
      }),
    );

    // Act
    const beforeBuilt = await projectsInPublicity('pc-old', 2025);
    const unindexed = await communityProjectsInPublicity('pc-old', 2025);
    const indexed = await ensurePublicityIndexBuilt(now);
    const afterBuilt = await projectsInPublicity('pc-old', 2025);
    const again = await ensurePublicityIndexBuilt(now);

    // Assess
    expect(beforeBuilt.map((p) => p.id)).toEqual([old.id]);
    expect(unindexed).toEqual([]);
    expect(indexed).toBe(1);
    expect(afterBuilt.map((p) => p.id)).toEqual([old.id]);
    expect(again).toBe(0);
  });
});

describe('a local table from before the index', () => {
  it('gets the index at start, with the entries of the items already stored', async () => {
    // Prepare: a table with an item on the index, then the index taken out of its definition
    const dir = mkdtempSync(join(tmpdir(), 'cf-index-'));
    try {
      const first = await startLocalDynamo(dir);
      await makeDocumentClient(first.client).send(
        new PutCommand({
          TableName: TABLE_NAME,
          Item: { pk: 'PROJECT#X1', sk: 'PROJECT', id: 'X1', title: '旧', gsi4pk: 'PUBLICITY#c#2025', gsi4sk: 'a#X1' },
        }),
      );
      await first.close();
      const db = new LmdbLevel(join(dir, 'store.mdb'), { valueEncoding: 'json' });
      await db.open();
      const table = await db.get(`table~${TABLE_NAME}`);
      table.GlobalSecondaryIndexes = table.GlobalSecondaryIndexes.filter(
        (i: { IndexName: string }) => i.IndexName !== 'gsi4',
      );
      await db.put(`table~${TABLE_NAME}`, table);
      await db.clear({ gt: `index-global~${TABLE_NAME}~gsi4~`, lt: `index-global~${TABLE_NAME}~gsi4\u007f` });
      await db.close();

      // Act
      const second = await startLocalDynamo(dir);
      const out = await makeDocumentClient(second.client).send(
        new QueryCommand({
          TableName: TABLE_NAME,
          IndexName: 'gsi4',
          KeyConditionExpression: 'gsi4pk = :pk',
          ExpressionAttributeValues: { ':pk': 'PUBLICITY#c#2025' },
        }),
      );
      await second.close();

      // Assess
      expect(out.Items?.map((i) => i.id)).toEqual(['X1']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { embeddedStore, seedDemoDistrict, watchSends } from '../support/embeddedStore.ts';
import { runtime } from '../../functions/runtime.ts';
import {
  changeProject,
  createProject,
  getProject,
  listOpenProjects,
  openShard,
} from '../../functions/store/projects.ts';
import type { PendingOperation } from '../../functions/domain/pendingOp.ts';
import { TABLE_NAME } from '../../infra/local/dynamo.ts';
import type { Project } from '../../functions/domain/project.ts';
import { runReminderSweep } from '../../functions/jobs/reminderSweep.ts';
import { storedProject } from '../support/storedProject.ts';
import { ensurePublicityIndexBuilt, resetPublicityIndexCache } from '../../functions/store/publicityIndex.ts';

/*
 * The daily sweep lists every open project whose deadline is near, but reads whole only
 * those its index entry shows it may have something to do for: a reminder due and not
 * recorded, a window opened in the last day, or a deadline passed. Guandu reminds 2 and
 * 0 working days before a deadline.
 */
const COMMUNITY = 'gd-gdjd-xh';
const STREET = 'gd-gdjd';
/** Due Sat 10-11 (a make-up working day): the 2-day reminder falls on Thu 10-09, the 0-day one on 10-11. */
const DUE = '2025-10-11T23:59:59+08:00';
/** 08:00 in Shanghai, when the scheduled sweep runs. */
const morning = (day: string) => `2025-10-${day}T08:00:00+08:00`;

let store: Awaited<ReturnType<typeof embeddedStore>>;
/** The project ids read whole (BatchGet) since the last reset. */
let readWhole: string[] = [];
/** Set to make every write of the notice board index's marker fail. */
let markerWritesFail = false;

beforeAll(async () => {
  process.env.POLICY_PROFILE = 'guandu';
  store = await embeddedStore(morning('01'));
  await seedDemoDistrict();
  watchSends((command) => {
    if (command.constructor.name === 'BatchGetCommand') {
      const input = (command as { input: { RequestItems: Record<string, { Keys: { pk: string }[] }> } }).input;
      for (const { Keys } of Object.values(input.RequestItems)) readWhole.push(...Keys.map((k) => k.pk.slice(8)));
    }
    const item = (command as { input: { Item?: { pk?: string } } }).input.Item;
    if (markerWritesFail && item?.pk === 'MIGRATION') throw new Error('the store is unavailable');
  });
});
afterAll(async () => store?.stop());
beforeEach(() => {
  readWhole = [];
});

let n = 0;
const waitingForApproval = async (over: Partial<Project> = {}): Promise<Project> => {
  const id = `SWEEP${String(++n).padStart(3, '0')}`;
  const p = storedProject(
    id,
    { communityId: COMMUNITY, streetId: STREET },
    {
      createdAt: `2025-09-01T00:00:${String(n).padStart(2, '0')}.000Z`,
      status: 'AWAITING_APPROVAL',
      deadlines: { approvalDueAt: DUE },
      ...over,
    },
  );
  await createProject(p);
  return p;
};

const sweepOn = async (day: string, id: string) => {
  store.setNow(morning(day));
  readWhole = [];
  await runReminderSweep();
  return {
    read: readWhole.includes(id),
    reminded: ((await getProject(id)) as { remindersSent?: Record<string, string> }).remindersSent ?? {},
  };
};

describe('the daily sweep over projects waiting for approval', () => {
  it('reads a project only on the days it may be reminded, and once its deadline passed', async () => {
    // Prepare
    const p = await waitingForApproval();
    const key = (offset: number) => `AWAITING_APPROVAL#${DUE}#approval#${offset}`;

    // Act
    const before = await sweepOn('08', p.id);
    const twoDays = await sweepOn('09', p.id);
    const between = await sweepOn('10', p.id);
    const dueDay = await sweepOn('11', p.id);
    const overdue = await sweepOn('12', p.id);

    // Assess
    expect(before).toEqual({ read: false, reminded: {} });
    expect(twoDays.read).toBe(true);
    expect(Object.keys(twoDays.reminded)).toEqual([key(2)]);
    expect(between.read).toBe(false);
    expect(dueDay.read).toBe(true);
    expect(Object.keys(dueDay.reminded).sort()).toEqual([key(0), key(2)]);
    expect(overdue.read).toBe(true);
  });

  it('reads a project whose entry does not say what was recorded, and sends it nothing twice', async () => {
    // Prepare: recorded on the project, but the entry is in the form written before it said so
    const p = await waitingForApproval({
      remindersSent: { [`AWAITING_APPROVAL#${DUE}#approval#2`]: '2025-10-09T00:00:00.000Z' },
    } as Partial<Project>);
    await runtime().ddb.send(
      new UpdateCommand({
        TableName: TABLE_NAME,
        Key: { pk: `PROJECT#${p.id}`, sk: 'PROJECT' },
        UpdateExpression: 'SET gsi3pk = :pk, gsi3sk = :sk',
        ExpressionAttributeValues: { ':pk': openShard(p.id), ':sk': `${DUE}#${p.id}` },
      }),
    );
    const sentBefore = store.sent.length;

    // Act
    const between = await sweepOn('10', p.id);

    // Assess
    expect(between.read).toBe(true);
    expect(store.sent.slice(sentBefore).filter((m) => m.idempotencyKey.startsWith(`${p.id}#`))).toEqual([]);
    expect((await getProject(p.id))?.version).toBe(1);
  });
});

describe('the entry of a record-first intent (a payment whose project write went first)', () => {
  it('keeps saying which reminders its deadline has had, so the sweep can leave it unread', async () => {
    // Prepare: the last acceptance pays and opens the completion publicity, its opening recorded in that write
    const ends = '2025-10-20T23:59:59+08:00';
    const openedAt = '2025-10-13T02:00:00.000Z';
    const p = await waitingForApproval({
      status: 'IN_PROGRESS',
      deadlines: { completionDueAt: '2025-11-30T23:59:59+08:00' },
    });
    const opening = `COMPLETION_PUBLICITY#${ends}#publicityStart#start`;
    const twoDays = `COMPLETION_PUBLICITY#${ends}#publicityEnd#2`;
    const intent: PendingOperation = {
      id: `pay#${p.id}#3`,
      startedAt: openedAt,
      leaseUntil: openedAt,
      steps: [{ kind: 'pay', n: 3, fen: 50_000 }],
      restingStatus: 'COMPLETION_PUBLICITY',
      restingDeadlines: { completionPublicityEndsAt: ends },
    };
    const entryOf = async () => (await listOpenProjects()).find((e) => e.id === p.id);

    // Act
    const opened = await changeProject(
      p.id,
      {
        from: ['IN_PROGRESS'],
        to: 'COMPLETION_PUBLICITY',
        set: { deadlines: { completionPublicityEndsAt: ends }, remindersSent: { [opening]: openedAt } },
        begins: intent,
        deadlinesAfter: { completionPublicityEndsAt: ends },
        events: [],
      },
      new Date(openedAt),
      p,
    );
    const atOpening = await entryOf();
    await changeProject(
      p.id,
      {
        from: ['COMPLETION_PUBLICITY'],
        set: { remindersSent: { [opening]: openedAt, [twoDays]: '2025-10-16T00:00:00.000Z' } },
        expectedVersion: opened!.version,
        events: [],
      },
      new Date('2025-10-16T00:00:00.000Z'),
      opened,
    );
    const reminded = await entryOf();

    // Assess
    expect(atOpening?.recorded).toEqual({
      startedAt: openedAt,
      dueAt: ends,
      reminders: { offsets: [], openedAt },
      opId: intent.id,
    });
    expect(reminded?.recorded).toEqual({
      startedAt: openedAt,
      dueAt: ends,
      reminders: { offsets: [2], openedAt },
      opId: intent.id,
    });
    expect(reminded?.pending).toBeUndefined();
  });
});

const readMarker = async () =>
  (await runtime().ddb.send(new GetCommand({ TableName: TABLE_NAME, Key: { pk: 'MIGRATION', sk: 'PUBLICITY_INDEX' } })))
    .Item;

describe('the daily sweep and the notice board index', () => {
  it('still sends the day’s reminders when the one-time indexing fails, and indexes on a later day', async () => {
    // Prepare: a table whose marker is not written yet, and a store that refuses the marker
    const p = await waitingForApproval();
    await runtime().ddb.send(
      new DeleteCommand({ TableName: TABLE_NAME, Key: { pk: 'MIGRATION', sk: 'PUBLICITY_INDEX' } }),
    );
    resetPublicityIndexCache();
    markerWritesFail = true;

    // Act
    const failing = await sweepOn('09', p.id).finally(() => {
      markerWritesFail = false;
    });
    const markerAfterFailure = await readMarker();
    await sweepOn('10', p.id);
    const stillToBuild = await ensurePublicityIndexBuilt(new Date());

    // Assess
    expect(Object.keys(failing.reminded)).toEqual([`AWAITING_APPROVAL#${DUE}#approval#2`]);
    expect(markerAfterFailure).toBeUndefined();
    expect(stillToBuild).toBe(0);
    expect(await readMarker()).toBeDefined();
  });
});

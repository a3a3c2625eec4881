import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedStore, seedDemoDistrict, watchSends } from '../support/embeddedStore.ts';
import { createProject, getProject } from '../../functions/store/projects.ts';
import { runReminderSweep } from '../../functions/jobs/reminderSweep.ts';
import { storedProject } from '../support/storedProject.ts';

/*
 * The sweep reads the due projects a page at a time, so that its memory does not grow with
 * them. Guandu reminds 2 working days before a deadline: a project due Fri 10-17 is
 * reminded on Wed 10-15.
 */
const DUE = '2025-10-17T23:59:59+08:00';
const REMINDER = `AWAITING_APPROVAL#${DUE}#approval#2`;

let store: Awaited<ReturnType<typeof embeddedStore>>;
/** The project ids of every page read whole (BatchGet), in the order asked. */
const pagesRead: string[][] = [];
/** The page read in this place (1 the first) fails to be read. */
let unreadable: number | undefined;

beforeAll(async () => {
  process.env.POLICY_PROFILE = 'guandu';
  store = await embeddedStore('2025-10-14T08:00:00+08:00');
  await seedDemoDistrict();
  watchSends((command) => {
    if (command.constructor.name !== 'BatchGetCommand') return;
    const input = command.input as { RequestItems: Record<string, { Keys: { pk: string }[] }> };
    const ids = Object.values(input.RequestItems).flatMap(({ Keys }) => Keys.map((k) => k.pk.slice(8)));
    if (pagesRead.push(ids) === unreadable) throw new Error('the store is unavailable');
  });
});
afterAll(async () => store?.stop());

const reminded = async (id: string) =>
  Object.keys(((await getProject(id)) as { remindersSent?: Record<string, string> }).remindersSent ?? {});

describe('a sweep over more due projects than a page', () => {
  it('reminds page after page, and stops at a page it cannot read, unread pages after it', async () => {
    // Prepare: five projects due the same day, pages of two
    const ids: string[] = [];
    for (let i = 1; i <= 5; i++) {
      const p = storedProject(
        `PAGED${i}`,
        { communityId: 'gd-gdjd-xh', streetId: 'gd-gdjd' },
        {
          createdAt: `2025-09-01T00:00:0${i}.000Z`,
          status: 'AWAITING_APPROVAL',
          deadlines: { approvalDueAt: DUE },
        },
      );
      await createProject(p);
      ids.push(p.id);
    }
    store.setNow('2025-10-15T08:00:00+08:00');
    unreadable = 2;

    // Act
    const failed = await runReminderSweep({ pageSize: 2 }).then(
      () => undefined,
      (e: Error) => e,
    );
    const [first, second, ...more] = pagesRead.splice(0);
    const remindedBeforeRetry = await Promise.all(ids.map(reminded));
    unreadable = undefined;
    const sentBeforeRetry = store.sent.length;
    const retried = await runReminderSweep({ pageSize: 2 });

    // Assess
    expect(failed?.message).toBe('the store is unavailable');
    // The first page was reminded; the second failed; the third was never read.
    expect(first).toHaveLength(2);
    expect(second).toHaveLength(2);
    expect(more).toEqual([]);
    const done = ids.filter((_, i) => remindedBeforeRetry[i].length);
    expect(done.sort()).toEqual([...first].sort());
    for (const i of done.map((id) => ids.indexOf(id))) expect(remindedBeforeRetry[i]).toEqual([REMINDER]);
    // The same day's next sweep reminds the other three, and the first two not again.
    expect(retried.reminders).toBe(3);
    for (const id of ids) expect(await reminded(id)).toEqual([REMINDER]);
    const resent = store.sent.slice(sentBeforeRetry).map((m) => m.idempotencyKey.split('#')[0]);
    expect(new Set(resent)).toEqual(new Set(ids.filter((id) => !first.includes(id))));
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedStore } from '../support/embeddedStore.ts';
import { runtime } from '../../functions/runtime.ts';
import {
  disqualify,
  getUndertaker,
  getUndertakerIdentity,
  registerUndertaker,
  type Undertaker,
} from '../../functions/store/undertakers.ts';

/*
 * The public project page names its undertaker. A name and a kind never change once
 * registered, so a process reads each undertaker's identity from the store once.
 */
let store: Awaited<ReturnType<typeof embeddedStore>>;
const reads: string[] = [];
beforeAll(async () => {
  store = await embeddedStore();
  runtime().rawDdb.middlewareStack.add(
    (next, context) => async (args) => {
      reads.push(context.commandName ?? '');
      return next(args);
    },
    { step: 'initialize', name: 'testReads' },
  );
});
afterAll(async () => store?.stop());

const undertaker = (id: string, creditCode: string): Undertaker => ({
  id,
  name: `社工机构${id}`,
  kind: 'social_org',
  creditCode,
  registeredAt: '2025-03-01T02:00:00.000Z',
  registeredBy: { sub: 'district-1', role: 'district', orgUnitId: 'district' },
  disqualifications: {},
});

describe('an undertaker as the public sees it', () => {
  it('is its id, name and kind, read from the store once however often it is asked for', async () => {
    // Prepare
    await registerUndertaker(undertaker('u-ident-1', '91110000ABCDEF0001'));
    reads.length = 0;

    // Act
    const first = await getUndertakerIdentity('u-ident-1');
    const again = await Promise.all([getUndertakerIdentity('u-ident-1'), getUndertakerIdentity('u-ident-1')]);

    // Assess
    expect(first).toEqual({ id: 'u-ident-1', name: '社工机构u-ident-1', kind: 'social_org' });
    expect(again).toEqual([first, first]);
    expect(reads.filter((c) => c === 'GetItemCommand')).toHaveLength(1);
  });

  it('stays as registered after a disqualification, which the register itself shows at once', async () => {
    // Prepare
    await registerUndertaker(undertaker('u-ident-2', '91110000ABCDEF0002'));
    const before = await getUndertakerIdentity('u-ident-2');

    // Act
    await disqualify('u-ident-2', {
      year: 2025,
      reason: '验收不合格',
      at: '2025-06-01T02:00:00.000Z',
      by: { sub: 'district-1', role: 'district', orgUnitId: 'district' },
    });

    // Assess
    expect(await getUndertakerIdentity('u-ident-2')).toEqual(before);
    expect((await getUndertaker('u-ident-2'))?.disqualifications['2025']?.reason).toBe('验收不合格');
  });

  it('is undefined for an id nobody registered, and is looked for again the next time', async () => {
    // Act
    reads.length = 0;
    const missing = [await getUndertakerIdentity('u-nobody'), await getUndertakerIdentity('u-nobody')];

    // Assess
    expect(missing).toEqual([undefined, undefined]);
    expect(reads.filter((c) => c === 'GetItemCommand')).toHaveLength(2);
  });
});

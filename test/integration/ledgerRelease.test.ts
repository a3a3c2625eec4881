import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedStore } from '../support/embeddedStore.ts';
import {
  changeReservation,
  getAllocation,
  releaseUnpaid,
  reserve,
  setAllocation,
} from '../../functions/store/allocations.ts';

/*
 * Releasing a reservation reads it and writes it down conditionally. A change of the same
 * reservation landing in between must make the release read again, not fail.
 */
let store: Awaited<ReturnType<typeof embeddedStore>>;
beforeAll(async () => {
  store = await embeddedStore();
});
afterAll(async () => store?.stop());

const now = new Date('2025-12-31T02:00:00Z');
const FUND = { year: 2025, streetId: 's1', communityId: 'c1' };

describe('releasing reservations while they change', () => {
  it('frees every reservation, whatever change request lands between the read and the write', async () => {
    // Prepare: 40 projects of one community, each reserved at 100 fen
    const projects = Array.from({ length: 40 }, (_, i) => `P${i}`);
    expect(
      (await setAllocation({ year: 2025, streetId: 's1', communityId: 'c1', amountFen: 100_000, sources: [] }, now)).ok,
    ).toBe(true);
    for (const p of projects) expect(await reserve(FUND, p, 100, now)).toEqual({ ok: true });

    // Act: each released (failed at year end) while its change request moves it to 150
    const results = await Promise.allSettled(
      projects.flatMap((p) => [releaseUnpaid(FUND, p, now), changeReservation(FUND, p, 100, 150, now)]),
    );

    // Assess
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const a = await getAllocation(2025, 's1', 'c1');
    for (const p of projects) expect(a!.reservations[p]).toBe(0);
    expect(a!.reservedFen).toBe(0);
    expect(a!.availableFen).toBe(a!.amountFen);
  });
});

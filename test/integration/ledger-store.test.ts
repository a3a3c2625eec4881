import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedStore } from '../support/embeddedStore.ts';
import {
  type AllocationState,
  changeReservation,
  isRefusal,
  ledgerViolations,
  pay,
  release,
  reserve,
  setAmount,
} from '../../functions/domain/ledger.ts';
import * as stored from '../../functions/store/allocations.ts';

/*
 * The store executes the domain ledger's writes (domain/ledger.ts): each guard one
 * condition, each amount one increment. Random operations run on the stored allocation
 * through the store's functions, as requests run them, and on a state in memory through
 * the domain's; both must end in the same ledger after every step. A condition written
 * differently from its guard (or an increment forgotten) makes them part.
 */
let store: Awaited<ReturnType<typeof embeddedStore>>;
beforeAll(async () => {
  store = await embeddedStore();
});
afterAll(async () => store?.stop());

const now = new Date('2025-06-01T02:00:00Z');

type Op =
  | { kind: 'setAmount'; fen: number }
  | { kind: 'reserve'; p: string; fen: number }
  | { kind: 'pay'; p: string; n: number; fen: number }
  | { kind: 'move'; p: string; fen: number }
  | { kind: 'release'; p: string };

const projectId = fc.constantFrom('p1', 'p2', 'p3');
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('setAmount' as const), fen: fc.integer({ min: 0, max: 1500 }) }),
  fc.record({ kind: fc.constant('reserve' as const), p: projectId, fen: fc.integer({ min: 0, max: 600 }) }),
  fc.record({
    kind: fc.constant('pay' as const),
    p: projectId,
    n: fc.integer({ min: 1, max: 2 }),
    fen: fc.integer({ min: 0, max: 200 }),
  }),
  fc.record({ kind: fc.constant('move' as const), p: projectId, fen: fc.integer({ min: 0, max: 600 }) }),
  fc.record({ kind: fc.constant('release' as const), p: projectId }),
);

const ledgerOf = (a: stored.Allocation): AllocationState & { availableFen: number } => ({
  amountFen: a.amountFen,
  reservedFen: a.reservedFen,
  paidFen: a.paidFen,
  availableFen: a.availableFen,
  reservations: a.reservations ?? {},
  payments: a.payments ?? {},
});

let run = 0;

describe('the stored ledger', () => {
  it('ends every step in the state the domain ledger computes for the same operation', async () => {
    let applied = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 1500 }),
        fc.array(op, { minLength: 1, maxLength: 10 }),
        async (start, ops) => {
          // Prepare: a fresh allocation per run, in memory and in the store
          const fund = { year: 2025, streetId: 's1', communityId: `c${run++}` };
          expect((await stored.setAllocation({ ...fund, amountFen: start, sources: [] }, now)).ok).toBe(true);
          let s: AllocationState = { amountFen: start, reservedFen: 0, paidFen: 0, reservations: {}, payments: {} };
          for (const o of ops) {
            // Act: the same operation on both, the store as a request drives it
            let next: ReturnType<typeof reserve>;
            switch (o.kind) {
              case 'setAmount':
                next = setAmount(s, o.fen);
                await stored.setAllocation({ ...fund, amountFen: o.fen, sources: [] }, now);
                break;
              case 'reserve':
                next = reserve(s, o.p, o.fen);
                await stored.reserve(fund, o.p, o.fen, now);
                break;
              case 'pay':
                // The overpay rule runs in the acceptance decision before the payment; pay only what it lets through.
                next = pay(s, o.p, o.n, o.fen);
                if (!isRefusal(next) || next.code === 'ALREADY_PAID' || next.code === 'NOT_RESERVED')
                  await stored.pay(fund, o.p, o.n, o.fen, now);
                break;
              case 'move': {
                const held = s.reservations[o.p];
                next = changeReservation(s, o.p, o.fen);
                // A change below what was paid is refused by the change decision before any write.
                if (held !== undefined && !(isRefusal(next) && next.code === 'BELOW_PAID'))
                  await stored.changeReservation(fund, o.p, held, o.fen, now);
                break;
              }
              case 'release':
                next = release(s, o.p);
                await stored.releaseUnpaid(fund, o.p, now);
                break;
            }
            if (!isRefusal(next)) {
              s = next;
              applied++;
            }
            // Assess
            const a = ledgerOf((await stored.getAllocation(fund.year, fund.streetId, fund.communityId))!);
            expect({ ...a, availableFen: undefined }).toEqual({ ...s, availableFen: undefined });
            expect(a.availableFen).toBe(a.amountFen - a.reservedFen);
            expect(ledgerViolations(a)).toEqual([]);
          }
        },
      ),
      { numRuns: 25 },
    );
    // Guard against a vacuous run in which nothing was ever written.
    expect(applied).toBeGreaterThan(25);
  }, 120_000);
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MoneyError,
  contractTerms,
  recomputeUnpaidTranches,
  sourcesSumTo,
  splitBySources,
  splitTranches,
  yuan,
} from '../../functions/domain/money.ts';
// The ledger whose writes the store executes (store/allocations.ts): these properties hold for the code requests run.
import {
  type AllocationState,
  type LedgerResult,
  availableFen,
  changeReservation,
  isRefusal,
  ledgerViolations,
  newAllocation,
  paidForProject,
  pay,
  release,
  reserve,
  setAmount,
  signContract,
} from '../../functions/domain/ledger.ts';

const fen = fc.integer({ min: 0, max: 10_000_000_000 });
const split = fc
  .array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 6 })
  .filter((w) => w.some((x) => x > 0));
const total = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const floorShare = (amount: number, w: number, sum: number) => Number((BigInt(amount) * BigInt(w)) / BigInt(sum));

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    return e instanceof MoneyError ? e.code : 'not a MoneyError';
  }
  return undefined;
};

describe('splitTranches', () => {
  it('splits 5:3:2 by default with the remainder on the last tranche', () => {
    // Prepare
    const amount = 100_001;
    // Act
    const parts = splitTranches(amount);
    // Assess
    expect(parts).toEqual([50_000, 30_000, 20_001]);
  });

  it('always sums to the amount, floors every tranche but the last, and never goes negative', () => {
    fc.assert(
      fc.property(fen, split, (amount, weights) => {
        // Prepare
        const sum = total(weights);
        // Act
        const parts = splitTranches(amount, weights);
        // Assess
        expect(parts).toHaveLength(weights.length);
        expect(total(parts)).toBe(amount);
        parts.forEach((p) => expect(Number.isSafeInteger(p) && p >= 0).toBe(true));
        weights.slice(0, -1).forEach((w, i) => expect(parts[i]).toBe(floorShare(amount, w, sum)));
        const last = weights.length - 1;
        expect(parts[last]).toBe(amount - total(weights.slice(0, -1).map((w) => floorShare(amount, w, sum))));
        expect(parts[last]).toBeGreaterThanOrEqual(floorShare(amount, weights[last], sum));
      }),
    );
  });

  it('refuses amounts that are not whole non-negative fen and splits with no positive total', () => {
    // Prepare
    const cases: [number, number[], string][] = [
      [1.5, [5, 3, 2], 'INVALID_AMOUNT'],
      [-1, [5, 3, 2], 'INVALID_AMOUNT'],
      [Number.NaN, [5, 3, 2], 'INVALID_AMOUNT'],
      [100, [], 'INVALID_SPLIT'],
      [100, [0, 0], 'INVALID_SPLIT'],
      [100, [5, -3, 2], 'INVALID_SPLIT'],
      [100, [0.5, 0.5], 'INVALID_SPLIT'],
    ];
    // Act
    const codes = cases.map(([a, w]) => codeOf(() => splitTranches(a, w)));
    // Assess
    expect(codes).toEqual(cases.map(([, , c]) => c));
  });
});

describe('recomputeUnpaidTranches', () => {
  it('keeps paid tranches and spreads the rest over the unpaid ones by their weights', () => {
    // Prepare
    const paid = [50_000];
    // Act
    const parts = recomputeUnpaidTranches(150_001, [5, 3, 2], paid);
    // Assess: 100,001 left over weights 3:2 → 60,000 and 40,001
    expect(parts).toEqual([50_000, 60_000, 40_001]);
  });

  it('keeps paid tranches, sums to the new amount and floors the unpaid ones', () => {
    const input = split.chain((weights) =>
      fc.tuple(
        fc.constant(weights),
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { maxLength: weights.length - 1 }),
        fc.integer({ min: 0, max: 100_000_000 }),
      ),
    );
    fc.assert(
      fc.property(input, ([weights, paid, extra]) => {
        // Prepare
        const newAmount = total(paid) + extra;
        const unpaidWeights = weights.slice(paid.length);
        fc.pre(total(unpaidWeights) > 0);
        // Act
        const parts = recomputeUnpaidTranches(newAmount, weights, paid);
        // Assess
        expect(parts).toHaveLength(weights.length);
        expect(parts.slice(0, paid.length)).toEqual(paid);
        expect(total(parts)).toBe(newAmount);
        parts.forEach((p) => expect(p).toBeGreaterThanOrEqual(0));
        unpaidWeights
          .slice(0, -1)
          .forEach((w, i) => expect(parts[paid.length + i]).toBe(floorShare(extra, w, total(unpaidWeights))));
      }),
    );
  });

  it('refuses with BELOW_PAID when the new amount is less than what was paid', () => {
    // Prepare
    const paid = [50_000, 30_000];
    // Act
    const code = codeOf(() => recomputeUnpaidTranches(79_999, [5, 3, 2], paid));
    // Assess
    expect(code).toBe('BELOW_PAID');
  });

  it('puts the remaining money on the last tranche when the unpaid ones carry no weight', () => {
    // Prepare
    const paid = [100];
    // Act
    const parts = recomputeUnpaidTranches(250, [1, 0, 0], paid);
    // Assess
    expect(parts).toEqual([100, 0, 150]);
  });

  it('refuses to change the amount of a fully paid project', () => {
    // Prepare
    const paid = [5, 3, 2];
    // Act
    const same = recomputeUnpaidTranches(10, [5, 3, 2], paid);
    const code = codeOf(() => recomputeUnpaidTranches(11, [5, 3, 2], paid));
    // Assess
    expect(same).toEqual(paid);
    expect(code).toBe('NO_UNPAID_TRANCHE');
  });
});

describe('yuan', () => {
  it('formats fen as yuan with thousands separators and two decimals', () => {
    // Prepare
    const cases: [number, string][] = [
      [0, '0.00'],
      [5, '0.05'],
      [100, '1.00'],
      [1_234_567, '12,345.67'],
      [100_000_000_00, '100,000,000.00'],
      [-1_234_567, '-12,345.67'],
    ];
    // Act
    const out = cases.map(([f]) => yuan(f));
    // Assess
    expect(out).toEqual(cases.map(([, s]) => s));
  });

  it('round-trips every whole fen amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e13, max: 1e13 }), (f) => {
        // Act
        const s = yuan(f);
        // Assess
        expect(Math.round(Number(s.replace(/,/g, '')) * 100)).toBe(f);
        expect(s).toMatch(/^-?\d{1,3}(,\d{3})*\.\d{2}$/);
      }),
    );
  });
});

describe('sources', () => {
  it('accepts sources that sum to the allocation and names the gap otherwise', () => {
    // Prepare
    const ok = [
      { funder: 'city', amountFen: 10_000_000 },
      { funder: 'district', amountFen: 10_000_000 },
    ];
    const short = [{ funder: 'city', amountFen: 10_000_000 }];
    const twice = [
      { funder: 'city', amountFen: 10_000_000 },
      { funder: 'city', amountFen: 10_000_000 },
    ];
    const fractional = [
      { funder: 'city', amountFen: 10_000_000.5 },
      { funder: 'district', amountFen: 9_999_999.5 },
    ];
    // Act
    const results = [ok, short, twice, fractional].map((s) => sourcesSumTo(20_000_000, s));
    // Assess
    expect(results[0]).toBeNull();
    expect(results[1]).toMatch(/10000000 fen.*20000000 fen/);
    expect(results[2]).toMatch(/more than once/);
    expect(results[3]).toMatch(/whole number/);
  });

  it('splits by percentage shares, sums to the amount and satisfies sourcesSumTo', () => {
    const shares = fc
      .array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 5 })
      .filter((xs) => total(xs) <= 100 && xs.length > 0)
      .map((xs) => [...xs.slice(0, -1), 100 - total(xs.slice(0, -1))])
      .filter((xs) => xs.every((x) => x >= 0));
    fc.assert(
      fc.property(fen, shares, (amount, percents) => {
        // Prepare
        const funders = percents.map((p, i) => ({ id: `f${i}`, sharePercent: p }));
        // Act
        const parts = splitBySources(amount, funders);
        // Assess
        expect(sourcesSumTo(amount, parts)).toBeNull();
        parts.slice(0, -1).forEach((p, i) => expect(p.amountFen).toBe(floorShare(amount, percents[i], 100)));
      }),
    );
  });

  it('splits 1:1 between city and district with the odd fen on the last funder', () => {
    // Act
    const parts = splitBySources(20_000_001, [
      { id: 'city', sharePercent: 50 },
      { id: 'district', sharePercent: 50 },
    ]);
    // Assess
    expect(parts).toEqual([
      { funder: 'city', amountFen: 10_000_000 },
      { funder: 'district', amountFen: 10_000_001 },
    ]);
  });

  it('refuses shares that do not total 100%', () => {
    // Act
    const code = codeOf(() =>
      splitBySources(100, [
        { id: 'city', sharePercent: 60 },
        { id: 'district', sharePercent: 30 },
      ]),
    );
    // Assess
    expect(code).toBe('INVALID_SPLIT');
  });
});

// ---------------------------------------------------------------------------------
// Ledger
// ---------------------------------------------------------------------------------

const ok = (r: LedgerResult): AllocationState => {
  if (isRefusal(r)) throw new Error(`unexpected refusal ${JSON.stringify(r)}`);
  return r;
};

const deepFreeze = <T>(o: T): T => {
  if (o && typeof o === 'object') {
    Object.values(o).forEach(deepFreeze);
    Object.freeze(o);
  }
  return o;
};

// Written from the rules, not from ledgerViolations, so a bug there cannot hide one in the ledger.
const assertSound = (s: AllocationState): void => {
  expect(s.amountFen).toBe(availableFen(s) + s.reservedFen);
  expect(availableFen(s)).toBeGreaterThanOrEqual(0);
  expect(s.paidFen).toBeLessThanOrEqual(s.reservedFen);
  expect(total(Object.values(s.reservations))).toBe(s.reservedFen);
  expect(total(Object.values(s.payments))).toBe(s.paidFen);
  for (const [p, held] of Object.entries(s.reservations)) {
    const paid = total(
      Object.entries(s.payments)
        .filter(([k]) => k.startsWith(`${p}#`))
        .map(([, v]) => v),
    );
    expect(paid).toBeLessThanOrEqual(held);
  }
  for (const k of Object.keys(s.payments)) expect(Object.keys(s.reservations)).toContain(k.split('#')[0]);
  expect(ledgerViolations(s)).toEqual([]);
};

describe('ledger examples', () => {
  it('refuses a reservation beyond the available money and says how much is left', () => {
    // Prepare
    const s = ok(reserve(newAllocation(200_000_00), 'p1', 150_000_00));
    // Act
    const r = reserve(s, 'p2', 50_000_01);
    // Assess
    expect(r).toEqual({ code: 'INSUFFICIENT_FUNDS', availableFen: 50_000_00 });
  });

  it('takes the last fen exactly', () => {
    // Prepare
    const s = ok(reserve(newAllocation(1000), 'p1', 600));
    // Act
    const r = ok(reserve(s, 'p2', 400));
    // Assess
    expect(availableFen(r)).toBe(0);
  });

  it('repeats a reservation idempotently and refuses a different amount for the same project', () => {
    // Prepare
    const s = ok(reserve(newAllocation(1000), 'p1', 600));
    // Act
    const again = reserve(s, 'p1', 600);
    const other = reserve(s, 'p1', 500);
    // Assess
    expect(again).toBe(s);
    expect(other).toEqual({ code: 'ALREADY_RESERVED', reservedFen: 600 });
  });

  it('never pays a project more than it holds', () => {
    // Prepare
    let s = ok(reserve(newAllocation(1000), 'p1', 600));
    s = ok(pay(s, 'p1', 1, 300));
    s = ok(pay(s, 'p1', 2, 180));
    // Act
    const r = pay(s, 'p1', 3, 121);
    // Assess
    expect(r).toEqual({ code: 'OVERPAY', unpaidFen: 120 });
  });

  it('repeats a tranche payment idempotently and refuses a different amount for a paid tranche', () => {
    // Prepare
    const s = ok(pay(ok(reserve(newAllocation(1000), 'p1', 600)), 'p1', 1, 300));
    // Act
    const again = pay(s, 'p1', 1, 300);
    const other = pay(s, 'p1', 1, 299);
    // Assess
    expect(again).toBe(s);
    expect(other).toEqual({ code: 'ALREADY_PAID', paidFen: 300 });
  });

  it('refuses payments and changes for a project with no reservation', () => {
    // Prepare
    const s = newAllocation(1000);
    // Act
    const results = [pay(s, 'p1', 1, 1), changeReservation(s, 'p1', 10)];
    // Assess
    expect(results).toEqual([{ code: 'NOT_RESERVED' }, { code: 'NOT_RESERVED' }]);
  });

  it('lets a change increase only within the available money, free money on decrease, and never go below paid', () => {
    // Prepare
    let s = ok(reserve(newAllocation(1000), 'p1', 600));
    s = ok(pay(s, 'p1', 1, 300));
    // Act
    const tooMuch = changeReservation(s, 'p1', 1001);
    const up = ok(changeReservation(s, 'p1', 1000));
    const down = ok(changeReservation(s, 'p1', 300));
    const belowPaid = changeReservation(s, 'p1', 299);
    // Assess
    expect(tooMuch).toEqual({ code: 'INSUFFICIENT_FUNDS', availableFen: 400 });
    expect(availableFen(up)).toBe(0);
    expect(availableFen(down)).toBe(700);
    expect(belowPaid).toEqual({ code: 'BELOW_PAID', paidFen: 300 });
  });

  it('refuses to set the amount below what projects hold', () => {
    // Prepare
    const s = ok(reserve(newAllocation(1000), 'p1', 600));
    // Act
    const below = setAmount(s, 599);
    const exact = ok(setAmount(s, 600));
    // Assess
    expect(below).toEqual({ code: 'BELOW_RESERVED', reservedFen: 600 });
    expect(availableFen(exact)).toBe(0);
  });

  it('releases only the unpaid part of a failed project and does nothing the second time', () => {
    // Prepare
    let s = ok(reserve(newAllocation(1000), 'p1', 600));
    s = ok(pay(s, 'p1', 1, 300));
    // Act
    const once = ok(release(s, 'p1'));
    const twice = ok(release(once, 'p1'));
    // Assess
    expect(once.reservations.p1).toBe(300);
    expect(once.reservedFen).toBe(300);
    expect(once.paidFen).toBe(300);
    expect(availableFen(once)).toBe(700);
    expect(twice).toBe(once);
    expect(paidForProject(twice, 'p1')).toBe(300);
  });

  it('refuses fen that are not whole non-negative numbers', () => {
    // Prepare
    const s = ok(reserve(newAllocation(1000), 'p1', 600));
    // Act
    const codes = [
      setAmount(s, 1000.5),
      reserve(s, 'p2', -1),
      pay(s, 'p1', 1, 0.1),
      pay(s, 'p1', 0, 1),
      changeReservation(s, 'p1', Number.NaN),
    ].map((r) => (isRefusal(r) ? r.code : 'accepted'));
    // Assess
    expect(codes).toEqual(['INVALID_AMOUNT', 'INVALID_AMOUNT', 'INVALID_AMOUNT', 'INVALID_AMOUNT', 'INVALID_AMOUNT']);
  });

  it('reports broken invariants in a state', () => {
    // Prepare
    const broken: AllocationState = {
      amountFen: 100,
      reservedFen: 150,
      paidFen: 160,
      reservations: { p1: 100 },
      payments: { 'p1#1': 120, 'p2#1': 30 },
    };
    // Act
    const v = ledgerViolations(broken);
    // Assess
    expect(v).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/reserved 150 exceeds amount/),
        expect.stringMatching(/paid 160 exceeds reserved/),
        expect.stringMatching(/reservations sum to 100/),
        expect.stringMatching(/payments sum to 150/),
        expect.stringMatching(/p2#1 has no reservation/),
        expect.stringMatching(/p1 paid 120 exceeds/),
      ]),
    );
  });
});

type Op =
  | { kind: 'setAmount'; fen: number }
  | { kind: 'reserve'; p: string; fen: number }
  | { kind: 'pay'; p: string; n: number; fen: number }
  | { kind: 'change'; p: string; fen: number }
  | { kind: 'contract'; p: string; fen: number }
  | { kind: 'release'; p: string };

const projectId = fc.constantFrom('p1', 'p2', 'p3', 'p4');
const small = fc.integer({ min: 0, max: 600 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('setAmount' as const), fen: fc.integer({ min: 0, max: 2000 }) }),
  fc.record({ kind: fc.constant('reserve' as const), p: projectId, fen: small }),
  fc.record({
    kind: fc.constant('pay' as const),
    p: projectId,
    n: fc.integer({ min: 1, max: 3 }),
    fen: fc.integer({ min: 0, max: 300 }),
  }),
  fc.record({ kind: fc.constant('change' as const), p: projectId, fen: small }),
  fc.record({ kind: fc.constant('contract' as const), p: projectId, fen: small }),
  fc.record({ kind: fc.constant('release' as const), p: projectId }),
);

const apply = (s: AllocationState, o: Op): LedgerResult => {
  switch (o.kind) {
    case 'setAmount':
      return setAmount(s, o.fen);
    case 'reserve':
      return reserve(s, o.p, o.fen);
    case 'pay':
      return pay(s, o.p, o.n, o.fen);
    case 'change':
      return changeReservation(s, o.p, o.fen);
    case 'contract':
      return signContract(s, o.p, o.fen);
    case 'release':
      return release(s, o.p);
  }
};

describe('ledger under random operations', () => {
  it('keeps every invariant, leaves state unchanged on refusal, and makes repeats no-ops', () => {
    const accepted: Record<string, number> = {};
    const refused: Record<string, number> = {};
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2000 }), fc.array(op, { maxLength: 40 }), (start, ops) => {
        // Prepare
        let s = deepFreeze(newAllocation(start));
        for (const o of ops) {
          const before = structuredClone(s);
          // Act (frozen states make any in-place mutation throw)
          const r = deepFreeze(apply(s, o));
          // Assess
          expect(s).toEqual(before);
          if (isRefusal(r)) {
            refused[o.kind] = (refused[o.kind] ?? 0) + 1;
            continue;
          }
          accepted[o.kind] = (accepted[o.kind] ?? 0) + 1;
          assertSound(r);
          expect(apply(r, o)).toEqual(r);
          if (o.kind === 'pay') expect(r.paidFen - s.paidFen).toBe(r === s ? 0 : o.fen);
          if (o.kind === 'release') expect(r.paidFen).toBe(s.paidFen);
          if (o.kind === 'reserve' || o.kind === 'change' || o.kind === 'contract')
            expect(r.reservations[o.p]).toBe(o.fen);
          if (o.kind === 'contract') expect(availableFen(r) - availableFen(s)).toBe(s.reservations[o.p] - o.fen);
          s = r;
        }
      }),
      { numRuns: 300 },
    );
    // Guard against a vacuous run in which every operation was refused or never tried.
    for (const k of ['setAmount', 'reserve', 'pay', 'change', 'contract', 'release'])
      expect(accepted[k] ?? 0).toBeGreaterThan(0);
    for (const k of ['setAmount', 'reserve', 'pay', 'change', 'contract']) expect(refused[k] ?? 0).toBeGreaterThan(0);
  });

  it('never lets reservations exceed the allocation however approvals race', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1000 }),
        fc.array(fc.tuple(projectId, small), { maxLength: 10 }),
        (amount, bids) => {
          // Prepare
          let s = newAllocation(amount);
          // Act
          for (const [p, f] of bids) {
            const r = reserve(s, p, f);
            if (!isRefusal(r)) s = r;
          }
          // Assess
          expect(s.reservedFen).toBeLessThanOrEqual(amount);
          assertSound(s);
        },
      ),
    );
  });
});

describe('contracts', () => {
  it('pays a 1-fen contract on a 1,000,000-fen approval 1 fen in all, and gives the rest back at signing', () => {
    // Prepare
    const approved = ok(reserve(newAllocation(2_000_000), 'p1', 1_000_000));
    const terms = contractTerms(1, 1_000_000);
    // Act
    let s = ok(signContract(approved, 'p1', terms.reservedFen));
    terms.tranches.forEach((fen, i) => (s = ok(pay(s, 'p1', i + 1, fen))));
    const beyond = pay(s, 'p1', 4, 1);
    // Assess
    expect(terms).toEqual({ tranches: [0, 0, 1], reservedFen: 1, releasedFen: 999_999 });
    expect(paidForProject(s, 'p1')).toBe(1);
    expect(availableFen(s)).toBe(2_000_000 - 1);
    expect(beyond).toEqual({ code: 'OVERPAY', unpaidFen: 0 });
    assertSound(s);
  });

  it('refuses a contract above the approved amount (it is a change) and on the ledger above the reservation', () => {
    // Prepare
    const s = ok(reserve(newAllocation(1000), 'p1', 600));
    // Act
    const code = codeOf(() => contractTerms(601, 600));
    const ledger = signContract(s, 'p1', 601);
    const unreserved = signContract(s, 'p2', 1);
    // Assess
    expect(code).toBe('ABOVE_APPROVED');
    expect(ledger).toEqual({ code: 'ABOVE_RESERVED', reservedFen: 600 });
    expect(unreserved).toEqual({ code: 'NOT_RESERVED' });
  });

  it('never pays more than the contract, whatever the approval, the contract and the split, and the allocation always reconciles', () => {
    const input = fc
      .tuple(fen, fen, split)
      .map(([a, b, weights]) => ({ approved: Math.max(a, b), contract: Math.min(a, b), weights }));
    fc.assert(
      fc.property(input, fc.integer({ min: 0, max: 10_000_000_000 }), ({ approved, contract, weights }, spare) => {
        // Prepare
        const start = ok(reserve(newAllocation(approved + spare), 'p1', approved));
        // Act
        const terms = contractTerms(contract, approved, weights);
        let s = ok(signContract(start, 'p1', terms.reservedFen));
        terms.tranches.forEach((f, i) => (s = ok(pay(s, 'p1', i + 1, f))));
        const oneMore = pay(s, 'p1', weights.length + 1, 1);
        // Tranches split from the approved amount instead would overpay as soon as they exceed the contract.
        const approvedTranches = splitTranches(approved, weights);
        let naive: LedgerResult = ok(signContract(start, 'p1', contract));
        for (const [i, f] of approvedTranches.entries()) if (!isRefusal(naive)) naive = pay(naive, 'p1', i + 1, f);
        // Assess
        expect(total(terms.tranches)).toBe(contract);
        expect(terms.releasedFen).toBe(approved - contract);
        expect(paidForProject(s, 'p1')).toBe(contract);
        expect(s.paidFen).toBeLessThanOrEqual(contract);
        expect(availableFen(s)).toBe(spare + approved - contract);
        expect(isRefusal(oneMore)).toBe(true);
        if (approved > contract) expect(isRefusal(naive)).toBe(true);
        assertSound(s);
      }),
    );
  });
});

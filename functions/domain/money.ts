/**
 * Money as pure rules: tranche splits, funder splits, display, and which fund a project
 * draws on. The allocation ledger is in ledger.ts. Everything is integer
 * fen (1 yuan = 100 fen) so no sum ever drifts by a rounding error.
 */

/** The default Guandu split: 50% at start, 30% mid-term, 20% at the end. */
export const DEFAULT_TRANCHE_SPLIT: readonly number[] = [5, 3, 2];

export type MoneyErrorCode = 'INVALID_AMOUNT' | 'INVALID_SPLIT' | 'BELOW_PAID' | 'NO_UNPAID_TRANCHE' | 'ABOVE_APPROVED';

/** A programming or input error in a money computation; `code` lets callers map it to a response. */
export class MoneyError extends Error {
  constructor(
    readonly code: MoneyErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'MoneyError';
  }
}

const isFen = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

const assertFen = (n: number, what: string): void => {
  if (!isFen(n)) throw new MoneyError('INVALID_AMOUNT', `${what} must be a non-negative whole number of fen, got ${n}`);
};

const assertWeights = (weights: readonly number[], what: string): void => {
  if (weights.length === 0) throw new MoneyError('INVALID_SPLIT', `${what} must have at least one part`);
  if (!weights.every(isFen)) throw new MoneyError('INVALID_SPLIT', `${what} parts must be non-negative whole numbers`);
  if (weights.every((w) => w === 0)) throw new MoneyError('INVALID_SPLIT', `${what} must have a positive total`);
};

// BigInt keeps amount × weight exact even for pooled district budgets far beyond 2^53 / weight.
const splitByWeights = (amountFen: number, weights: readonly number[]): number[] => {
  const total = BigInt(weights.reduce((a, b) => a + b, 0));
  const amount = BigInt(amountFen);
  const parts = weights.map((w) => Number((amount * BigInt(w)) / total));
  const allButLast = parts.slice(0, -1).reduce((a, b) => a + b, 0);
  parts[parts.length - 1] = amountFen - allButLast;
  return parts;
};

/**
 * Splits an amount into tranches by the profile's ratio. Each tranche but the last is
 * floor(amount × weight / total); the last takes whatever is left, so the parts always
 * sum to the amount exactly.
 *
 * @param amountFen - the project's fund share, in fen
 * @param split - the ratio, e.g. `[5, 3, 2]`; whole non-negative numbers with a positive total
 * @throws MoneyError `INVALID_AMOUNT` or `INVALID_SPLIT`
 */
export function splitTranches(amountFen: number, split: readonly number[] = DEFAULT_TRANCHE_SPLIT): number[] {
  assertFen(amountFen, 'amountFen');
  assertWeights(split, 'tranche split');
  return splitByWeights(amountFen, split);
}

/**
 * Recomputes the tranches after an approved change of a project's amount. Money already
 * paid cannot be taken back, so paid tranches keep their amounts and only the rest is
 * spread over the unpaid tranches, in proportion to their own weights, remainder last.
 *
 * @param newAmountFen - the approved new fund share
 * @param split - the profile's ratio the project was approved under
 * @param paid - amounts of the tranches already paid, in tranche order
 * @returns all tranches, paid ones first and unchanged
 * @throws MoneyError `BELOW_PAID` when the new amount is less than what was paid;
 *   `NO_UNPAID_TRANCHE` when every tranche is paid and the amount still changes
 */
export function recomputeUnpaidTranches(
  newAmountFen: number,
  split: readonly number[],
  paid: readonly number[],
): number[] {
  assertFen(newAmountFen, 'newAmountFen');
  assertWeights(split, 'tranche split');
  if (paid.length > split.length) {
    throw new MoneyError('INVALID_SPLIT', `${paid.length} tranches paid but the split has only ${split.length}`);
  }
  paid.forEach((p, i) => assertFen(p, `paid tranche ${i + 1}`));
  const paidSum = paid.reduce((a, b) => a + b, 0);
  if (newAmountFen < paidSum) {
    throw new MoneyError('BELOW_PAID', `the new amount ${newAmountFen} fen is below the ${paidSum} fen already paid`);
  }
  const remaining = newAmountFen - paidSum;
  const unpaidWeights = split.slice(paid.length);
  if (unpaidWeights.length === 0) {
    if (remaining === 0) return [...paid];
    throw new MoneyError('NO_UNPAID_TRANCHE', 'every tranche is already paid; the amount can no longer change');
  }
  // A split like [1, 0] leaves unpaid tranches with no weight; the money still has to land somewhere.
  const rest = unpaidWeights.every((w) => w === 0)
    ? [...unpaidWeights.slice(0, -1).map(() => 0), remaining]
    : splitByWeights(remaining, unpaidWeights);
  return [...paid, ...rest];
}

/** What signing a contract does to a project's money. */
export interface ContractTerms {
  /** The tranches the fund pays, split from the contract amount by the profile's ratio. */
  readonly tranches: number[];
  /** What the project keeps reserved from now on: the contract amount. */
  readonly reservedFen: number;
  /** The part of the approved amount that the contract does not need; it goes back to the allocation. */
  readonly releasedFen: number;
}

/**
 * The money rule of a signed contract (Guandu: the contract is signed after publicity,
 * before implementation). The street approved an amount as a ceiling; the undertaker is
 * paid what the contract says, so the tranches are split from the contract amount and
 * the approved money the contract does not need is released to the allocation at once
 * (it is surplus, 结余, and would otherwise only come back at year end). A contract above
 * the approved amount is a change of the project's money and needs the district's
 * approval first (a change request).
 *
 * @param contractFen - the fund's share in the signed contract
 * @param approvedFen - what the project holds: its approved (or since changed) amount
 * @param split - the profile's tranche ratio
 * @throws MoneyError `INVALID_AMOUNT`, `INVALID_SPLIT`, or `ABOVE_APPROVED` when the contract exceeds the approved amount
 */
export function contractTerms(
  contractFen: number,
  approvedFen: number,
  split: readonly number[] = DEFAULT_TRANCHE_SPLIT,
): ContractTerms {
  assertFen(contractFen, 'contractFen');
  assertFen(approvedFen, 'approvedFen');
  if (contractFen > approvedFen) {
    throw new MoneyError(
      'ABOVE_APPROVED',
      `the contract's ${contractFen} fen exceed the approved ${approvedFen} fen; ask for a change first`,
    );
  }
  return {
    tranches: splitTranches(contractFen, split),
    reservedFen: contractFen,
    releasedFen: approvedFen - contractFen,
  };
}

/**
 * Formats fen as yuan for notices and reports: `1234567` → `"12,345.67"`.
 *
 * @throws MoneyError `INVALID_AMOUNT` for a value that is not a whole number of fen
 */
export function yuan(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new MoneyError('INVALID_AMOUNT', `not a whole number of fen: ${fen}`);
  const abs = Math.abs(fen);
  const whole = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = (abs % 100).toString().padStart(2, '0');
  return `${fen < 0 ? '-' : ''}${whole}.${cents}`;
}

/**
 * Checks that an allocation's funding sources add up to it.
 *
 * @returns null when they do, otherwise a message fit for a 422 response
 */
export function sourcesSumTo(
  amountFen: number,
  sources: readonly { funder: string; amountFen: number }[],
): string | null {
  if (!isFen(amountFen)) return `amountFen must be a non-negative whole number of fen`;
  const seen = new Set<string>();
  for (const s of sources) {
    if (typeof s.funder !== 'string' || s.funder.trim() === '') return 'every source needs a funder';
    if (seen.has(s.funder)) return `funder ${s.funder} appears more than once`;
    seen.add(s.funder);
    if (!isFen(s.amountFen)) return `source ${s.funder} must be a non-negative whole number of fen`;
  }
  const sum = sources.reduce((a, s) => a + s.amountFen, 0);
  if (sum !== amountFen)
    return `sources sum to ${sum} fen (${yuan(sum)} yuan), not the allocation's ${amountFen} fen (${yuan(amountFen)} yuan)`;
  return null;
}

/**
 * Splits an allocation between its funders by their percentage shares (Liuzhou and
 * Qiaoxi: city and district 50/50), remainder on the last funder.
 *
 * @param funders - whole-number percentages that total exactly 100
 * @throws MoneyError `INVALID_AMOUNT` or `INVALID_SPLIT`
 */
export function splitBySources(
  amountFen: number,
  funders: readonly { id: string; sharePercent: number }[],
): { funder: string; amountFen: number }[] {
  assertFen(amountFen, 'amountFen');
  const shares = funders.map((f) => f.sharePercent);
  assertWeights(shares, 'funder shares');
  // Shares that miss 100 would be silently rescaled by a weight split, hiding a bad profile.
  const total = shares.reduce((a, b) => a + b, 0);
  if (total !== 100) throw new MoneyError('INVALID_SPLIT', `funder shares total ${total}%, not 100%`);
  const parts = splitByWeights(amountFen, shares);
  return funders.map((f, i) => ({ funder: f.id, amountFen: parts[i] }));
}

/** The district pool of a competitive profile is kept as one allocation with this id. */
export const POOL_ID = 'POOL';

/** The fund a project draws on: its community's allocation, or the district pool. */
export const fundFor = (
  mode: string,
  p: { readonly year: number; readonly streetId: string; readonly communityId: string },
): { year: number; streetId: string; communityId: string } =>
  mode === 'district_pool'
    ? { year: p.year, streetId: 'DISTRICT', communityId: POOL_ID }
    : { year: p.year, streetId: p.streetId, communityId: p.communityId };

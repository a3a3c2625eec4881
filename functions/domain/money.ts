/**
 * Money as pure rules: tranche splits, funder splits, display, and the allocation
 * ledger that the store layer mirrors with conditional writes. Everything is integer
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

/**
 * The overpay rule of a stage payment: a project is never paid more than it holds. The
 * ledger is the truth about what was paid; the project's own record counts too, so a
 * payment whose ledger write has landed but not its project write is not paid twice.
 *
 * @returns undefined when the payment fits, else what it would exceed
 */
export const overpay = (
  ledger: { reservedFen: number; paidFen: number },
  projectPaidFen: number,
  fen: number,
): { reservedFen: number; paidFen: number } | undefined => {
  const paidSoFar = Math.max(ledger.paidFen, projectPaidFen);
  return paidSoFar + fen > ledger.reservedFen ? { reservedFen: ledger.reservedFen, paidFen: paidSoFar } : undefined;
};

// ---------------------------------------------------------------------------------
// The allocation ledger
// ---------------------------------------------------------------------------------

/**
 * One community's allocation for one year. `reservedFen` counts every reservation in
 * full, its paid part included, so `amountFen = availableFen + reservedFen` and
 * `paidFen <= reservedFen` always hold.
 */
export interface AllocationState {
  readonly amountFen: number;
  readonly reservedFen: number;
  readonly paidFen: number;
  /** projectId → fen held for that project (paid part included). */
  readonly reservations: Readonly<Record<string, number>>;
  /** `projectId#n` → fen paid for tranche n. */
  readonly payments: Readonly<Record<string, number>>;
}

/** Why a ledger transition was refused; a refusal never changes the state. */
export type LedgerRefusal =
  | { readonly code: 'INVALID_AMOUNT'; readonly message: string }
  | { readonly code: 'INSUFFICIENT_FUNDS'; readonly availableFen: number }
  | { readonly code: 'ALREADY_RESERVED'; readonly reservedFen: number }
  | { readonly code: 'NOT_RESERVED' }
  | { readonly code: 'BELOW_RESERVED'; readonly reservedFen: number }
  | { readonly code: 'ABOVE_RESERVED'; readonly reservedFen: number }
  | { readonly code: 'BELOW_PAID'; readonly paidFen: number }
  | { readonly code: 'OVERPAY'; readonly unpaidFen: number }
  | { readonly code: 'ALREADY_PAID'; readonly paidFen: number };

export type LedgerCode = LedgerRefusal['code'];

/** A transition's outcome: the next state (possibly the same object, for a repeat) or a refusal. */
export type LedgerResult = AllocationState | LedgerRefusal;

/** Narrows a transition's outcome to a refusal. */
export function isRefusal(r: LedgerResult): r is LedgerRefusal {
  return 'code' in r;
}

/** A fresh allocation with nothing reserved or paid. */
export function newAllocation(amountFen = 0): AllocationState {
  assertFen(amountFen, 'amountFen');
  return { amountFen, reservedFen: 0, paidFen: 0, reservations: {}, payments: {} };
}

/** Money that no project holds yet. */
export function availableFen(s: AllocationState): number {
  return s.amountFen - s.reservedFen;
}

/** The ledger key of a tranche payment. */
export function paymentKey(projectId: string, n: number): string {
  return `${projectId}#${n}`;
}

/** Total paid so far for one project, over all its tranches. */
export function paidForProject(s: AllocationState, projectId: string): number {
  let sum = 0;
  for (const [key, fen] of Object.entries(s.payments)) {
    // lastIndexOf: a project id may itself contain '#', the tranche number never does.
    if (key.slice(0, key.lastIndexOf('#')) === projectId) sum += fen;
  }
  return sum;
}

const badFen = (n: number, what: string): LedgerRefusal | null =>
  isFen(n) ? null : { code: 'INVALID_AMOUNT', message: `${what} must be a non-negative whole number of fen, got ${n}` };

const has = (o: Readonly<Record<string, number>>, k: string): boolean => Object.hasOwn(o, k);

/**
 * Sets the allocation's amount (the district may revise it during the year).
 * Refused with `BELOW_RESERVED` when projects already hold more than the new amount.
 */
export function setAmount(s: AllocationState, amountFen: number): LedgerResult {
  const bad = badFen(amountFen, 'amountFen');
  if (bad) return bad;
  if (amountFen < s.reservedFen) return { code: 'BELOW_RESERVED', reservedFen: s.reservedFen };
  if (amountFen === s.amountFen) return s;
  return { ...s, amountFen };
}

/**
 * Reserves a project's amount at approval. A retry with the same amount returns the
 * state unchanged; a different amount for a project that already holds money is refused,
 * because amounts change only through `changeReservation`.
 */
export function reserve(s: AllocationState, projectId: string, fen: number): LedgerResult {
  const bad = badFen(fen, 'fen');
  if (bad) return bad;
  if (has(s.reservations, projectId)) {
    const held = s.reservations[projectId];
    return held === fen ? s : { code: 'ALREADY_RESERVED', reservedFen: held };
  }
  if (fen > availableFen(s)) return { code: 'INSUFFICIENT_FUNDS', availableFen: availableFen(s) };
  return { ...s, reservedFen: s.reservedFen + fen, reservations: { ...s.reservations, [projectId]: fen } };
}

/**
 * Pays tranche `n` of a project from its reservation. Retrying the same tranche with
 * the same amount returns the state unchanged; a different amount is `ALREADY_PAID`.
 * A project is never paid more than it holds (`OVERPAY`).
 */
export function pay(s: AllocationState, projectId: string, n: number, fen: number): LedgerResult {
  const bad = badFen(fen, 'fen');
  if (bad) return bad;
  if (!Number.isSafeInteger(n) || n < 1)
    return { code: 'INVALID_AMOUNT', message: `tranche number must be 1 or more, got ${n}` };
  if (!has(s.reservations, projectId)) return { code: 'NOT_RESERVED' };
  const key = paymentKey(projectId, n);
  if (has(s.payments, key)) return s.payments[key] === fen ? s : { code: 'ALREADY_PAID', paidFen: s.payments[key] };
  const unpaid = s.reservations[projectId] - paidForProject(s, projectId);
  if (fen > unpaid) return { code: 'OVERPAY', unpaidFen: unpaid };
  return { ...s, paidFen: s.paidFen + fen, payments: { ...s.payments, [key]: fen } };
}

/**
 * Applies an approved change of a project's amount. An increase must fit the available
 * money; a decrease frees money; the reservation never drops below what was paid.
 */
export function changeReservation(s: AllocationState, projectId: string, newFen: number): LedgerResult {
  const bad = badFen(newFen, 'newFen');
  if (bad) return bad;
  if (!has(s.reservations, projectId)) return { code: 'NOT_RESERVED' };
  const held = s.reservations[projectId];
  if (newFen === held) return s;
  const paid = paidForProject(s, projectId);
  if (newFen < paid) return { code: 'BELOW_PAID', paidFen: paid };
  const delta = newFen - held;
  if (delta > availableFen(s)) return { code: 'INSUFFICIENT_FUNDS', availableFen: availableFen(s) };
  return { ...s, reservedFen: s.reservedFen + delta, reservations: { ...s.reservations, [projectId]: newFen } };
}

/**
 * Signs a contract on the ledger: the project's reservation drops to the contract
 * amount and the rest becomes available again. A contract can only lower what a
 * project holds (`ABOVE_RESERVED`: raising it is a change request) and never below
 * what was paid. Signing the same amount again changes nothing.
 */
export function signContract(s: AllocationState, projectId: string, contractFen: number): LedgerResult {
  const bad = badFen(contractFen, 'contractFen');
  if (bad) return bad;
  if (!has(s.reservations, projectId)) return { code: 'NOT_RESERVED' };
  const held = s.reservations[projectId];
  if (contractFen > held) return { code: 'ABOVE_RESERVED', reservedFen: held };
  return changeReservation(s, projectId, contractFen);
}

/**
 * Releases what a cancelled or failed project holds but has not been paid. The paid
 * part stays reserved, because that money is spent and must still count against the
 * allocation. Releasing twice, or a project that holds nothing, changes nothing.
 */
export function release(s: AllocationState, projectId: string): LedgerResult {
  if (!has(s.reservations, projectId)) return s;
  const paid = paidForProject(s, projectId);
  const held = s.reservations[projectId];
  if (held === paid) return s;
  return { ...s, reservedFen: s.reservedFen - (held - paid), reservations: { ...s.reservations, [projectId]: paid } };
}

/**
 * Lists every broken ledger invariant; empty for a sound state. Used by tests and as a
 * guard before the store writes a state it computed.
 */
export function ledgerViolations(s: AllocationState): string[] {
  const out: string[] = [];
  const fields: [string, number][] = [
    ['amountFen', s.amountFen],
    ['reservedFen', s.reservedFen],
    ['paidFen', s.paidFen],
  ];
  for (const [name, v] of fields) if (!isFen(v)) out.push(`${name} is not a non-negative whole number: ${v}`);
  if (s.reservedFen > s.amountFen) out.push(`reserved ${s.reservedFen} exceeds amount ${s.amountFen}`);
  if (s.paidFen > s.reservedFen) out.push(`paid ${s.paidFen} exceeds reserved ${s.reservedFen}`);
  const reservedSum = Object.values(s.reservations).reduce((a, b) => a + b, 0);
  if (reservedSum !== s.reservedFen) out.push(`reservations sum to ${reservedSum}, not reservedFen ${s.reservedFen}`);
  const paidSum = Object.values(s.payments).reduce((a, b) => a + b, 0);
  if (paidSum !== s.paidFen) out.push(`payments sum to ${paidSum}, not paidFen ${s.paidFen}`);
  for (const key of Object.keys(s.payments)) {
    const projectId = key.slice(0, key.lastIndexOf('#'));
    if (!has(s.reservations, projectId)) out.push(`payment ${key} has no reservation`);
  }
  for (const [projectId, held] of Object.entries(s.reservations)) {
    const paid = paidForProject(s, projectId);
    if (paid > held) out.push(`project ${projectId} paid ${paid} exceeds its reservation ${held}`);
  }
  return out;
}

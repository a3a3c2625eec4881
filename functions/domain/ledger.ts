/*
 * The allocation ledger: one community's (or the district pool's) money for one year.
 * Every change is a LedgerWrite: guards that must hold and the amounts it moves, decided
 * here from the command alone. The store executes a write as one conditional update of
 * the allocation item (store/allocations.ts translates each guard into a condition and
 * changes nothing else); applyLedgerWrite is the same write on a state in memory, which
 * is what the property tests run. When a write is refused, the explain functions below
 * read the state as it is and say whether it was this very write, done before (a retry
 * after a crash: success), or why not; the store calls the same functions.
 */

const isFen = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

/**
 * One allocation. `reservedFen` counts every reservation in full, its paid part
 * included, so `amountFen = availableFen + reservedFen` and `paidFen <= reservedFen`
 * always hold.
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

/** What must hold for a write to apply; each is one condition of the store's update. */
export type LedgerGuard =
  | { readonly kind: 'exists' }
  | { readonly kind: 'noReservation'; readonly projectId: string }
  | { readonly kind: 'hasReservation'; readonly projectId: string }
  | { readonly kind: 'reservationIs'; readonly projectId: string; readonly fen: number }
  | { readonly kind: 'noPayment'; readonly key: string }
  | { readonly kind: 'availableAtLeast'; readonly fen: number }
  | { readonly kind: 'reservedAtMost'; readonly fen: number };

/** One guarded change of an allocation, applied whole or not at all. */
export interface LedgerWrite {
  readonly guards: readonly LedgerGuard[];
  /** Added to reservedFen and taken from availableFen. */
  readonly reservedDelta?: number;
  /** Added to paidFen. */
  readonly paidDelta?: number;
  /** The project's reservation afterwards. */
  readonly reservation?: { readonly projectId: string; readonly fen: number };
  /** A tranche payment recorded. */
  readonly payment?: { readonly key: string; readonly fen: number };
  /** The allocation's new amount (availableFen becomes amount − reserved). */
  readonly amountFen?: number;
}

/** Why a ledger transition was refused; a refusal never changes the state. */
export type LedgerRefusal =
  | { readonly code: 'INVALID_AMOUNT'; readonly message: string }
  | { readonly code: 'NO_ALLOCATION' }
  | { readonly code: 'INSUFFICIENT_FUNDS'; readonly availableFen: number }
  | { readonly code: 'ALREADY_RESERVED'; readonly reservedFen: number }
  | { readonly code: 'NOT_RESERVED' }
  | { readonly code: 'BELOW_RESERVED'; readonly reservedFen: number }
  | { readonly code: 'ABOVE_RESERVED'; readonly reservedFen: number }
  | { readonly code: 'BELOW_PAID'; readonly paidFen: number }
  | { readonly code: 'OVERPAY'; readonly unpaidFen: number }
  | { readonly code: 'ALREADY_PAID'; readonly paidFen: number }
  | { readonly code: 'CHANGED'; readonly reservedFen: number | undefined };

export type LedgerCode = LedgerRefusal['code'];

/** A transition's outcome: the next state (possibly the same object, for a repeat) or a refusal. */
export type LedgerResult = AllocationState | LedgerRefusal;

/** What a refused write comes to once the state is read: done already (a retry), or refused. */
export type Explained = 'done' | LedgerRefusal;

/** Narrows a transition's outcome to a refusal. */
export function isRefusal(r: LedgerResult): r is LedgerRefusal {
  return 'code' in r;
}

/** A fresh allocation with nothing reserved or paid. */
export function newAllocation(amountFen = 0): AllocationState {
  if (!isFen(amountFen)) throw new RangeError(`amountFen must be a non-negative whole number of fen, got ${amountFen}`);
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
export function paidForProject(s: Pick<AllocationState, 'payments'>, projectId: string): number {
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

// ---------------------------------------------------------------------------------
// The writes, decided from the command alone
// ---------------------------------------------------------------------------------

/** Reserves a project's amount at approval: only once per project, only from available money. */
export function reserveWrite(projectId: string, fen: number): LedgerWrite | LedgerRefusal {
  return (
    badFen(fen, 'fen') ?? {
      guards: [{ kind: 'exists' }, { kind: 'noReservation', projectId }, { kind: 'availableAtLeast', fen }],
      reservedDelta: fen,
      reservation: { projectId, fen },
    }
  );
}

/** Pays tranche n from the project's reservation: once per tranche, only for a project that holds money. */
export function payWrite(projectId: string, n: number, fen: number): LedgerWrite | LedgerRefusal {
  const bad = badFen(fen, 'fen');
  if (bad) return bad;
  if (!Number.isSafeInteger(n) || n < 1)
    return { code: 'INVALID_AMOUNT', message: `tranche number must be 1 or more, got ${n}` };
  const key = paymentKey(projectId, n);
  return {
    guards: [
      { kind: 'hasReservation', projectId },
      { kind: 'noPayment', key },
    ],
    paidDelta: fen,
    payment: { key, fen },
  };
}

/**
 * Moves a project's reservation from the amount it holds to another (a contract, an
 * approved change, a release): only from that very amount, and an increase only from
 * available money.
 */
export function moveReservationWrite(projectId: string, fromFen: number, toFen: number): LedgerWrite | LedgerRefusal {
  const bad = badFen(toFen, 'newFen') ?? badFen(fromFen, 'fromFen');
  if (bad) return bad;
  const delta = toFen - fromFen;
  return {
    guards: [
      { kind: 'reservationIs', projectId, fen: fromFen },
      ...(delta > 0 ? [{ kind: 'availableAtLeast' as const, fen: delta }] : []),
    ],
    reservedDelta: delta,
    reservation: { projectId, fen: toFen },
  };
}

/** Sets the allocation's amount: never below what projects already hold. */
export function setAmountWrite(amountFen: number): LedgerWrite | LedgerRefusal {
  return (
    badFen(amountFen, 'amountFen') ?? {
      guards: [{ kind: 'exists' }, { kind: 'reservedAtMost', fen: amountFen }],
      amountFen,
    }
  );
}

/**
 * What releasing a project's unpaid money writes, given the state read: undefined when
 * it holds nothing unpaid. The paid part stays reserved: that money is spent.
 */
export function releaseWrite(s: AllocationState | undefined, projectId: string): LedgerWrite | undefined {
  const held = s?.reservations[projectId];
  if (!s || held === undefined) return undefined;
  const paid = paidForProject(s, projectId);
  if (held === paid) return undefined;
  return moveReservationWrite(projectId, held, paid) as LedgerWrite;
}

// ---------------------------------------------------------------------------------
// The same write on a state in memory
// ---------------------------------------------------------------------------------

/** Whether a guard holds on a state (undefined: the allocation does not exist). */
export function guardHolds(s: AllocationState | undefined, g: LedgerGuard): boolean {
  if (!s) return false;
  switch (g.kind) {
    case 'exists':
      return true;
    case 'noReservation':
      return !has(s.reservations, g.projectId);
    case 'hasReservation':
      return has(s.reservations, g.projectId);
    case 'reservationIs':
      return has(s.reservations, g.projectId) && s.reservations[g.projectId] === g.fen;
    case 'noPayment':
      return !has(s.payments, g.key);
    case 'availableAtLeast':
      return availableFen(s) >= g.fen;
    case 'reservedAtMost':
      return s.reservedFen <= g.fen;
  }
}

/** Applies a write as the store's conditional update does: the next state, or undefined when a guard fails. */
export function applyLedgerWrite(s: AllocationState | undefined, w: LedgerWrite): AllocationState | undefined {
  if (!s || !w.guards.every((g) => guardHolds(s, g))) return undefined;
  return {
    amountFen: w.amountFen ?? s.amountFen,
    reservedFen: s.reservedFen + (w.reservedDelta ?? 0),
    paidFen: s.paidFen + (w.paidDelta ?? 0),
    reservations: w.reservation ? { ...s.reservations, [w.reservation.projectId]: w.reservation.fen } : s.reservations,
    payments: w.payment ? { ...s.payments, [w.payment.key]: w.payment.fen } : s.payments,
  };
}

// ---------------------------------------------------------------------------------
// Why a write was refused, read from the state as it is
// ---------------------------------------------------------------------------------

/** A refused reservation: this one done before, or the money is not there. */
export function explainReserve(s: AllocationState | undefined, projectId: string, fen: number): Explained {
  if (!s) return { code: 'NO_ALLOCATION' };
  if (has(s.reservations, projectId)) {
    const held = s.reservations[projectId];
    return held === fen ? 'done' : { code: 'ALREADY_RESERVED', reservedFen: held };
  }
  return { code: 'INSUFFICIENT_FUNDS', availableFen: availableFen(s) };
}

/** A refused payment: this one done before, or the tranche was paid another amount, or nothing is held. */
export function explainPay(s: AllocationState | undefined, projectId: string, n: number, fen: number): Explained {
  if (!s || !has(s.reservations, projectId)) return { code: 'NOT_RESERVED' };
  const paid = s.payments[paymentKey(projectId, n)];
  return paid === fen ? 'done' : { code: 'ALREADY_PAID', paidFen: paid };
}

/** A refused move of a reservation: this one done before, nothing held, another amount held, or no money for the increase. */
export function explainMove(
  s: AllocationState | undefined,
  projectId: string,
  fromFen: number,
  toFen: number,
): Explained {
  if (!s) return { code: 'NO_ALLOCATION' };
  if (!has(s.reservations, projectId)) return { code: 'NOT_RESERVED' };
  const held = s.reservations[projectId];
  if (held === toFen) return 'done';
  if (held !== fromFen) return { code: 'CHANGED', reservedFen: held };
  return { code: 'INSUFFICIENT_FUNDS', availableFen: availableFen(s) };
}

// ---------------------------------------------------------------------------------
// The transitions on a state: the write, applied, or the refusal explained
// ---------------------------------------------------------------------------------

const run = (
  s: AllocationState,
  w: LedgerWrite | LedgerRefusal,
  explain: (s: AllocationState) => Explained,
): LedgerResult => {
  if ('code' in w) return w;
  const next = applyLedgerWrite(s, w);
  if (next) return next;
  const why = explain(s);
  return why === 'done' ? s : why;
};

/**
 * Sets the allocation's amount (the district may revise it during the year).
 * Refused with `BELOW_RESERVED` when projects already hold more than the new amount.
 */
export function setAmount(s: AllocationState, amountFen: number): LedgerResult {
  if (amountFen === s.amountFen) return s;
  return run(s, setAmountWrite(amountFen), () => ({ code: 'BELOW_RESERVED', reservedFen: s.reservedFen }));
}

/**
 * Reserves a project's amount at approval. A retry with the same amount returns the
 * state unchanged; a different amount for a project that already holds money is refused,
 * because amounts change only through `changeReservation`.
 */
export function reserve(s: AllocationState, projectId: string, fen: number): LedgerResult {
  return run(s, reserveWrite(projectId, fen), (st) => explainReserve(st, projectId, fen));
}

/**
 * The overpay rule of a stage payment: a project is never paid more than it holds. The
 * ledger is the truth about what was paid; the project's own record counts too, so a
 * payment whose ledger write has landed but not its project write is not paid twice.
 * The acceptance decision checks it before the payment is written (the payment itself is
 * serialised per project by the operation on the project item).
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

/**
 * Pays tranche `n` of a project from its reservation, as an accepted stage does: the
 * overpay rule first, then the payment's write. Retrying the same tranche with the same
 * amount returns the state unchanged; a different amount is `ALREADY_PAID`.
 */
export function pay(s: AllocationState, projectId: string, n: number, fen: number): LedgerResult {
  const w = payWrite(projectId, n, fen);
  if ('code' in w) return w;
  if (!has(s.reservations, projectId)) return { code: 'NOT_RESERVED' };
  const key = paymentKey(projectId, n);
  if (!has(s.payments, key)) {
    const paid = paidForProject(s, projectId);
    const over = overpay({ reservedFen: s.reservations[projectId], paidFen: paid }, paid, fen);
    if (over) return { code: 'OVERPAY', unpaidFen: over.reservedFen - over.paidFen };
  }
  return run(s, w, (st) => explainPay(st, projectId, n, fen));
}

/**
 * Applies an approved change of a project's amount. An increase must fit the available
 * money; a decrease frees money; the reservation never drops below what was paid (the
 * change decision refuses that through recomputeUnpaidTranches, BELOW_PAID).
 */
export function changeReservation(s: AllocationState, projectId: string, newFen: number): LedgerResult {
  const bad = badFen(newFen, 'newFen');
  if (bad) return bad;
  if (!has(s.reservations, projectId)) return { code: 'NOT_RESERVED' };
  const held = s.reservations[projectId];
  if (newFen === held) return s;
  const paid = paidForProject(s, projectId);
  if (newFen < paid) return { code: 'BELOW_PAID', paidFen: paid };
  return run(s, moveReservationWrite(projectId, held, newFen), (st) => explainMove(st, projectId, held, newFen));
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
 * Releases what a cancelled or failed project holds but has not been paid. Releasing
 * twice, or a project that holds nothing, changes nothing.
 */
export function release(s: AllocationState, projectId: string): LedgerResult {
  const w = releaseWrite(s, projectId);
  return w ? (applyLedgerWrite(s, w) ?? s) : s;
}

/**
 * Lists every broken ledger invariant; empty for a sound state. Used by tests and the
 * crash tests' checks of the stored allocations.
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

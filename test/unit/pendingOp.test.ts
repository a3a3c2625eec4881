import { describe, expect, it } from 'vitest';
import {
  RECORDED_RECHECK_MS,
  mayRecordFirst,
  recheckRecorded,
  stepsInLedger,
} from '../../functions/domain/pendingOp.ts';

describe('record-first operations', () => {
  it('are only payments: a step that may be refused keeps its intent first', () => {
    // Prepare
    const pay = { kind: 'pay', n: 1, fen: 50_000 } as const;
    const reserve = { kind: 'reserve', fen: 100_000 } as const;

    // Act
    const verdicts = [
      mayRecordFirst([pay]),
      mayRecordFirst([reserve]),
      mayRecordFirst([pay, reserve]),
      mayRecordFirst([]),
    ];

    // Assess
    expect(verdicts).toEqual([true, false, false, false]);
  });

  it('are done when the ledger holds each payment with its amount', () => {
    // Prepare
    const op = { steps: [{ kind: 'pay', n: 2, fen: 30_000 }] as const };

    // Act
    const paid = stepsInLedger(op, 'P1', { payments: { 'P1#2': 30_000 } });
    const otherAmount = stepsInLedger(op, 'P1', { payments: { 'P1#2': 20_000 } });
    const otherTranche = stepsInLedger(op, 'P1', { payments: { 'P1#1': 30_000 } });
    const noLedger = stepsInLedger(op, 'P1', undefined);

    // Assess
    expect([paid, otherAmount, otherTranche, noLedger]).toEqual([true, false, false, false]);
  });

  it('are checked by the daily pass for three days after they started, then left to their deadline', () => {
    // Prepare
    const started = '2025-05-01T00:00:00.000Z';
    const at = Date.parse(started);

    // Act
    const during = recheckRecorded(started, at);
    const lastDay = recheckRecorded(started, at + RECORDED_RECHECK_MS - 1);
    const after = recheckRecorded(started, at + RECORDED_RECHECK_MS);

    // Assess
    expect(RECORDED_RECHECK_MS).toBe(3 * 86_400_000);
    expect([during, lastDay, after]).toEqual([true, true, false]);
  });
});

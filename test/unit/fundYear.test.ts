import { describe, expect, it } from 'vitest';
import { fundYearOf } from '../../functions/domain/fundYear.ts';

/*
 * The fund year is the Shanghai calendar year. The two instants are the ones where a UTC
 * year, a "+8 h" year and a Shanghai day could disagree around 1 January.
 */
describe('fundYearOf', () => {
  it('keeps 2025-12-31T23:30+08:00 in 2025, half an hour before the Shanghai new year', () => {
    // Prepare
    const instant = new Date('2025-12-31T23:30:00+08:00');
    // Act
    const year = fundYearOf(instant);
    // Assess
    expect(year).toBe(2025);
  });

  it('puts 2026-01-01T07:00+08:00 in 2026, although UTC is still on 31 December 2025', () => {
    // Prepare
    const instant = new Date('2026-01-01T07:00:00+08:00');
    // Act
    const year = fundYearOf(instant);
    // Assess
    expect(instant.toISOString().slice(0, 4)).toBe('2025');
    expect(year).toBe(2026);
  });

  it('turns at Shanghai midnight exactly', () => {
    // Act
    const before = fundYearOf(new Date('2025-12-31T23:59:59.999+08:00'));
    const at = fundYearOf(new Date('2026-01-01T00:00:00+08:00'));
    // Assess
    expect([before, at]).toEqual([2025, 2026]);
  });

  it('refuses an invalid instant rather than inventing a year', () => {
    // Act / Assess
    expect(() => fundYearOf(new Date('not a date'))).toThrow(RangeError);
  });
});

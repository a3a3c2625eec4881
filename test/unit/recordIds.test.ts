import { describe, expect, it } from 'vitest';
import { recordId, type IdempotencyScope } from '../../functions/domain/recordIds.ts';

describe('record ids of keyed commands', () => {
  const scope: IdempotencyScope = {
    caller: ['u1', 'community', 'c1'],
    route: 'POST /v1/projects',
    path: '/v1/projects',
    key: 'k1',
  };

  it('derives the same id from the same caller, route, path and key, so a re-run finds its record', () => {
    expect(recordId(scope)).toBe(recordId({ ...scope, caller: [...scope.caller] }));
    expect(recordId(scope)).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it.each([
    ['another sub', { caller: ['u2', 'community', 'c1'] }],
    ['another role', { caller: ['u1', 'street', 'c1'] }],
    ['another unit', { caller: ['u1', 'community', 'c2'] }],
    ['another route', { route: 'POST /v1/undertakers' }],
    ['another path', { path: '/v1/projects/P2/deliberations' }],
    ['another key', { key: 'k2' }],
    ['parts shifted across the separators', { caller: ['u1|community', 'c1', ''] }],
  ])('derives another id for %s', (_what, over) => {
    expect(recordId({ ...scope, ...over } as IdempotencyScope)).not.toBe(recordId(scope));
  });

  it('gives a fresh id to every command without a key', () => {
    expect(recordId(undefined)).not.toBe(recordId(undefined));
  });

  it('draws the random part of fresh ids evenly from all 32 symbols at every place', () => {
    // Prepare: 4,096 ids, 128 of each symbol expected at each of the 16 random places
    const ids = Array.from({ length: 4096 }, () => recordId(undefined));
    const counts = Array.from({ length: 16 }, () => new Map<string, number>());

    // Act
    for (const id of ids)
      for (let i = 0; i < 16; i++) counts[i]!.set(id[10 + i]!, (counts[i]!.get(id[10 + i]!) ?? 0) + 1);

    // Assess: each count within ~6 standard deviations (~11) of 128
    expect(new Set(ids).size).toBe(ids.length);
    for (const place of counts) {
      expect(place.size).toBe(32);
      for (const n of place.values()) expect(n).toBeGreaterThan(60);
      for (const n of place.values()) expect(n).toBeLessThan(200);
    }
    expect(ids.every((id) => /^[0-9A-HJKMNP-TV-Z]{26}$/.test(id))).toBe(true);
  });
});

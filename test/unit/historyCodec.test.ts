import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../functions/domain/project.ts';
import { decodeEvent, encodeEvent } from '../../functions/store/historyCodec.ts';

const actor = { sub: 'local-community-c12', role: 'community', orgUnitId: 'c12' };
const withAudit: HistoryEvent = {
  at: '2025-06-12T03:12:33.123Z',
  actor,
  action: 'acceptance_passed',
  fromStatus: 'IN_PROGRESS',
  toStatus: 'IN_PROGRESS',
  details: { commandId: '01JCD3V8W2ZK3YQ6H8M9N0P1Q2', tranche: 2, paidFen: 1_000_000 },
  audit: {
    actor,
    route: 'POST /v1/projects/{id}/tranches/{n}/acceptance',
    path: '/v1/projects/01JCD3V8W2ZK3YQ6H8M9N0P1Q2/tranches/2/acceptance',
    sourceIp: '127.0.0.1',
    requestId: '3f1c2e4a-1b2c-4d5e-8f90-1234567890ab',
  },
};

/** DynamoDB's size of a value kept as a map (names, values and the per-element bytes). */
const mapSize = (v: unknown): number => {
  if (v === null || typeof v === 'boolean') return 1;
  if (typeof v === 'string') return Buffer.byteLength(v);
  if (typeof v === 'number') return Math.ceil(String(Math.abs(v)).replace('.', '').length / 2) + 1;
  if (Array.isArray(v)) return 3 + v.reduce((s: number, x) => s + mapSize(x) + 1, 0);
  return 3 + Object.entries(v as object).reduce((s, [k, x]) => s + Buffer.byteLength(k) + mapSize(x) + 1, 0);
};

const text = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('IN_PROGRESS', '0', ''));
const leaf = fc.oneof(text, fc.integer({ min: -3, max: 3 }), fc.boolean(), fc.constant(null));
const anyValue = fc.oneof(
  leaf,
  fc.array(leaf, { maxLength: 3 }),
  fc.dictionary(text, leaf, { maxKeys: 3, noNullPrototype: true }),
);
const anActor = fc.oneof(
  fc.record({ sub: text, role: text }),
  fc.record({ sub: text, role: text, orgUnitId: text }),
  fc.record({ sub: text, role: anyValue, extra: anyValue }, { requiredKeys: ['sub'], noNullPrototype: true }),
  anyValue,
);
const anAudit = fc.oneof(
  fc.record(
    { route: text, path: text, sourceIp: text, requestId: text, idempotencyKey: text, actor: anActor },
    { requiredKeys: ['route', 'path', 'sourceIp'], noNullPrototype: true },
  ),
  fc.dictionary(fc.constantFrom('route', 'path', 'sourceIp', 'status', 'actor'), anyValue, {
    maxKeys: 4,
    noNullPrototype: true,
  }),
  anyValue,
);
const anEvent = fc.record(
  {
    at: fc.oneof(text, anyValue),
    actor: anActor,
    action: fc.oneof(text, anyValue),
    fromStatus: fc.oneof(text, fc.constant(null), anyValue),
    toStatus: fc.oneof(text, fc.constant(null), anyValue),
    details: anyValue,
    audit: anAudit,
    note: anyValue,
    '0': anyValue,
  },
  { requiredKeys: [], noNullPrototype: true },
);

describe('a history event as the store keeps it', () => {
  it('reads back exactly as written, whatever fields, shapes and values it has', () => {
    fc.assert(
      fc.property(anEvent, (generated) => {
        // Prepare: plain JSON data, as an event is
        const e = JSON.parse(JSON.stringify(generated));

        // Act
        const kept = encodeEvent(e as unknown as HistoryEvent);

        // Assess
        expect(typeof kept).toBe('string');
        expect(decodeEvent(kept)).toStrictEqual(e);
      }),
      { numRuns: 2000 },
    );
  });

  it('is smaller than the same event kept as a map, with and without its audit entry', () => {
    // Prepare
    const { audit: _a, ...plain } = withAudit;

    // Act
    const sizes = [withAudit, plain].map((e) => ({ kept: Buffer.byteLength(encodeEvent(e)), map: mapSize(e) }));

    // Assess: at least a tenth smaller
    for (const { kept, map } of sizes) expect(kept).toBeLessThan(map * 0.9);
  });

  it('reads an event kept as a map, or as a JSON object string, as it was', () => {
    // Act and assess
    expect(decodeEvent(withAudit)).toEqual(withAudit);
    expect(decodeEvent(JSON.stringify(withAudit))).toEqual(withAudit);
  });

  it('keeps null statuses apart from absent ones', () => {
    // Prepare
    const created = { at: withAudit.at, actor, action: 'created', fromStatus: null, toStatus: 'DRAFT' } as HistoryEvent;
    const { fromStatus: _f, ...noFrom } = created;

    // Act and assess
    expect(decodeEvent(encodeEvent(created))).toStrictEqual(created);
    expect(decodeEvent(encodeEvent(noFrom as HistoryEvent))).toStrictEqual(noFrom);
  });
});

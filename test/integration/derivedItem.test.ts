import fc from 'fast-check';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedStore } from '../support/embeddedStore.ts';
import { runtime } from '../../functions/runtime.ts';
import { UpdateBuilder } from '../../functions/store/table.ts';

/*
 * A project write over the version it was read at works out the item afterwards instead
 * of having the store send it back (UpdateBuilder.applyTo). Random updates of random
 * items run against the embedded store with ALL_NEW; the item worked out must be the
 * one the store returns, field for field, and the item it started from must not change.
 */
let store: Awaited<ReturnType<typeof embeddedStore>>;
beforeAll(async () => {
  store = await embeddedStore();
});
afterAll(async () => store?.stop());

const TABLE = () => runtime().tableName;
const leaf = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.integer({ min: -1000, max: 1000 }),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
);
const value = fc.oneof(
  leaf,
  fc.array(leaf, { maxLength: 3 }),
  fc.dictionary(fc.constantFrom('x', 'y', 'z'), leaf, { maxKeys: 3 }),
);
const field = fc.constantFrom('a', 'b', 'c', 'm.x', 'm.y', 'n');

type Op =
  | { kind: 'set'; path: string; value: unknown }
  | { kind: 'remove'; path: string }
  | { kind: 'increment'; path: string; by: number }
  | { kind: 'append'; items: unknown[] };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), path: field, value }),
  fc.record({ kind: fc.constant('remove' as const), path: field }),
  fc.record({ kind: fc.constant('increment' as const), path: fc.constantFrom('count', 'm.count'), by: fc.integer() }),
  fc.record({ kind: fc.constant('append' as const), items: fc.array(value, { maxLength: 3 }) }),
);

/** Ops on distinct top-level paths, as one update expression allows (no two paths may overlap). */
const distinctOps = fc.array(op, { maxLength: 6 }).map((ops) => {
  const seen = new Set<string>();
  return ops.filter((o) => {
    const path = o.kind === 'append' ? 'list' : o.path;
    const clash = [...seen].some((s) => s === path || s.startsWith(`${path}.`) || path.startsWith(`${s}.`));
    seen.add(path);
    return !clash;
  });
});

describe('an item worked out after an update', () => {
  it('is the item the store returns, and the item read before is left as it was', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({ a: value, c: leaf, m: fc.record({ x: leaf, count: fc.integer() }), list: fc.array(leaf) }),
        distinctOps,
        async (start, ops) => {
          // Prepare
          const key = { pk: `DERIVED#${n++}`, sk: 'ITEM' };
          await runtime().ddb.send(new PutCommand({ TableName: TABLE(), Item: { ...key, ...start } }));
          const before = (
            await runtime().ddb.send(new GetCommand({ TableName: TABLE(), Key: key, ConsistentRead: true }))
          ).Item!;
          const snapshot = structuredClone(before);
          const b = new UpdateBuilder();
          for (const o of ops) {
            if (o.kind === 'set') b.set({ [o.path]: o.value });
            else if (o.kind === 'remove') b.remove(o.path);
            else if (o.kind === 'increment') b.increment(o.path, o.by);
            else b.appendTo('list', o.items);
          }
          b.increment('version', 1);

          // Act
          const derived = b.applyTo(before);
          const out = await runtime().ddb.send(
            new UpdateCommand({ TableName: TABLE(), Key: key, ...b.build(), ReturnValues: 'ALL_NEW' }),
          );

          // Assess
          expect(derived).toStrictEqual(out.Attributes);
          expect(before).toStrictEqual(snapshot);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('is not worked out after an expression it cannot follow', () => {
    const b = new UpdateBuilder().set({ a: 1 }).setRaw('#n0 = #n0');
    expect(b.applyTo({ a: 0 })).toBeUndefined();
  });
});

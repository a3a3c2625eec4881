import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * The store owns every key shape: no code outside functions/store/ names a key attribute
 * (pk, sk, gsi1pk...) or writes a key prefix (PROJECT#, ORG, IDEMPOTENCY...). Everything
 * else asks the store for records, so a key layout can change in one directory.
 */

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * The table's own definition, which must name its key attributes: the CDK table, the
 * local table, the grants on its indexes and the local per-kind statistics.
 */
const TABLE_DEFINITION = new Set([
  'infra/stacks/data-stack.ts',
  'infra/stacks/access.ts',
  'infra/local/dynamo.ts',
  'infra/local/stats.ts',
]);

const KEY_NAMES = [
  // A key attribute used as a property or a variable being set: `pk: ...`, `sk = ...`.
  /\b(?:pk|sk|gsi\d(?:pk|sk))\s*[:=](?!=)/,
  // A key attribute in a string: 'pk', `gsi3sk`, 'gsi1'.
  /['"`](?:pk|sk|gsi\d(?:pk|sk)?)['"`]/,
  // A key prefix: 'PROJECT#', `COMMUNITY#${id}`.
  /['"`][A-Z][A-Z_]*#/,
  // The fixed partitions.
  /['"`](?:ORG|TREE|IDEMPOTENCY|CALENDAR|OPEN)['"`]/,
];

const sources = (dir: string): string[] =>
  readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory()) return ['node_modules', 'dist', 'cdk.out'].includes(e.name) ? [] : sources(path);
    return /\.tsx?$/.test(e.name) ? [path] : [];
  });

/** Each line outside the store that names a key, as `file:line: text`. */
const keyLinesOutsideStore = (files: readonly string[]): string[] =>
  files
    .filter((f) => !f.startsWith('functions/store/') && !TABLE_DEFINITION.has(f))
    .flatMap((file) =>
      readFileSync(join(ROOT, file), 'utf8')
        .split('\n')
        .flatMap((line, i) =>
          !/^\s*(\/\/|\*|\/\*)/.test(line) && KEY_NAMES.some((re) => re.test(line))
            ? [`${file}:${i + 1}: ${line.trim()}`]
            : [],
        ),
    );

describe('key shapes', () => {
  it('are recognised in the forms code writes them', () => {
    // Prepare: lines that each name a key, and lines that only look alike.
    const naming = [
      "Key: { pk: 'ORG', sk: 'TREE' }",
      "keyAttr: 'pk',",
      'pk: `PROJECT#${p.id}`,',
      "KeyConditionExpression: 'gsi1pk = :pk', IndexName: 'gsi1'",
      "staticPkValue: 'IDEMPOTENCY'",
    ];
    const harmless = ['const speaks = 1;', "if (a.risk === b) return 'task';", 'const n = list.length;'];

    // Act
    const found = (lines: string[]) => lines.filter((l) => KEY_NAMES.some((re) => re.test(l)));

    // Assess
    expect(found(naming)).toEqual(naming);
    expect(found(harmless)).toEqual([]);
  });

  it('are written only in functions/store/ (and the table definition)', () => {
    // Act
    const lines = keyLinesOutsideStore([...sources('functions'), ...sources('infra')]);

    // Assess
    expect(lines, 'ask the store instead of naming its keys').toEqual([]);
  });
});

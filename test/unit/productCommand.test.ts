import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRODUCT_NODE_FLAGS, productNodeArgs, storeNodeArgs } from '../../infra/local/command.ts';

describe('the local product process', () => {
  it('is started by `npm start` with the same node flags as the tests and the bench start it with', () => {
    // Prepare
    const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package.json'), 'utf8'));
    // Act
    const start = `node ${productNodeArgs([]).join(' ')}`;
    // Assess
    expect(PRODUCT_NODE_FLAGS.length).toBeGreaterThan(0);
    expect(pkg.scripts.start).toBe(start);
  });

  it("runs the store's own script on the data dir, with the product's young generation and the flags given", () => {
    // Prepare
    const youngGeneration = (flags: readonly string[]) => flags.filter((f) => f.startsWith('--max-semi-space-size='));

    // Act
    const args = storeNodeArgs('data', ['--cpu-prof']);

    // Assess
    expect(args.at(-1)).toBe('data');
    expect(existsSync(args.at(-2)!)).toBe(true);
    expect(args.at(-2)).toMatch(/storeProcess\.ts$/);
    expect(args).toContain('--cpu-prof');
    expect(youngGeneration(PRODUCT_NODE_FLAGS)).toHaveLength(1);
    expect(youngGeneration(args)).toEqual(youngGeneration(PRODUCT_NODE_FLAGS));
  });
});

describe('startLocal', () => {
  it.each([0, 2.5, Number.NaN])(
    'refuses to start with %s requests at once, before it touches the data dir',
    async (concurrency) => {
      // Prepare
      const { startLocal } = await import('../../infra/local/main.ts');
      const dataDir = join(tmpdir(), `never-made-${process.pid}-${concurrency}`);

      // Act
      const started = startLocal({ port: 0, dataDir, profile: 'guandu', concurrency });

      // Assess
      await expect(started).rejects.toThrow(/--concurrency \(LOCAL_CONCURRENCY\) must be a whole number/);
      expect(existsSync(dataDir)).toBe(false);
    },
  );
});

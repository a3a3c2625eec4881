import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRODUCT_NODE_FLAGS, productNodeArgs } from '../../infra/local/command.ts';

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
});

/**
 * How the local product's process is started, by `npm start` (package.json spells the same
 * flags), the tests and the bench. The old-space cap keeps V8 from growing its heap with
 * every district year it serves: the live data stays well under it (about 55 MB at 300
 * projects), and without it the heap's high-water mark grew to ~370 MB at 1,000 projects.
 */
export const PRODUCT_NODE_FLAGS = ['--max-old-space-size=256'] as const;

/** The arguments of `node` that run the product with `args` (from the repository root). */
export const productNodeArgs = (args: readonly string[]): string[] => [
  ...PRODUCT_NODE_FLAGS,
  '--import',
  'tsx',
  'infra/local/main.ts',
  ...args,
];

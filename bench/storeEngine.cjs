// The product's local store engine under the interface of ../shared/tools/store-integrity/
// store-stress.cjs (a ClassicLevel-like class taking a directory), so that reproduction runs
// on exactly what `npm start` uses:
//   LEAK=1 node --import tsx ../shared/tools/store-integrity/store-stress.cjs bench/storeEngine.cjs 60
const { mkdirSync } = require('node:fs');
const { join } = require('node:path');
const { LmdbLevel } = require('../infra/local/lmdbLevel.ts');

exports.ClassicLevel = class extends LmdbLevel {
  constructor(dir, options) {
    mkdirSync(dir, { recursive: true });
    super(join(dir, 'store.mdb'), options);
  }
};

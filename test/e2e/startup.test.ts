import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { productNodeArgs } from '../../infra/local/command.ts';

const root = resolve(import.meta.dirname, '../..');

it('refuses to start with an invalid profile, naming the field', () => {
  // Prepare: guandu with one broken field
  const dir = mkdtempSync(join(tmpdir(), 'cf-profile-'));
  const profile = JSON.parse(readFileSync(join(root, 'functions/policies/profiles/guandu.json'), 'utf8'));
  profile.trancheSplit = [5, -3, 2];
  const file = join(dir, 'broken.json');
  writeFileSync(file, JSON.stringify(profile));

  // Act
  const run = spawnSync(
    process.execPath,
    productNodeArgs(['--port', '0', '--data-dir', join(dir, 'data'), '--profile', file]),
    {
      cwd: root,
      encoding: 'utf8',
      timeout: 30_000,
    },
  );

  // Assess
  expect(run.status).toBe(1);
  expect(run.stderr).toContain('trancheSplit.1');
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONSOLE_TYPES_FILE, consoleTypesText } from '../../infra/console/apiTypes.ts';

// The console's client types are generated from openapi.json: a stale copy would let the console drift from the API.
describe('the console API types', () => {
  it('are what openapi-typescript makes of the committed openapi.json', async () => {
    const fresh = await consoleTypesText();

    expect(
      readFileSync(CONSOLE_TYPES_FILE, 'utf8'),
      'infra/console/src/api-types.ts is stale: run npm run openapi',
    ).toBe(fresh);
  });
});

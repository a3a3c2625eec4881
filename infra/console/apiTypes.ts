/**
 * Writes the console's API types (`src/api-types.ts`) from the committed `openapi.json`,
 * with the same generator the tests' client uses. `npm run openapi` runs it after it has
 * written the document; a unit test fails when the file differs from a fresh generation.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOCUMENT_FILE, typesText } from '../../functions/openapi/write.ts';

export const CONSOLE_TYPES_FILE = resolve(import.meta.dirname, 'src/api-types.ts');

/** The console's types as they should be committed. */
export const consoleTypesText = (): Promise<string> => typesText(readFileSync(DOCUMENT_FILE, 'utf8'));

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  writeFileSync(CONSOLE_TYPES_FILE, await consoleTypesText());
  console.log('wrote infra/console/src/api-types.ts');
}

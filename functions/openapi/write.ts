import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { buildDocument, loadRouteSchemas } from './document.ts';

/*
 * `npm run openapi`: writes openapi.json at the repository root and its TypeScript types
 * (functions/openapi/api-types.ts), which the test client and the board both import. Both
 * are committed; a test fails when either differs from a fresh generation.
 */

const root = resolve(import.meta.dirname, '../..');
export const DOCUMENT_FILE = resolve(root, 'openapi.json');
export const TYPES_FILE = resolve(root, 'functions/openapi/api-types.ts');

/** The document as committed: two-space JSON with a final newline. */
export const documentText = async (): Promise<string> => {
  await loadRouteSchemas();
  const version = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')).version as string;
  return `${JSON.stringify(buildDocument(version), null, 2)}\n`;
};

/** The TypeScript types of the document, as openapi-typescript writes them. */
export const typesText = async (documentJson: string): Promise<string> => {
  // A field with a default may be left out of a request, so a default does not make it required.
  const ast = await openapiTS(JSON.parse(documentJson), { defaultNonNullable: false });
  return `/* Generated from openapi.json by \`npm run openapi\` (openapi-typescript); do not edit. */\n\n${astToString(ast)}`;
};

const isMain = process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename);
if (isMain) {
  const doc = await documentText();
  writeFileSync(DOCUMENT_FILE, doc);
  writeFileSync(TYPES_FILE, await typesText(doc));
  console.log(`wrote openapi.json (${doc.length} bytes) and functions/openapi/api-types.ts`);
}

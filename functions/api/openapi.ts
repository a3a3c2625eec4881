import document from '../../openapi.json' with { type: 'json' };
import { apiHandler, publicRoute } from './http.ts';
import type { FunctionPorts } from '../ports.ts';

/** What this module's function reaches in AWS (infra/stacks/ports.ts derives its wiring from this). */
export const ports: FunctionPorts = { table: 'readAppend' };

/**
 * `GET /v1/openapi.json`: the committed document, bundled into the function. Generating
 * it here would pull every api module and their schemas into one Lambda; the freshness
 * test keeps the committed file equal to a fresh generation instead.
 */
export const handler = apiHandler({
  'GET /v1/openapi.json': publicRoute({}, async () => ({ status: 200, body: document })),
});

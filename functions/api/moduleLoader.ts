import { moduleEntry, type ApiModule } from './routes.ts';

/** What every API module exports: its Lambda handler (loading it registers its routes' schemas). */
export interface ApiModuleExports {
  handler: (...args: never[]) => Promise<unknown>;
}

// The repository's root, from this file's place in it (functions/api/).
const ROOT = new URL('../../', import.meta.url);

/**
 * Loads an API module by the file its route-table name maps to (moduleEntry), so that the
 * local server and the OpenAPI generator load exactly what API Gateway deploys.
 */
export const loadApiModule = (module: ApiModule): Promise<ApiModuleExports> =>
  import(new URL(moduleEntry(module), ROOT).href) as Promise<ApiModuleExports>;

import type { RouteImpl } from './http.ts';

/** Contract, progress, staged acceptance and change requests (the second half of the lifecycle). */
export const acceptanceRoutes: Record<string, RouteImpl> = {};

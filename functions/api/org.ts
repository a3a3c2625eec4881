import { activeProfile, getOrg } from '../store/config.ts';
import type { OrgTree } from '../domain/org.ts';
import { apiHandler, route } from './http.ts';
import type { FunctionPorts } from '../ports.ts';

/** Residents see the tree's names and kinds, never the units' duty phones and emails. */
const publicTree = (t: OrgTree) => ({
  district: { id: t.district.id, name: t.district.name },
  streets: t.streets.map((s) => ({ id: s.id, name: s.name, communities: s.communities.map((c) => ({ id: c.id, name: c.name, kind: c.kind })) })),
});

/** What this module's function reaches in AWS (infra/stacks/ports.ts derives its wiring from this). */
export const ports: FunctionPorts = { table: 'readAppend' };

export const handler = apiHandler({
  'GET /v1/org': route({}, async () => ({ status: 200, body: (await getOrg()).tree })),
  'GET /v1/public/org': route({}, async () => ({ status: 200, body: publicTree((await getOrg()).tree) })),
  'GET /v1/public/policy': route({}, async () => ({ status: 200, body: activeProfile() })),
});

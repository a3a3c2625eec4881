import { activeProfile, getOrg } from '../store/config.ts';
import type { OrgTree } from '../domain/org.ts';
import { apiHandler, route, publicRoute } from './http.ts';
import type { FunctionPorts } from '../ports.ts';

/** Residents see the tree's names and kinds, never the units' duty phones and emails. */
const publicTree = (t: OrgTree) => ({
  district: { id: t.district.id, name: t.district.name },
  streets: t.streets.map((s) => ({
    id: s.id,
    name: s.name,
    communities: s.communities.map((c) => ({ id: c.id, name: c.name, kind: c.kind })),
  })),
});

/** What this module's function reaches in AWS (infra/stacks/ports.ts derives its wiring from this). */
export const ports: FunctionPorts = { table: 'readAppend' };

/**
 * Staff other than the district see the whole tree without the duty lines: the district
 * keeps them to route reminders, and a phone list of every unit is not a street's to read.
 */
const treeWithoutDutyContacts = (t: OrgTree): OrgTree => ({
  district: { id: t.district.id, name: t.district.name },
  streets: t.streets.map(({ dutyContact: _s, communities, ...street }) => ({
    ...street,
    communities: communities.map(({ dutyContact: _c, ...c }) => c),
  })),
});

export const handler = apiHandler({
  'GET /v1/org': route({}, async ({ caller }) => {
    const tree = (await getOrg()).tree;
    return { status: 200, body: caller.role === 'district' ? tree : treeWithoutDutyContacts(tree) };
  }),
  'GET /v1/public/org': publicRoute({}, async () => ({ status: 200, body: publicTree((await getOrg()).tree) })),
  'GET /v1/public/policy': publicRoute({}, async () => ({ status: 200, body: activeProfile() })),
});

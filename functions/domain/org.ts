/** The organisation tree: district → streets/towns → communities/villages. */
export type CommunityKind = 'urban' | 'village' | 'village_to_residence';

export interface OrgTree {
  district: { id: string; name: string };
  streets: { id: string; name: string; communities: { id: string; name: string; kind: CommunityKind }[] }[];
}

export interface OrgIndex {
  tree: OrgTree;
  /** communityId → its street. */
  streetOf: ReadonlyMap<string, string>;
  communities: ReadonlyMap<string, { id: string; name: string; kind: CommunityKind; streetId: string }>;
  streets: ReadonlyMap<string, { id: string; name: string; communityIds: string[] }>;
}

export const indexOrg = (tree: OrgTree): OrgIndex => {
  const streetOf = new Map<string, string>();
  const communities = new Map<string, { id: string; name: string; kind: CommunityKind; streetId: string }>();
  const streets = new Map<string, { id: string; name: string; communityIds: string[] }>();
  for (const s of tree.streets) {
    streets.set(s.id, { id: s.id, name: s.name, communityIds: s.communities.map((c) => c.id) });
    for (const c of s.communities) {
      streetOf.set(c.id, s.id);
      communities.set(c.id, { ...c, streetId: s.id });
    }
  }
  return { tree, streetOf, communities, streets };
};

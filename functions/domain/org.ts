/** The organisation tree: district → streets/towns → communities/villages. */
export type CommunityKind = 'urban' | 'village' | 'village_to_residence';

/** A unit's duty phone and email, where reminders go whoever is on duty. */
export interface DutyContact {
  phone?: string;
  email?: string;
}

export interface OrgTree {
  district: { id: string; name: string; dutyContact?: DutyContact };
  streets: {
    id: string;
    name: string;
    dutyContact?: DutyContact;
    communities: { id: string; name: string; kind: CommunityKind; dutyContact?: DutyContact }[];
  }[];
}

export interface OrgIndex {
  tree: OrgTree;
  /** communityId → its street. */
  streetOf: ReadonlyMap<string, string>;
  communities: ReadonlyMap<
    string,
    { id: string; name: string; kind: CommunityKind; streetId: string; dutyContact?: DutyContact }
  >;
  streets: ReadonlyMap<string, { id: string; name: string; communityIds: string[]; dutyContact?: DutyContact }>;
}

export const indexOrg = (tree: OrgTree): OrgIndex => {
  const streetOf = new Map<string, string>();
  const communities = new Map<
    string,
    { id: string; name: string; kind: CommunityKind; streetId: string; dutyContact?: DutyContact }
  >();
  const streets = new Map<string, { id: string; name: string; communityIds: string[]; dutyContact?: DutyContact }>();
  for (const s of tree.streets) {
    streets.set(s.id, {
      id: s.id,
      name: s.name,
      communityIds: s.communities.map((c) => c.id),
      ...(s.dutyContact ? { dutyContact: s.dutyContact } : {}),
    });
    for (const c of s.communities) {
      streetOf.set(c.id, s.id);
      communities.set(c.id, { ...c, streetId: s.id });
    }
  }
  return { tree, streetOf, communities, streets };
};

import type { OrgIndex } from '../domain/org.ts';
import type { Caller } from './caller.ts';
import { notFound } from './problem.ts';

/**
 * Org scope: district staff and auditors see the whole district, a street its own
 * communities, a community itself, an undertaker only what it delivers. Outside the
 * scope a thing does not exist (404), so its existence is not revealed.
 */
export const inScope = (
  caller: Caller,
  target: { communityId: string; undertakerId?: string },
  org: OrgIndex,
): boolean => {
  switch (caller.role) {
    case 'district':
    case 'auditor':
      return true;
    case 'street':
      return org.streetOf.get(target.communityId) === caller.orgUnitId;
    case 'community':
      return target.communityId === caller.orgUnitId;
    case 'undertaker':
      return !!target.undertakerId && target.undertakerId === caller.orgUnitId;
  }
};

export const requireScope = (
  caller: Caller,
  target: { communityId: string; undertakerId?: string },
  org: OrgIndex,
  what: string,
): void => {
  if (!inScope(caller, target, org)) throw notFound(what);
};

/** The streets whose data the caller may read; undefined means all of them. */
export const readableStreets = (caller: Caller, org: OrgIndex): string[] | undefined => {
  if (caller.role === 'district' || caller.role === 'auditor') return undefined;
  if (caller.role === 'street') return [caller.orgUnitId];
  if (caller.role === 'community') {
    const s = org.streetOf.get(caller.orgUnitId);
    return s ? [s] : [];
  }
  return [];
};

import { takeToken } from '../store/rateLimits.ts';
import { tooManyRequests, PUBLIC_LIMITS } from './problem.ts';

const HOUR = 3600;
const DAY = 86400;

interface Admission {
  kind: string;
  /** What the writes land on (a project, a community), whose daily store cost is bounded. */
  target: string;
  sourceIp: string;
  perClientPerHour: number;
  perTargetPerDay: number;
  reservePerTargetPerDay: number;
  /** The refusal once the target's day and its reserve are both used up. */
  full: string;
}

/**
 * Admits one public write or throws 429. A shared daily budget per target alone lets a
 * flood from enough addresses shut it for everyone; so when the budget is used up each
 * address may still send one a day through a reserve. Closing a target for the rest of
 * the day then takes more distinct addresses than the reserve holds, and the target's
 * daily cost stays bounded by budget + reserve whatever the number of addresses.
 */
const admit = async (a: Admission, now: Date): Promise<void> => {
  if (!(await takeToken(`${a.kind}-client#${a.sourceIp}`, a.perClientPerHour, HOUR, now)))
    throw tooManyRequests(`At most ${a.perClientPerHour} ${a.kind}s an hour from one client`);
  if (await takeToken(`${a.kind}-target#${a.target}`, a.perTargetPerDay, DAY, now)) return;
  if (!(await takeToken(`${a.kind}-reserve-client#${a.target}#${a.sourceIp}`, 1, DAY, now)))
    throw tooManyRequests(a.full);
  if (!(await takeToken(`${a.kind}-reserve#${a.target}`, a.reservePerTargetPerDay, DAY, now)))
    throw tooManyRequests(a.full);
};

/** Admits one objection to a project from one address, or throws 429. */
export const admitObjection = (projectId: string, sourceIp: string, now: Date) =>
  admit(
    {
      kind: 'objection',
      target: projectId,
      sourceIp,
      perClientPerHour: PUBLIC_LIMITS.objectionsPerClientPerHour,
      perTargetPerDay: PUBLIC_LIMITS.objectionsPerProjectPerDay,
      reservePerTargetPerDay: PUBLIC_LIMITS.objectionReservePerProjectPerDay,
      full: 'This project has received too many objections today; try again tomorrow',
    },
    now,
  );

/** Admits one need raised by a resident for a community, or throws 429. */
export const admitNeed = (communityId: string, sourceIp: string, now: Date) =>
  admit(
    {
      kind: 'need',
      target: communityId,
      sourceIp,
      perClientPerHour: PUBLIC_LIMITS.needsPerClientPerHour,
      perTargetPerDay: PUBLIC_LIMITS.needsPerCommunityPerDay,
      reservePerTargetPerDay: PUBLIC_LIMITS.needReservePerCommunityPerDay,
      full: 'This community has received too many needs today; try again tomorrow',
    },
    now,
  );

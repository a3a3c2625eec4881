import type { DecisionContext } from '../domain/decisions/context.ts';
import type { Actor } from '../domain/project.ts';
import { activeProfile, getCalendars } from '../store/config.ts';

/** What a decision is made with: the active profile, the loaded calendars (cached), the time and who asks. */
export const decisionContext = async (actor: Actor, now: Date): Promise<DecisionContext> => ({
  profile: activeProfile(),
  calendars: await getCalendars(),
  now,
  actor,
});

import type { Calendars } from '../deadlines.ts';
import type { PolicyProfile } from '../policy.ts';
import type { Actor } from '../project.ts';

/** What every decision is made with besides the project and the command. */
export interface DecisionContext {
  readonly profile: PolicyProfile;
  /** The loaded holiday calendars, for working-day deadlines. */
  readonly calendars: Calendars;
  /** The product's clock (simulated locally). */
  readonly now: Date;
  /** Who asks: a staff member, or the system for workflow steps and jobs. */
  readonly actor: Actor;
}

import type { Status } from './lifecycle.ts';

/** Who did something: a signed-in person, a resident without an account, or the system's own timers. */
export interface Actor {
  sub: string;
  role: string;
  orgUnitId?: string;
}

export const SYSTEM: Actor = { sub: 'system', role: 'system' };
export const PUBLIC: Actor = { sub: 'public', role: 'public' };

export interface HistoryEvent {
  at: string;
  actor: Actor;
  action: string;
  fromStatus: Status | null;
  toStatus: Status | null;
  details?: Record<string, unknown>;
  /** The audit entry of the API request that wrote this event (store/auditFold.ts); never returned by the project's views. */
  audit?: Record<string, unknown>;
}

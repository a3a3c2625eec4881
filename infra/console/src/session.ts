/**
 * Who is signed in. The token lives in this module's memory only (never in storage), so a
 * script that reads storage finds nothing. Locally the chosen demo account (not its token)
 * is kept for the tab, so a reload signs the same person in again.
 */
import { useEffect, useState } from 'preact/hooks';
import type { ConsoleConfig } from './config.ts';

export type Role = 'district' | 'street' | 'community' | 'auditor' | 'undertaker';

export interface Person {
  sub: string;
  role: Role;
  orgUnitId: string;
  /** How the header names them. */
  name: string;
}

export interface Session {
  person: Person;
  token: string;
}

let current: Session | undefined;
const listeners = new Set<() => void>();
const notify = () => {
  for (const l of listeners) l();
};

/** The session, if anyone is signed in. */
export const session = (): Session | undefined => current;

/** Replaces the session (undefined: signed out) and re-renders whoever watches it. */
export const setSession = (s: Session | undefined): void => {
  current = s;
  notify();
};

/** The session, re-rendering the caller when it changes. */
export const useSession = (): Session | undefined => {
  const [, bump] = useState(0);
  useEffect(() => {
    const l = () => bump((n) => n + 1);
    listeners.add(l);
    return () => {
      listeners.delete(l);
    };
  }, []);
  return current;
};

/** One account of the local demo district: what the sign-in page lists. */
export interface DemoAccount {
  role: Role;
  orgUnitId: string;
  name: string;
  /** The unit's name, for the list. */
  unit: string;
}

const LOCAL_KEY = 'console.localAccount';

/** Signs a demo account in through the local token issuer (exists only under `npm start`). */
export const signInLocal = async (config: ConsoleConfig, a: DemoAccount): Promise<void> => {
  const sub = `demo-${a.role}-${a.orgUnitId}`;
  const r = await fetch(`${config.apiBaseUrl}/local/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sub, role: a.role, orgUnitId: a.orgUnitId }),
  });
  if (!r.ok) throw new Error(`local token: HTTP ${r.status}`);
  const { token } = (await r.json()) as { token: string };
  try {
    sessionStorage.setItem(LOCAL_KEY, JSON.stringify(a));
  } catch {
    // Storage refused: a reload asks again, nothing else changes.
  }
  setSession({ token, person: { sub, role: a.role, orgUnitId: a.orgUnitId, name: a.name } });
};

/** The demo account this tab last chose, to sign in again after a reload. */
export const rememberedLocalAccount = (): DemoAccount | undefined => {
  try {
    const s = sessionStorage.getItem(LOCAL_KEY);
    return s ? (JSON.parse(s) as DemoAccount) : undefined;
  } catch {
    return undefined;
  }
};

/** Forgets the local account; the in-memory token goes with the session. */
export const forgetLocalAccount = (): void => {
  try {
    sessionStorage.removeItem(LOCAL_KEY);
  } catch {
    // Nothing stored.
  }
};

/**
 * Shared reads, fetched once per sign-in: the org tree, the policy profile, the holiday
 * calendars, and the server's clock ("today" is the simulated clock under `npm start`).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiProblem, type Calendar, type Org, type Policy, api, ok } from './api.ts';
import { type ConsoleConfig, loadConfig } from './config.ts';
import type { HolidayCalendar } from './workdays.ts';

const cache = new Map<string, Promise<unknown>>();
const once = <T>(key: string, load: () => Promise<T>): Promise<T> => {
  let p = cache.get(key) as Promise<T> | undefined;
  if (!p) {
    p = load();
    cache.set(key, p);
    // A failed read is tried again next time, not remembered.
    p.catch(() => cache.delete(key));
  }
  return p;
};

/** Forgets every shared read (sign-out, or after a write that changes them). */
export const clearShared = (): void => cache.clear();

export const loadOrg = (): Promise<Org> => once('org', () => ok(api().GET('/v1/org')));
export const loadPolicy = (): Promise<Policy> => once('policy', () => ok(api().GET('/v1/public/policy')));

/** A year's calendar, or undefined when the district has not loaded it (404). */
export const loadCalendar = (year: number): Promise<Calendar | undefined> =>
  once(`calendar:${year}`, () =>
    ok(api().GET('/v1/calendar/{year}', { params: { path: { year } } })).catch((e) => {
      if (e instanceof ApiProblem && e.status === 404) return undefined;
      throw e;
    }),
  );

/** The calendars of several years, keyed by year, the form the working-day functions take. */
export const loadCalendars = async (years: number[]): Promise<Map<number, HolidayCalendar>> => {
  const out = new Map<number, HolidayCalendar>();
  for (const y of years) {
    const c = await loadCalendar(y);
    if (c) out.set(y, c);
  }
  return out;
};

/**
 * The server's now. Locally the product runs on a simulated clock (GET /local/clock); in
 * AWS the server's clock is the real one, so the browser's will do.
 */
export const serverNow = async (config?: ConsoleConfig): Promise<Date> => {
  const c = config ?? (await loadConfig());
  if (c.mode !== 'local') return new Date();
  try {
    const r = await fetch(`${c.apiBaseUrl}/local/clock`);
    const { now } = (await r.json()) as { now: string };
    return new Date(now);
  } catch {
    return new Date();
  }
};

/** A unit's name in the tree (district, street or community). */
export const unitName = (org: Org, id: string): string => {
  if (org.district.id === id) return org.district.name;
  for (const s of org.streets) {
    if (s.id === id) return s.name;
    const c = s.communities.find((x) => x.id === id);
    if (c) return c.name;
  }
  return id;
};

/** The communities under a unit: all (district), a street's, or the community itself. */
export const communitiesUnder = (org: Org, unitId: string) => {
  if (org.district.id === unitId) return org.streets.flatMap((s) => s.communities);
  const street = org.streets.find((s) => s.id === unitId);
  if (street) return street.communities;
  return org.streets.flatMap((s) => s.communities).filter((c) => c.id === unitId);
};

export type Loaded<T> =
  | { state: 'loading' }
  | { state: 'error'; error: unknown }
  | { state: 'ok'; value: T; reload: () => Promise<void> };

/**
 * Runs `load` when `deps` change (or `reload` is called) and tracks its outcome. `reload`
 * resolves once the new value is on screen, so a confirmation never shows beside stale data.
 */
export const useLoad = <T>(load: () => Promise<T>, deps: unknown[] = []): Loaded<T> => {
  const [s, set] = useState<Loaded<T>>({ state: 'loading' });
  const [tick, setTick] = useState(0);
  const waiting = useRef<(() => void)[]>([]);
  useEffect(() => {
    let live = true;
    // The reloads asked for until now wait for this load, not a later one.
    const mine = waiting.current.splice(0);
    const settle = () => {
      for (const w of mine) w();
    };
    const reload = () =>
      new Promise<void>((resolve) => {
        waiting.current.push(resolve);
        setTick((n) => n + 1);
      });
    load().then(
      (value) => {
        if (live) set({ state: 'ok', value, reload });
        settle();
      },
      (error) => {
        if (live) set({ state: 'error', error });
        settle();
      },
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return s;
};

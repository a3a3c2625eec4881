import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HolidayCalendarSchema, type HolidayCalendar } from '../domain/calendar.ts';
import { loadProfileFromObject, type PolicyProfile } from '../domain/policy.ts';
import guandu from './profiles/guandu.json' with { type: 'json' };
import fengtai from './profiles/fengtai.json' with { type: 'json' };
import liuzhou from './profiles/liuzhou.json' with { type: 'json' };
import qiaoxi from './profiles/qiaoxi.json' with { type: 'json' };
import gaoming from './profiles/gaoming.json' with { type: 'json' };
import calendar2025 from './calendars/2025.json' with { type: 'json' };
import calendar2026 from './calendars/2026.json' with { type: 'json' };

/*
 * The only place the policy data touches the file system: domain code receives parsed,
 * validated objects. Files are found relative to this module so the result does not
 * depend on the working directory the process was started from.
 */

/*
 * Next to the source the built-ins are imported. A Lambda bundle is built with
 * CF_PROFILES_FROM_FILES defined as "true": the imports are then dead code that esbuild
 * drops (all five profiles are ~90 KB of every bundle), and the one profile in use is read
 * from the profiles/ folder the bundling step copies beside the bundle.
 */
const builtInProfiles: Record<string, unknown> | undefined =
  process.env.CF_PROFILES_FROM_FILES === 'true' ? undefined : { guandu, fengtai, liuzhou, qiaoxi, gaoming };
const profilesDir = fileURLToPath(new URL('./profiles/', import.meta.url));
const builtInCalendars: Record<string, unknown> = { '2025.json': calendar2025, '2026.json': calendar2026 };
const calendarsDir = fileURLToPath(new URL('./calendars/', import.meta.url));

/** The profiles shipped with the product, one per seed district. */
export const builtInProfileIds = ['guandu', 'fengtai', 'liuzhou', 'qiaoxi', 'gaoming'] as const;
export type BuiltInProfileId = (typeof builtInProfileIds)[number];

const isBuiltIn = (s: string): s is BuiltInProfileId => (builtInProfileIds as readonly string[]).includes(s);

const readJson = (file: string, what: string): unknown => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`${what}: cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${what}: ${file} is not valid JSON: ${(e as Error).message}`);
  }
};

/**
 * Loads and validates a policy profile: a built-in id (`guandu` …) or a path to a
 * district's own JSON file. Throws with the offending field path named, so that a bad
 * profile stops the deployment with an actionable message.
 */
export const loadProfile = (idOrPath: string): PolicyProfile => {
  if (isBuiltIn(idOrPath))
    return loadProfileFromObject(
      builtInProfiles
        ? builtInProfiles[idOrPath]
        : readJson(`${profilesDir}${idOrPath}.json`, `policy profile "${idOrPath}"`),
    );
  const file = resolve(idOrPath);
  if (!existsSync(file))
    throw new Error(
      `policy profile "${idOrPath}": not a built-in profile (${builtInProfileIds.join(', ')}) and no such file`,
    );
  return loadProfileFromObject(readJson(file, `policy profile "${idOrPath}"`));
};

/**
 * Every holiday calendar shipped in `calendars/YYYY.json`, keyed by year. A new year's
 * notice is added by dropping its file in, with no code change. A file whose name and
 * `year` disagree, or that breaks the schema, throws naming the file and the field.
 */
export const loadBuiltInCalendars = (): Map<number, HolidayCalendar> => {
  const calendars = new Map<number, HolidayCalendar>();
  // Next to the source (not in a bundle) a dropped-in calendars/YYYY.json is picked up too.
  const dropped = existsSync(calendarsDir)
    ? readdirSync(calendarsDir).filter((n) => /^\d{4}\.json$/.test(n) && !(n in builtInCalendars))
    : [];
  const files: [string, () => unknown][] = [
    ...Object.entries(builtInCalendars).map(([n, c]) => [n, () => c] as [string, () => unknown]),
    ...dropped.map(
      (n) => [n, () => readJson(`${calendarsDir}${n}`, `holiday calendar ${n}`)] as [string, () => unknown],
    ),
  ];
  for (const [name, load] of files.sort(([a], [b]) => a.localeCompare(b))) {
    const what = `holiday calendar ${name}`;
    const parsed = HolidayCalendarSchema.safeParse(load());
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      throw new Error(`${what}: ${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
    }
    if (String(parsed.data.year) !== name.slice(0, 4))
      throw new Error(`${what}: year: ${parsed.data.year} does not match the file name`);
    calendars.set(parsed.data.year, parsed.data);
  }
  return calendars;
};

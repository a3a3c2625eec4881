import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import * as z from '../zod.ts';
import { runtime } from '../runtime.ts';
import { indexOrg, type OrgIndex, type OrgTree } from '../domain/org.ts';
import type { HolidayCalendar } from '../domain/calendar.ts';
import { loadBuiltInCalendars, loadProfile } from '../policies/index.ts';
import { loadProfileFromObject, type PolicyProfile } from '../domain/policy.ts';
import { queryAll, tableName, writeIf } from './table.ts';

/*
 * Configuration that changes rarely and is read on every request: the org tree, the
 * holiday calendars and the policy profile. Cached in memory; in AWS each container
 * re-reads after CACHE_MS so that a district's edit reaches every function quickly.
 */
const CACHE_MS = 60_000;

/** A unit's duty line (值班电话/邮箱): reminders reach the unit even before its staff register. */
const DutyContactSchema = z.optional(
  z.strictObject({
    phone: z.optional(z.string().check(z.regex(/^1[3-9]\d{9}$/, 'must be a mainland mobile number'))),
    email: z.optional(z.email().check(z.maxLength(254))),
  }),
);
const unitId = z.string().check(z.minLength(1), z.maxLength(64));
const unitName = z.string().check(z.minLength(1), z.maxLength(100));

export const OrgTreeSchema = z.strictObject({
  district: z.strictObject({ id: unitId, name: unitName, dutyContact: DutyContactSchema }),
  streets: z
    .array(
      z.strictObject({
        id: unitId,
        name: unitName,
        dutyContact: DutyContactSchema,
        communities: z
          .array(
            z.strictObject({
              id: unitId,
              name: unitName,
              kind: z.enum(['urban', 'village', 'village_to_residence']),
              dutyContact: DutyContactSchema,
            }),
          )
          .check(z.maxLength(500)),
      }),
    )
    .check(z.maxLength(200)),
});

/* The org tree is one item: pk ORG, sk TREE. */
const ORG_KEY = { pk: 'ORG', sk: 'TREE' };

let orgCache: { at: number; index: OrgIndex } | undefined;

export const getOrg = async (): Promise<OrgIndex> => {
  const now = Date.now();
  if (orgCache && (runtime().local || now - orgCache.at < CACHE_MS)) return orgCache.index;
  const out = await runtime().ddb.send(new GetCommand({ TableName: tableName(), Key: ORG_KEY }));
  const tree = (out.Item?.tree as OrgTree | undefined) ?? { district: { id: 'district', name: '' }, streets: [] };
  orgCache = { at: now, index: indexOrg(tree) };
  return orgCache.index;
};

/** Whether a tree is stored: a fresh deployment is seeded with one before its first request. */
export const isOrgSeeded = async (): Promise<boolean> => {
  const out = await runtime().ddb.send(
    new GetCommand({ TableName: tableName(), Key: ORG_KEY, ConsistentRead: true, ProjectionExpression: 'pk' }),
  );
  return !!out.Item;
};

/**
 * Stores the org tree a fresh deployment starts with, unless one is stored already: a
 * conditional put, so that two starts on the same table never overwrite a tree either
 * of them did not read. True when this call stored it.
 */
export const seedOrg = async (tree: OrgTree): Promise<boolean> => {
  const stored = await writeIf(
    new PutCommand({
      TableName: tableName(),
      Item: { ...ORG_KEY, tree },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
  if (stored) orgCache = { at: Date.now(), index: indexOrg(tree) };
  return stored;
};

let calendarCache: { at: number; calendars: Map<number, HolidayCalendar> } | undefined;
/** Bumped by every write, so that a read that started before a write never caches its older answer. */
let calendarGeneration = 0;

/*
 * Loaded calendars: one item per year (pk CALENDAR, sk YEAR#<year>), so that loading one
 * year is a single put that cannot undo another year loaded at the same moment. Data
 * written before this layout kept every year in one item (sk LOADED); it is still read,
 * and a per-year item overrides it.
 */
const CALENDAR_PK = 'CALENDAR';
const LEGACY_CALENDARS_SK = 'LOADED';
const calendarKey = (year: number) => ({ pk: CALENDAR_PK, sk: `YEAR#${year}` });

const loadedCalendars = async (): Promise<HolidayCalendar[]> => {
  const legacy: HolidayCalendar[] = [];
  const perYear: HolidayCalendar[] = [];
  for (const item of await queryAll({
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': CALENDAR_PK },
    ConsistentRead: true,
  })) {
    if (item.sk === LEGACY_CALENDARS_SK) legacy.push(...((item.calendars as HolidayCalendar[] | undefined) ?? []));
    else if (item.calendar) perYear.push(item.calendar as HolidayCalendar);
  }
  return [...legacy, ...perYear];
};

/** Built-in calendars overlaid with the ones a district loaded through the API. */
export const getCalendars = async (): Promise<ReadonlyMap<number, HolidayCalendar>> => {
  const now = Date.now();
  if (calendarCache && (runtime().local || now - calendarCache.at < CACHE_MS)) return calendarCache.calendars;
  const generation = calendarGeneration;
  const calendars = new Map(loadBuiltInCalendars());
  for (const c of await loadedCalendars()) calendars.set(c.year, c);
  if (generation === calendarGeneration) calendarCache = { at: now, calendars };
  return calendars;
};

/** Loads (or replaces) one year's calendar: one put of that year's own item. */
export const putCalendar = async (calendar: HolidayCalendar): Promise<void> => {
  calendarGeneration++;
  calendarCache = undefined;
  await runtime().ddb.send(
    new PutCommand({ TableName: tableName(), Item: { ...calendarKey(calendar.year), calendar } }),
  );
  calendarGeneration++;
  calendarCache = undefined;
};

let profileCache: PolicyProfile | undefined;

/** The deployment's policy profile: chosen once (env), validated at start, never changed at run time. */
export const activeProfile = (): PolicyProfile => {
  if (!profileCache) {
    const json = process.env.POLICY_PROFILE_JSON;
    profileCache = json ? loadProfileFromObject(JSON.parse(json)) : loadProfile(process.env.POLICY_PROFILE ?? 'guandu');
  }
  return profileCache;
};

export const resetConfigCaches = (): void => {
  orgCache = undefined;
  calendarCache = undefined;
  profileCache = undefined;
};

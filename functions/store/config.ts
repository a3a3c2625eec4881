import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import * as z from '../zod.ts';
import { runtime } from '../runtime.ts';
import { indexOrg, type OrgIndex, type OrgTree } from '../domain/org.ts';
import type { HolidayCalendar } from '../domain/calendar.ts';
import { loadBuiltInCalendars, loadProfile } from '../policies/index.ts';
import { loadProfileFromObject, type PolicyProfile } from '../domain/policy.ts';
import { tableName } from './table.ts';

/*
 * Configuration that changes rarely and is read on every request: the org tree, the
 * holiday calendars and the policy profile. Cached in memory; in AWS each container
 * re-reads after CACHE_MS so that a district's edit reaches every function quickly.
 */
const CACHE_MS = 60_000;

/** A unit's duty line (值班电话/邮箱): reminders reach the unit even before its staff register. */
const DutyContactSchema = z.optional(
  z.strictObject({ phone: z.optional(z.string().check(z.regex(/^1[3-9]\d{9}$/, 'must be a mainland mobile number'))), email: z.optional(z.email().check(z.maxLength(254))) }),
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

let orgCache: { at: number; index: OrgIndex } | undefined;

export const getOrg = async (): Promise<OrgIndex> => {
  const now = Date.now();
  if (orgCache && (runtime().local || now - orgCache.at < CACHE_MS)) return orgCache.index;
  const out = await runtime().ddb.send(new GetCommand({ TableName: tableName(), Key: { pk: 'ORG', sk: 'TREE' } }));
  const tree = (out.Item?.tree as OrgTree | undefined) ?? { district: { id: 'district', name: '' }, streets: [] };
  orgCache = { at: now, index: indexOrg(tree) };
  return orgCache.index;
};

export const putOrg = async (tree: OrgTree): Promise<OrgIndex> => {
  await runtime().ddb.send(new PutCommand({ TableName: tableName(), Item: { pk: 'ORG', sk: 'TREE', tree } }));
  orgCache = { at: Date.now(), index: indexOrg(tree) };
  return orgCache.index;
};

let calendarCache: { at: number; calendars: Map<number, HolidayCalendar> } | undefined;

/** Built-in calendars overlaid with the ones a district loaded through the API. */
export const getCalendars = async (): Promise<ReadonlyMap<number, HolidayCalendar>> => {
  const now = Date.now();
  if (calendarCache && (runtime().local || now - calendarCache.at < CACHE_MS)) return calendarCache.calendars;
  const calendars = new Map(loadBuiltInCalendars());
  const out = await runtime().ddb.send(new GetCommand({ TableName: tableName(), Key: { pk: 'CALENDAR', sk: 'LOADED' } }));
  for (const c of (out.Item?.calendars as HolidayCalendar[] | undefined) ?? []) calendars.set(c.year, c);
  calendarCache = { at: now, calendars };
  return calendars;
};

/** Loaded calendars live in one item: a district has a handful of years. */
export const putCalendar = async (calendar: HolidayCalendar): Promise<void> => {
  const out = await runtime().ddb.send(new GetCommand({ TableName: tableName(), Key: { pk: 'CALENDAR', sk: 'LOADED' }, ConsistentRead: true }));
  const loaded = ((out.Item?.calendars as HolidayCalendar[] | undefined) ?? []).filter((c) => c.year !== calendar.year);
  loaded.push(calendar);
  await runtime().ddb.send(new PutCommand({ TableName: tableName(), Item: { pk: 'CALENDAR', sk: 'LOADED', calendars: loaded } }));
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

import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { runtime } from '../runtime.ts';
import {
  allCommunityProjects,
  communityProjectsInPublicity,
  indexProjectsInPublicity,
  type ProjectSummary,
} from './projects.ts';
import { tableName } from './table.ts';

/*
 * The notice board's sparse index (gsi4) holds an entry for each project in publicity. A
 * table that held projects before the index existed has projects in publicity without
 * one: until they are indexed, which a marker records, the board reads them the old way
 * (every project of the community's year, filtered by status).
 */

const BUILT_KEY = { pk: 'MIGRATION', sk: 'PUBLICITY_INDEX' };

/** How long a process trusts "not built yet" before it reads the marker again. */
const RECHECK_MS = 60_000;

let built: { yes: true } | { yes: false; at: number } | undefined;

const markerStored = async (): Promise<boolean> => {
  const out = await runtime().ddb.send(
    new GetCommand({ TableName: tableName(), Key: BUILT_KEY, ConsistentRead: true, ProjectionExpression: 'pk' }),
  );
  return !!out.Item;
};

const isBuilt = async (): Promise<boolean> => {
  if (built?.yes || (built && Date.now() - built.at < RECHECK_MS)) return built.yes;
  const yes = await markerStored();
  built = yes ? { yes } : { yes, at: Date.now() };
  return yes;
};

/**
 * Indexes the projects in publicity that have no entry yet, once for the table: run at a
 * local start and by the daily sweep in AWS, and a no-op (one read) once the marker is
 * written. Returns how many projects it indexed.
 */
export const ensurePublicityIndexBuilt = async (now: Date): Promise<number> => {
  if (await isBuilt()) return 0;
  const indexed = await indexProjectsInPublicity();
  await runtime().ddb.send(
    new PutCommand({ TableName: tableName(), Item: { ...BUILT_KEY, builtAt: now.toISOString(), indexed } }),
  );
  built = { yes: true };
  return indexed;
};

/** The community's projects of the year in publicity now, as their summaries. */
export const projectsInPublicity = async (communityId: string, year: number): Promise<ProjectSummary[]> =>
  (await isBuilt())
    ? communityProjectsInPublicity(communityId, year)
    : allCommunityProjects(communityId, year, 'IN_PUBLICITY');

/** Forgets what this process knows of the marker (tests that start over on a fresh table). */
export const resetPublicityIndexCache = (): void => {
  built = undefined;
};

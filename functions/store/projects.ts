import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { runtime } from '../runtime.ts';
import { TERMINAL, dueAtFor, type Status } from '../domain/lifecycle.ts';
import type { HistoryEvent, Project } from '../domain/project.ts';
import type { PendingOperation } from '../domain/pendingOp.ts';
import { getOrg } from './config.ts';
import {
  UpdateBuilder,
  allPages,
  decodePageToken,
  encodePageToken,
  isConditionFailure,
  queryAll,
  scanPages,
  tableName,
  versionIs,
  withoutKeys,
  writeIf,
} from './table.ts';

/*
 * Key shapes of a project item:
 *   pk PROJECT#<id>  sk PROJECT
 *   gsi1 COMMUNITY#<communityId>#<year> / <createdAt>#<id>   the community's list
 *   gsi2 STREET#<streetId>#<year>       / <createdAt>#<id>   the street's list
 *   gsi3 OPEN                           / <next due>#<id>     open projects by their next deadline
 *                                       / !op#<id>             a project with an unfinished operation
 * History is appended to the item in the same write as the change it records, so a
 * transition and its event can never be split.
 */
const key = (id: string) => ({ pk: `PROJECT#${id}`, sk: 'PROJECT' });
const listKey = (p: Pick<Project, 'createdAt' | 'id'>) => `${p.createdAt}#${p.id}`;
const openSortKey = (p: Pick<Project, 'id' | 'status' | 'deadlines'>) =>
  `${dueAtFor(p.status, p.deadlines) ?? '9999'}#${p.id}`;

export const createProject = async (p: Project): Promise<void> => {
  await runtime().ddb.send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...key(p.id),
        ...p,
        gsi1pk: `COMMUNITY#${p.communityId}#${p.year}`,
        gsi1sk: listKey(p),
        gsi2pk: `STREET#${p.streetId}#${p.year}`,
        gsi2sk: listKey(p),
        gsi3pk: 'OPEN',
        gsi3sk: openSortKey(p),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
};

/**
 * Creates the project unless one with its id exists, and returns what is stored: a
 * command re-run with the same derived id gets back its first project, not a second.
 */
export const createProjectOnce = async (p: Project): Promise<{ project: Project; created: boolean }> => {
  try {
    await createProject(p);
    return { project: p, created: true };
  } catch (e) {
    if (!isConditionFailure(e)) throw e;
    const existing = await getProject(p.id);
    if (!existing) throw e;
    return { project: existing, created: false };
  }
};

export const getProject = async (id: string): Promise<Project | undefined> => {
  const out = await runtime().ddb.send(new GetCommand({ TableName: tableName(), Key: key(id), ConsistentRead: true }));
  return out.Item && withoutKeys<Project>(out.Item);
};

export interface ProjectChange {
  /** The statuses the project must be in for the change to apply. */
  from: readonly Status[];
  to?: Status;
  set?: Record<string, unknown>;
  remove?: string[];
  increment?: Record<string, number>;
  events: HistoryEvent[];
  /** Applies only over this version (the one the change was decided on). */
  expectedVersion?: number;
  /** Extra condition, written with the builder's placeholders. */
  condition?: (b: UpdateBuilder) => string;
  /** Refused unless the project's escalation of this status is below this level. */
  escalationBelow?: { status: Status; level: number };
  /** Deadlines after the change, for the open-projects index. */
  deadlinesAfter?: Project['deadlines'];
  /** Records an operation's intent; refused while another one is pending. */
  begins?: PendingOperation;
  /** Completes (or undoes) the pending operation with this id, and only that one. */
  settles?: { opId: string; status: Status; deadlines: Project['deadlines'] };
}

// Sorts before every deadline, so the sweep and the recovery pass find unfinished operations first.
const PENDING_PREFIX = '!op#';

/**
 * Applies one change to a project in one conditional write. Returns the project as it
 * is afterwards, or undefined when the project is not in an allowed status (or the
 * extra condition fails): the caller turns that into 409 after reading why.
 */
export const changeProject = async (id: string, change: ProjectChange, now: Date): Promise<Project | undefined> => {
  const b = new UpdateBuilder();
  const status = b.name('status');
  b.condition(`attribute_exists(pk) AND ${status} IN (${change.from.map((s) => b.value(s)).join(', ')})`);
  if (change.expectedVersion !== undefined) b.condition(versionIs(b, change.expectedVersion));
  if (change.condition) b.condition(change.condition(b));
  if (change.escalationBelow) {
    const { status: s, level } = change.escalationBelow;
    b.condition(
      `attribute_not_exists(${b.name('escalation')}) OR ${b.name('escalation.status')} <> ${b.value(s)} OR ${b.name('escalation.level')} < ${b.value(level)}`,
    );
  }
  // A status change (other than an operation's own finish) waits for the pending operation.
  if (change.begins || (change.to && !change.settles)) b.condition(`attribute_not_exists(${b.name('pendingOp')})`);
  if (change.settles) b.condition(`${b.name('pendingOp.id')} = ${b.value(change.settles.opId)}`);
  b.set({ ...(change.set ?? {}), updatedAt: now.toISOString() });
  const indexedHere = !!(change.begins || change.settles);
  if (change.to) {
    b.set({ status: change.to });
    if (TERMINAL.has(change.to) && !indexedHere) b.remove('gsi3pk', 'gsi3sk');
  }
  if ((change.to || change.deadlinesAfter) && !indexedHere) {
    const deadlines = change.deadlinesAfter ?? (change.set?.deadlines as Project['deadlines'] | undefined);
    if (change.to && !TERMINAL.has(change.to) && deadlines)
      b.set({ gsi3sk: openSortKey({ id, status: change.to, deadlines }) });
  }
  if (change.begins) b.set({ pendingOp: change.begins, gsi3pk: 'OPEN', gsi3sk: `${PENDING_PREFIX}${id}` });
  if (change.settles) {
    const resting = change.to ?? change.settles.status;
    b.remove('pendingOp');
    if (TERMINAL.has(resting)) b.remove('gsi3pk', 'gsi3sk');
    else
      b.set({
        gsi3pk: 'OPEN',
        gsi3sk: openSortKey({ id, status: resting, deadlines: change.deadlinesAfter ?? change.settles.deadlines }),
      });
  }
  if (change.remove?.length) b.remove(...change.remove);
  for (const [path, by] of Object.entries(change.increment ?? {})) b.increment(path, by);
  b.increment('version', 1);
  if (change.events.length) b.appendTo('history', change.events);
  try {
    const out = await runtime().ddb.send(
      new UpdateCommand({ TableName: tableName(), Key: key(id), ...b.build(), ReturnValues: 'ALL_NEW' }),
    );
    return withoutKeys<Project>(out.Attributes ?? {});
  } catch (e) {
    if (isConditionFailure(e)) return undefined;
    throw e;
  }
};

/** Parks a workflow token on the project, only while it is still in the status the step waits on. */
export const parkToken = async (id: string, status: Status, token: string): Promise<boolean> => {
  const b = new UpdateBuilder();
  b.set({ taskToken: token, taskStatus: status });
  b.condition(`${b.name('status')} = ${b.value(status)}`);
  return writeIf(new UpdateCommand({ TableName: tableName(), Key: key(id), ...b.build() }));
};

export interface ProjectPage {
  items: Project[];
  nextToken?: string;
}

const queryIndex = async (
  index: 'gsi1' | 'gsi2',
  pk: string,
  opts: { status?: Status; limit: number; nextToken?: string },
): Promise<ProjectPage> => {
  const out = await runtime().ddb.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: index,
      KeyConditionExpression: `${index}pk = :pk`,
      ExpressionAttributeValues: { ':pk': pk, ...(opts.status ? { ':s': opts.status } : {}) },
      ...(opts.status ? { FilterExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' } } : {}),
      Limit: opts.limit,
      ExclusiveStartKey: decodePageToken(opts.nextToken),
    }),
  );
  return {
    items: (out.Items ?? []).map((i) => withoutKeys<Project>(i)),
    nextToken: encodePageToken(out.LastEvaluatedKey),
  };
};

export const listCommunityProjects = (
  communityId: string,
  year: number,
  opts: { status?: Status; limit: number; nextToken?: string },
) => queryIndex('gsi1', `COMMUNITY#${communityId}#${year}`, opts);

/** Every project of the community's year (optionally in one status), all pages. */
export const allCommunityProjects = (communityId: string, year: number, status?: Status): Promise<Project[]> =>
  allPages((nextToken) => listCommunityProjects(communityId, year, { status, limit: 100, nextToken }));

export const listStreetProjects = (
  streetId: string,
  year: number,
  opts: { status?: Status; limit: number; nextToken?: string },
) => queryIndex('gsi2', `STREET#${streetId}#${year}`, opts);

/** Every project of the street's year, all pages. */
export const allStreetProjects = (streetId: string, year: number): Promise<Project[]> =>
  allPages((nextToken) => listStreetProjects(streetId, year, { limit: 100, nextToken }));

/** Open projects whose next deadline is at or before `until` (the reminder sweep and restarts read this index). */
export const listOpenProjects = async (until?: string): Promise<Project[]> =>
  (
    await queryAll({
      IndexName: 'gsi3',
      KeyConditionExpression: until ? 'gsi3pk = :pk AND gsi3sk <= :until' : 'gsi3pk = :pk',
      ExpressionAttributeValues: { ':pk': 'OPEN', ...(until ? { ':until': `${until}~` } : {}) },
    })
  ).map((i) => withoutKeys<Project>(i));

/** Projects with an operation that has not finished (possibly one still running). */
export const listPendingOperations = async (): Promise<Project[]> =>
  (
    await queryAll({
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :pk AND begins_with(gsi3sk, :op)',
      ExpressionAttributeValues: { ':pk': 'OPEN', ':op': PENDING_PREFIX },
    })
  ).map((i) => withoutKeys<Project>(i));

/**
 * Whether any project is stored at all: one Scan, stopped at the first page that finds
 * one. For the local clock only (it may go back while the table holds no project).
 */
export const anyProjectStored = async (): Promise<boolean> => {
  for await (const page of scanPages({
    FilterExpression: 'begins_with(pk, :p) AND sk = :sk',
    ExpressionAttributeValues: { ':p': 'PROJECT#', ':sk': 'PROJECT' },
    ProjectionExpression: 'pk',
  }))
    if (page.Items?.length) return true;
  return false;
};

/** Every project of the year, street by street through the street index (never a Scan). */
export const projectsOfYear = async (year: number, streetIds?: readonly string[]): Promise<Project[]> => {
  const streets = streetIds ?? [...(await getOrg()).streets.keys()];
  const out: Project[] = [];
  for (const streetId of streets) out.push(...(await allStreetProjects(streetId, year)));
  return out;
};

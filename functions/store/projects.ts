import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { runtime } from '../runtime.ts';
import { TERMINAL, awaitsItsToken, dueAtFor, type Status } from '../domain/lifecycle.ts';
import { remindersRecorded, type RemindersRecorded } from '../domain/reminders.ts';
import type { HistoryEvent, Project } from '../domain/project.ts';
import type { PendingOperation } from '../domain/pendingOp.ts';
import { getOrg } from './config.ts';
import { PROJECT_SUMMARY_FIELDS, WRITTEN_ON } from './indexes.ts';
import { shanghaiDay } from '../domain/calendar.ts';
import { foldAudit } from './auditFold.ts';
import { decodeEvent, encodeEvent } from './historyCodec.ts';
import {
  StaleProjectRead,
  amendProject,
  cachedProject,
  forgetProject,
  intentSeenDone,
  isCachedCopy,
  rememberProject,
  writingProject,
} from './projectCache.ts';
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
 *   gsi3 OPEN#<00..15>                  / <next due>#<id>     open projects by their next deadline, in
 *                                       / !op#<id>             16 shards by id; !op: an unfinished operation
 * Lists return summaries (the fields projected into gsi1 and gsi2, see indexes.ts); a
 * reader that needs whole projects fetches them by id (getProjects).
 * History is appended to the item in the same write as the change it records, so a
 * transition and its event can never be split; each event is kept as one string
 * (historyCodec.ts).
 */
const key = (id: string) => ({ pk: `PROJECT#${id}`, sk: 'PROJECT' });

/** A project as read from its item: without the table's keys, its history events decoded. */
const projectOf = (item: Record<string, unknown>): Project => {
  const p = withoutKeys<Project>(item);
  if (Array.isArray(p.history)) p.history = p.history.map(decodeEvent);
  return p;
};

const listKey = (p: Pick<Project, 'createdAt' | 'id'>) => `${p.createdAt}#${p.id}`;

// Each list's partition, spelled once for the write that keys an item and the query that reads it.
const communityList = (communityId: string, year: number) => `COMMUNITY#${communityId}#${year}`;
const streetList = (streetId: string, year: number) => `STREET#${streetId}#${year}`;
const publicityList = (communityId: string, year: number) => `PUBLICITY#${communityId}#${year}`;

/** A project's entry on the notice board's sparse index: only while it is in publicity. */
const publicityEntry = (p: Pick<Project, 'communityId' | 'year' | 'createdAt' | 'id'>) => ({
  gsi4pk: publicityList(p.communityId, p.year),
  gsi4sk: listKey(p),
});

/**
 * The open-deadline index is spread over 16 partitions so that no single key takes every
 * open project's writes (DynamoDB's per-partition limits, see docs/scale.md). The shard
 * is a pure function of the id, so a project's entry never moves between shards.
 */
export const OPEN_SHARDS = 16;
export const openShard = (id: string): string =>
  `OPEN#${String(createHash('sha256').update(id).digest().readUInt16BE(0) % OPEN_SHARDS).padStart(2, '0')}`;
/** The single key every open project sat under before the index was sharded; still read, and moved at start. */
const LEGACY_OPEN = 'OPEN';
const openPartitions = (): string[] => [
  ...Array.from({ length: OPEN_SHARDS }, (_, i) => `OPEN#${String(i).padStart(2, '0')}`),
  LEGACY_OPEN,
];

/**
 * What an entry of the deadline index records of its deadline's reminders, after the id:
 * `#r<offsets>` and `#o<opening recorded at>`, so that the sweep reads whole only the
 * projects it may have something to do for. A write that cannot know them all leaves some
 * out: the project is then read whole, never skipped.
 */
const remindersSuffix = (status: Status, dueAt: string | undefined, remindersSent: unknown): string => {
  if (!dueAt) return '';
  const { offsets, openedAt } = remindersRecorded(status, dueAt, remindersSent as Record<string, string>);
  return `${offsets.length ? `#r${offsets.join('.')}` : ''}${openedAt ? `#o${openedAt}` : ''}`;
};

const remindersOfSuffix = (parts: readonly string[]): RemindersRecorded => {
  const offsets = parts.find((x) => x.startsWith('r'));
  const opened = parts.find((x) => x.startsWith('o'));
  return {
    offsets: offsets ? offsets.slice(1).split('.').map(Number) : [],
    ...(opened ? { openedAt: opened.slice(1) } : {}),
  };
};

/** `<next due>#<id>` and its reminders' suffix. */
const openSortKey = (p: Pick<Project, 'id' | 'status' | 'deadlines'> & { remindersSent?: unknown }) => {
  const dueAt = dueAtFor(p.status, p.deadlines);
  return `${dueAt ?? '9999'}#${p.id}${remindersSuffix(p.status, dueAt, p.remindersSent)}`;
};

const dueOf = (sortKey: string): { dueAt: string; reminders: RemindersRecorded } => {
  const [dueAt = '', , ...parts] = sortKey.split('#');
  return { dueAt, reminders: remindersOfSuffix(parts) };
};

export const createProject = async (p: Project): Promise<void> => {
  const audited = foldAudit(p.history);
  const item = {
    ...key(p.id),
    ...p,
    history: audited.events.map(encodeEvent),
    [WRITTEN_ON]: shanghaiDay(new Date(p.createdAt)),
    gsi1pk: communityList(p.communityId, p.year),
    gsi1sk: listKey(p),
    gsi2pk: streetList(p.streetId, p.year),
    gsi2sk: listKey(p),
    gsi3pk: openShard(p.id),
    gsi3sk: openSortKey(p),
    ...(p.status === 'IN_PUBLICITY' ? publicityEntry(p) : {}),
  };
  await runtime().ddb.send(
    new PutCommand({ TableName: tableName(), Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
  );
  audited.commit();
  rememberProject(projectOf(item));
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

/** The project as the store holds it now (a consistent read), not remembered: for a view that serves no command. */
export const readProject = async (id: string): Promise<Project | undefined> => {
  const out = await runtime().ddb.send(new GetCommand({ TableName: tableName(), Key: key(id), ConsistentRead: true }));
  return out.Item && projectOf(out.Item);
};

/** The project as the store holds it now (a consistent read). */
export const getProject = async (id: string): Promise<Project | undefined> => {
  const p = await readProject(id);
  if (p) rememberProject(p);
  else forgetProject(id);
  return p;
};

/**
 * What the staff view of a project is made of: the summary's fields and every other field
 * but the history, which the view never returns and which is about two thirds of the item.
 * The workflow's plumbing stays out too, except `pendingOp` (a view of an unfinished
 * operation settles it first, from the whole item) and `lastObjectionAt` (whether there
 * are objections to read). test/integration/projectViewRead.test.ts checks this list
 * against the view's schema.
 */
export const VIEW_FIELDS = [
  ...PROJECT_SUMMARY_FIELDS,
  'cofunding',
  'undertakerId',
  'measures',
  'needIds',
  'restrictedUse',
  'version',
  'updatedAt',
  'createdBy',
  'publicityRound',
  'batch',
  'approvedAt',
  'completedAt',
  'deliberations',
  'tranches',
  'contract',
  'progress',
  'escalation',
  'warnings',
  'remindersSent',
  'lastObjectionAt',
  'pendingOp',
] as const;

/** A project as its staff view needs it: all of it but the history. */
export type ProjectForView = Omit<Project, 'history'>;

const viewProjection = {
  ProjectionExpression: VIEW_FIELDS.map((_, i) => `#v${i}`).join(', '),
  ExpressionAttributeNames: Object.fromEntries(VIEW_FIELDS.map((f, i) => [`#v${i}`, f])),
};

/**
 * The project without its history (a consistent read), for a view. It is not remembered
 * for commands (projectCache.ts), which decide on whole projects.
 */
export const getProjectForView = async (id: string): Promise<ProjectForView | undefined> => {
  const out = await runtime().ddb.send(
    new GetCommand({ TableName: tableName(), Key: key(id), ConsistentRead: true, ...viewProjection }),
  );
  return out.Item && withoutKeys<ProjectForView>(out.Item);
};

/**
 * The project a command decides on: the copy this process last read or wrote when it has
 * one (projectCache.ts), else a consistent read. A copy with an operation under way is
 * read again: settling it is not decided on a copy. Not so one whose operation needs no
 * settling: a record-first intent whose steps this process saw done (the next status write
 * only removes it). A copy in a human step without the token parked for it is read again
 * too: the workflow parks it in a write of its own after the step begins (in AWS, in
 * another function), so a write over that copy would be refused once the park is in, and
 * made again over the item the store sends back.
 */
export const getProjectToChange = async (id: string): Promise<Project | undefined> => {
  const cached = cachedProject(id);
  const op = cached?.pendingOp;
  const unsettled = !!op && (!!op.finish || !intentSeenDone(id, op.id));
  if (!cached || unsettled || awaitsItsToken(cached)) return getProject(id);
  if (checkingDerivedItems()) sameAsStored(cached, await readProject(id));
  return cached;
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
  /** Refused when one of these (dotted) paths of the item already exists: a record is added once. */
  absentPaths?: readonly string[];
  /** Refused unless the publicity window of this round is still open at this instant. */
  publicityOpenAt?: { at: string; round: number };
  /** Refused unless the project's escalation of this status is below this level. */
  escalationBelow?: { status: Status; level: number };
  /** Deadlines after the change, for the open-projects index. */
  deadlinesAfter?: Project['deadlines'];
  /** Records an operation's intent; refused while another one is pending (unless this change `settles` it). */
  begins?: PendingOperation;
  /**
   * Completes (or undoes) the pending operation with this id, and only that one; with
   * `begins`, the new intent takes the place of that one (whose steps are done).
   */
  settles?: { opId: string; status: Status; deadlines: Project['deadlines'] };
}

// Sorts before every deadline, so the sweep and the recovery pass find unfinished operations first.
const PENDING_PREFIX = '!op#';
/*
 * A record-first intent (domain/pendingOp.ts) stays on the item, done, until the project's
 * next status write, so its entry carries what the sweep needs to leave it alone: when it
 * started (it is checked against the ledger in the first days after) and the next
 * deadline (its reminders). Sorts before every deadline too.
 */
const RECORDED_PREFIX = '!rf#';

const pendingSortKey = (id: string, op: PendingOperation, remindersSent?: unknown): string => {
  if (op.finish) return `${PENDING_PREFIX}${id}`;
  const dueAt = dueAtFor(op.restingStatus, op.restingDeadlines);
  const reminders = remindersSuffix(op.restingStatus, dueAt, remindersSent);
  return `${RECORDED_PREFIX}${op.startedAt}#${dueAt ?? '9999'}#${id}${reminders}#p${encodeURIComponent(op.id)}`;
};

/**
 * Set (STORE_CHECK_DERIVED=1, as the tests run) to have the store send every item back
 * anyway and fail the write's caller when the item worked out here differs from it.
 */
const checkingDerivedItems = (): boolean => process.env.STORE_CHECK_DERIVED === '1';

/** Names only the fields that differ: the item holds a task token, which never goes into a log. */
const sameAsStored = (derived: Project, stored: Project | undefined): void => {
  if (isDeepStrictEqual(derived, stored)) return;
  const a = derived as unknown as Record<string, unknown>;
  const b = (stored ?? {}) as Record<string, unknown>;
  const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !isDeepStrictEqual(a[k], b[k]));
  throw new Error(
    `the project ${derived.id} worked out after a write differs from the stored one in ${fields.join(', ')}`,
  );
};

/**
 * Applies one change to a project in one conditional write. Returns the project as it
 * is afterwards, or undefined when the project is not in an allowed status (or one of
 * the change's conditions fails): the caller turns that into 409 after reading why.
 */
export const changeProject = async (
  id: string,
  change: ProjectChange,
  now: Date,
  before?: Project,
): Promise<Project | undefined> => {
  const audited = foldAudit(change.events);
  const known = (p: Project): Project => {
    rememberProject(p);
    return p;
  };
  const send = async (b: UpdateBuilder, returnItem: boolean): Promise<Project | undefined> => {
    const out = await writingProject(() =>
      runtime().ddb.send(
        new UpdateCommand({
          TableName: tableName(),
          Key: key(id),
          ...b.build(),
          ...(returnItem ? { ReturnValues: 'ALL_NEW' } : {}),
        }),
      ),
    );
    audited.commit();
    return out.Attributes && projectOf(out.Attributes);
  };
  const overSameVersion = async (version: number): Promise<Project> => {
    try {
      const b = projectUpdate(id, { ...change, expectedVersion: version }, now, audited.events, undefined, before);
      return (await send(b, true)) ?? projectOf({});
    } catch (e) {
      throw isConditionFailure(e) ? new StaleProjectRead(id) : e;
    }
  };
  try {
    // Written over the item as read (its version, and its parked token, which moves no
    // version), the item afterwards is known without the store sending it back. Refused,
    // the write is tried again as asked, which says whether it was only the item moving on.
    if (before && (change.expectedVersion === undefined || change.expectedVersion === before.version)) {
      const asRead = { version: before.version, token: before.taskToken };
      const b = projectUpdate(id, change, now, audited.events, asRead, before);
      const asWritten = b.applyTo(before);
      if (asWritten)
        try {
          const check = checkingDerivedItems();
          const stored = await send(b, check);
          const derived = withoutKeys<Project>(asWritten);
          if (check) sameAsStored(derived, stored);
          return known(derived);
        } catch (e) {
          if (!isConditionFailure(e)) throw e;
          // Decided on a copy: written again over the same version whatever token is parked (a
          // parked token moves no version, and no decision rests on it); refused again, the
          // project moved on since, and the command is decided again on a fresh read.
          if (isCachedCopy(before)) return known(await overSameVersion(before.version));
        }
    }
    return known(
      (await send(projectUpdate(id, change, now, audited.events, undefined, before), true)) ?? projectOf({}),
    );
  } catch (e) {
    // Refused, or not known to have been written: the next command reads the store.
    forgetProject(id);
    if (isConditionFailure(e)) return undefined;
    throw e;
  }
};

/**
 * The conditional update of one change. With `asRead`, it also holds only while the item
 * is at the version read and its parked token is the one read (none: none parked).
 */
const projectUpdate = (
  id: string,
  change: ProjectChange,
  now: Date,
  events: HistoryEvent[],
  asRead?: { version: number; token: string | undefined },
  read?: Project,
): UpdateBuilder => {
  const b = new UpdateBuilder();
  const status = b.name('status');
  b.condition(`attribute_exists(pk) AND ${status} IN (${change.from.map((s) => b.value(s)).join(', ')})`);
  const version = change.expectedVersion ?? asRead?.version;
  if (version !== undefined) b.condition(versionIs(b, version));
  // The project as it is when this write applies: the one read, if the write holds only over its version.
  const exact = read && version !== undefined && read.version === version ? read : undefined;
  if (asRead)
    b.condition(
      asRead.token === undefined
        ? `attribute_not_exists(${b.name('taskToken')})`
        : `${b.name('taskToken')} = ${b.value(asRead.token)}`,
    );
  for (const path of change.absentPaths ?? []) b.condition(`attribute_not_exists(${b.name(path)})`);
  if (change.publicityOpenAt)
    b.condition(
      `${b.name('deadlines.publicityEndsAt')} >= ${b.value(change.publicityOpenAt.at)} AND ${b.name('publicityRound')} = ${b.value(change.publicityOpenAt.round)}`,
    );
  if (change.escalationBelow) {
    const { status: s, level } = change.escalationBelow;
    b.condition(
      `attribute_not_exists(${b.name('escalation')}) OR ${b.name('escalation.status')} <> ${b.value(s)} OR ${b.name('escalation.level')} < ${b.value(level)}`,
    );
  }
  // A status change or a new intent waits for the pending operation, unless this change settles it.
  if (change.settles) b.condition(`${b.name('pendingOp.id')} = ${b.value(change.settles.opId)}`);
  else if (change.begins || change.to) b.condition(`attribute_not_exists(${b.name('pendingOp')})`);
  b.set({ ...(change.set ?? {}), updatedAt: now.toISOString(), [WRITTEN_ON]: shanghaiDay(now) });
  const openEntry = (gsi3sk: string) => ({ gsi3pk: openShard(id), gsi3sk });
  const indexedHere = !!(change.begins || change.settles);
  if (change.to) {
    b.set({ status: change.to });
    if (TERMINAL.has(change.to) && !indexedHere) b.remove('gsi3pk', 'gsi3sk');
    // A project's community, year and creation never change: any copy read of it keys its entry.
    if (change.to === 'IN_PUBLICITY') {
      if (!read) throw new Error(`project ${id} enters publicity in a write without the project read`);
      b.set(publicityEntry(read));
    } else if (change.from.includes('IN_PUBLICITY')) b.remove('gsi4pk', 'gsi4sk');
  }
  if ((change.to || change.deadlinesAfter) && !indexedHere) {
    const deadlines = change.deadlinesAfter ?? (change.set?.deadlines as Project['deadlines'] | undefined);
    if (change.to && !TERMINAL.has(change.to) && deadlines)
      b.set(openEntry(openSortKey({ id, status: change.to, deadlines, remindersSent: change.set?.remindersSent })));
  }
  if (change.begins) {
    // The reminders this write records are those of the status it leaves the project in, when that is known.
    const statusAfter = change.to ?? exact?.status;
    const sent = statusAfter === change.begins.restingStatus ? change.set?.remindersSent : undefined;
    b.set({ pendingOp: change.begins, ...openEntry(pendingSortKey(id, change.begins, sent)) });
  }
  if (change.settles && !change.begins) {
    const resting = change.to ?? change.settles.status;
    b.remove('pendingOp');
    if (TERMINAL.has(resting)) b.remove('gsi3pk', 'gsi3sk');
    else
      b.set(
        openEntry(
          openSortKey({
            id,
            status: resting,
            deadlines: change.deadlinesAfter ?? change.settles.deadlines,
            remindersSent: change.set?.remindersSent,
          }),
        ),
      );
  }
  // Reminders recorded over a known version of an open project: its entry says so, unless
  // it stands for an operation to finish or one resting in another status (neither entry
  // says anything of these reminders).
  if (exact && change.set?.remindersSent && !change.to && !indexedHere && !TERMINAL.has(exact.status)) {
    const op = exact.pendingOp;
    if (!op) b.set(openEntry(openSortKey({ ...exact, id, remindersSent: change.set.remindersSent })));
    else if (!op.finish && op.restingStatus === exact.status)
      b.set(openEntry(pendingSortKey(id, op, change.set.remindersSent)));
  }
  if (change.remove?.length) b.remove(...change.remove);
  for (const [path, by] of Object.entries(change.increment ?? {})) b.increment(path, by);
  b.increment('version', 1);
  // The item worked out by applyTo holds the events themselves (in the store's form), not their strings.
  if (events.length) b.appendTo('history', events.map(encodeEvent), events);
  return b;
};

/**
 * Parks a workflow token on the project, only while it is still in the status the step
 * waits on, with the status the step's Next expects (none: whatever a waker sends goes on).
 */
export const parkToken = async (
  id: string,
  status: Status,
  token: string,
  continuesWith?: Status,
): Promise<boolean> => {
  const b = new UpdateBuilder();
  b.set({ taskToken: token, taskStatus: status });
  // A token parked without one must not inherit the expectation of the step parked before it.
  if (continuesWith) b.set({ taskContinuesWith: continuesWith });
  else b.remove('taskContinuesWith');
  b.condition(`${b.name('status')} = ${b.value(status)}`);
  const parked = await writeIf(new UpdateCommand({ TableName: tableName(), Key: key(id), ...b.build() }));
  // A park moves no version: the copy takes the token, which a command decided on it is checked against.
  if (parked)
    amendProject(id, (p) => {
      p.taskToken = token;
      p.taskStatus = status;
      if (continuesWith) p.taskContinuesWith = continuesWith;
      else delete p.taskContinuesWith;
    });
  else forgetProject(id);
  return parked;
};

/** What a list returns of a project: the fields its index carries. */
export type ProjectSummary = Pick<Project, (typeof PROJECT_SUMMARY_FIELDS)[number]>;

export interface ProjectPage {
  items: ProjectSummary[];
  nextToken?: string;
}

const BATCH_GET_LIMIT = 100;
/** Batch reads of whole projects in flight at once (each up to 100 items, ~1 MB). */
const BATCHES_AT_ONCE = 3;

/**
 * Whole projects by id, in the order asked (ids without a project are left out): a list
 * gives summaries, and a reader that needs the records fetches them in batches of 100.
 * Strongly consistent unless `consistent: false` (half the read cost, for readers that
 * re-check with a conditional write anyway).
 */
export const getProjects = async (ids: readonly string[], opts: { consistent?: boolean } = {}): Promise<Project[]> => {
  const found = new Map<string, Project>();
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += BATCH_GET_LIMIT) chunks.push([...new Set(ids.slice(i, i + BATCH_GET_LIMIT))]);
  const readChunk = async (chunk: string[]) => {
    let keys: Record<string, unknown>[] | undefined = chunk.map(key);
    // DynamoDB may answer part of a batch; the rest is asked again until none is left.
    while (keys?.length) {
      const out: BatchGetCommandOutput = await runtime().ddb.send(
        new BatchGetCommand({
          RequestItems: { [tableName()]: { Keys: keys, ConsistentRead: opts.consistent ?? true } },
        }),
      );
      for (const item of out.Responses?.[tableName()] ?? []) found.set((item as Project).id, projectOf(item));
      keys = out.UnprocessedKeys?.[tableName()]?.Keys;
    }
  };
  // A few batches at once: the store reads and sends one while this process takes apart another.
  const next = chunks.values();
  const worker = async () => {
    for (let c = next.next(); !c.done; c = next.next()) await readChunk(c.value);
  };
  await Promise.all(Array.from({ length: Math.min(BATCHES_AT_ONCE, chunks.length) }, worker));
  return ids.map((id) => found.get(id)).filter((p): p is Project => !!p);
};

const queryIndex = async (
  index: 'gsi1' | 'gsi2' | 'gsi4',
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
  return { items: (out.Items ?? []).map(toSummary), nextToken: encodePageToken(out.LastEvaluatedKey) };
};

export const listCommunityProjects = (
  communityId: string,
  year: number,
  opts: { status?: Status; limit: number; nextToken?: string },
) => queryIndex('gsi1', communityList(communityId, year), opts);

/** Every project of the community's year (optionally in one status) as its summary, all pages. */
export const allCommunityProjects = (communityId: string, year: number, status?: Status): Promise<ProjectSummary[]> =>
  allPages((nextToken) => listCommunityProjects(communityId, year, { status, limit: 100, nextToken }));

/**
 * The community's projects of the year in publicity now, all pages, from the sparse index
 * that holds nothing else (a project has an entry only while it is IN_PUBLICITY).
 */
export const communityProjectsInPublicity = (communityId: string, year: number): Promise<ProjectSummary[]> =>
  allPages((nextToken) => queryIndex('gsi4', publicityList(communityId, year), { limit: 100, nextToken }));

export const listStreetProjects = (
  streetId: string,
  year: number,
  opts: { status?: Status; limit: number; nextToken?: string },
) => queryIndex('gsi2', streetList(streetId, year), opts);

/** Every project of the street's year as its summary, all pages. */
export const allStreetProjects = (streetId: string, year: number): Promise<ProjectSummary[]> =>
  allPages((nextToken) => listStreetProjects(streetId, year, { limit: 100, nextToken }));

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

/** Every project of the year as its summary, street by street through the street index (never a Scan). */
export const projectSummariesOfYear = async (
  year: number,
  streetIds?: readonly string[],
): Promise<ProjectSummary[]> => {
  const streets = streetIds ?? [...(await getOrg()).streets.keys()];
  const out: ProjectSummary[] = [];
  for (const streetId of streets) out.push(...(await allStreetProjects(streetId, year)));
  return out;
};

// A table created before the projections were narrowed still returns whole items: keep the summary only.
const toSummary = (item: Record<string, unknown>): ProjectSummary => {
  const summary: Record<string, unknown> = {};
  for (const f of PROJECT_SUMMARY_FIELDS) if (item[f] !== undefined) summary[f] = item[f];
  return summary as ProjectSummary;
};

/**
 * The ids of a street's projects of one year last written on or after a Shanghai day
 * (the audit trail's reader looks for the entries folded into project writes of a day).
 */
export const streetProjectIdsWrittenSince = async (streetId: string, year: number, day: string): Promise<string[]> =>
  (
    await queryAll<{ id: string }>({
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk',
      FilterExpression: '#w >= :day',
      ExpressionAttributeNames: { '#w': WRITTEN_ON },
      ExpressionAttributeValues: { ':pk': streetList(streetId, year), ':day': day },
      ProjectionExpression: 'id',
    })
  ).map((p) => p.id);

/**
 * An open project as the deadline index carries it; `pending` when it is listed for an
 * unfinished operation, `recorded` when for a record-first intent (done, or its steps
 * left by a crash), with its lease's end and the project's next deadline.
 */
export interface OpenProject {
  id: string;
  status: Status;
  pending?: true;
  recorded?: { startedAt: string; dueAt: string; reminders: RemindersRecorded; opId?: string };
  /** Listed by its next deadline: that deadline, and what the entry records of its reminders. */
  due?: { dueAt: string; reminders: RemindersRecorded };
}

/** Whether an entry of the deadline index stands for an unfinished operation. */
export const isPendingEntry = (p: OpenProject): boolean => p.pending === true;

/** Every shard of the open-deadline index (and the key from before sharding), read in parallel, page after page. */
const queryOpen = async (
  condition: string,
  values: Record<string, unknown>,
  pageSize?: number,
): Promise<OpenProject[]> => {
  const pages = await Promise.all(
    openPartitions().map((pk) =>
      queryAll<OpenProject & { gsi3sk: string }>({
        IndexName: 'gsi3',
        KeyConditionExpression: `gsi3pk = :pk${condition}`,
        ExpressionAttributeValues: { ':pk': pk, ...values },
        ProjectionExpression: 'id, #s, gsi3sk',
        ExpressionAttributeNames: { '#s': 'status' },
        ...(pageSize ? { Limit: pageSize } : {}),
      }),
    ),
  );
  return pages.flat().map(({ id, status, gsi3sk }) => ({
    id,
    status,
    ...(gsi3sk.startsWith(PENDING_PREFIX) ? { pending: true as const } : {}),
    ...(gsi3sk.startsWith(RECORDED_PREFIX) ? { recorded: recordedOf(gsi3sk) } : {}),
    ...(gsi3sk.startsWith('!') || gsi3sk.startsWith('9999#') ? {} : { due: dueOf(gsi3sk) }),
  }));
};

const recordedOf = (sortKey: string): NonNullable<OpenProject['recorded']> => {
  const [, startedAt = '', dueAt = '9999', , ...parts] = sortKey.split('#');
  const op = parts.find((x) => x.startsWith('p'));
  return {
    startedAt,
    dueAt,
    reminders: remindersOfSuffix(parts),
    ...(op ? { opId: decodeURIComponent(op.slice(1)) } : {}),
  };
};

/** Open projects whose next deadline is at or before `until` (the reminder sweep and restarts read this index). */
export const listOpenProjects = (until?: string, opts: { pageSize?: number } = {}): Promise<OpenProject[]> =>
  until
    ? queryOpen(' AND gsi3sk <= :until', { ':until': `${until}~` }, opts.pageSize)
    : queryOpen('', {}, opts.pageSize);

/** Projects with an operation that has not finished (possibly one still running), and those with a record-first intent. */
export const listPendingOperations = (): Promise<OpenProject[]> =>
  // Both prefixes start with "!", which sorts before every deadline (they start with a digit).
  queryOpen(' AND gsi3sk < :deadlines', { ':deadlines': '0' });

/**
 * Moves the entries written under the single `OPEN` key before the index was sharded to
 * their shards (run at a local start; in AWS the readers also read the old key, and the
 * next write of each project moves it). Returns how many moved.
 */
export const reshardOpenProjects = async (): Promise<number> => {
  const legacy = await queryAll<{ id: string; gsi3sk: string }>({
    IndexName: 'gsi3',
    KeyConditionExpression: 'gsi3pk = :pk',
    ExpressionAttributeValues: { ':pk': LEGACY_OPEN },
  });
  let moved = 0;
  for (const { id } of legacy) {
    const b = new UpdateBuilder();
    b.set({ gsi3pk: openShard(id) });
    // Only if it is still under the old key: a write in between has already moved (or removed) it.
    b.condition(`${b.name('gsi3pk')} = ${b.value(LEGACY_OPEN)}`);
    if (await writeIf(new UpdateCommand({ TableName: tableName(), Key: key(id), ...b.build() }))) moved++;
  }
  return moved;
};

/**
 * Gives every project in publicity without an entry on the notice board's index one
 * (projects that entered publicity before the index existed). Found through the open
 * index, which carries the status; each is read for its keys and written only while
 * still in publicity without an entry, so a project that moved on meanwhile is left as
 * it is. Returns how many it indexed.
 */
export const indexProjectsInPublicity = async (): Promise<number> => {
  const inPublicity = (await listOpenProjects()).filter((o) => o.status === 'IN_PUBLICITY');
  let indexed = 0;
  for (const { id } of inPublicity) {
    const p = await readProject(id);
    if (!p || p.status !== 'IN_PUBLICITY') continue;
    const b = new UpdateBuilder();
    b.set(publicityEntry(p));
    b.condition(`${b.name('status')} = ${b.value('IN_PUBLICITY')} AND attribute_not_exists(${b.name('gsi4pk')})`);
    if (await writeIf(new UpdateCommand({ TableName: tableName(), Key: key(id), ...b.build() }))) indexed++;
  }
  return indexed;
};

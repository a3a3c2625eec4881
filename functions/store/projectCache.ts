import { contextSlot } from '../requestContext.ts';
import type { Project } from '../domain/project.ts';
import { isConditionFailure } from './table.ts';

/*
 * The projects this process last read consistently or wrote, as the store holds them, for
 * the read a command decides on. No answer is given on a copy alone (`decideOnCopies`):
 * a command writes over exactly the version and parked token it read (changeProject), and
 * every write of a project item moves one or the other, so a command decided on a copy that
 * another process has since overtaken is refused by the store (`StaleProjectRead`), and a
 * command refused on a copy before it wrote anything is decided again on a fresh read.
 * Reads that answer a caller (GET) always go to the store.
 *
 * Entries are kept as JSON, so that no caller can change another's copy, and bounded by
 * their total length (no single one over a sixteenth of it), the least recently used going first.
 */
// Chinese text makes two-byte strings: up to 32 MB of memory, about 1,500 projects of ~11 K
// characters (a closed project's size; at 8 M, a 1,000-project year read 750 projects again).
const MAX_CHARS = 16 * 1024 * 1024;

const entries = new Map<string, { json: string; version: number; token: string | undefined }>();
let chars = 0;
/** The copies handed out from the cache: a write over one of them that the store refuses means it was stale. */
const handedOut = new WeakSet<Project>();

const drop = (id: string): void => {
  const entry = entries.get(id);
  if (!entry) return;
  entries.delete(id);
  chars -= entry.json.length;
};

/**
 * Keeps `p` as the project's latest known form (the store's own, after a consistent read or
 * a write), unless a later version is known already: a read answered before a write of
 * this process may come back after it.
 */
export const rememberProject = (p: Project): void => {
  const known = p.id ? entries.get(p.id) : undefined;
  if (!p.id || (known?.version ?? -1) > p.version) return;
  // Every write of a project moves its version or its parked token: with both the same, the
  // copy kept is what the store holds (a read of an unchanged project costs no new copy).
  if (known && known.version === p.version && known.token === p.taskToken) {
    entries.delete(p.id);
    entries.set(p.id, known);
    return;
  }
  drop(p.id);
  const json = JSON.stringify(p);
  if (json.length > MAX_CHARS / 16) return;
  entries.set(p.id, { json, version: p.version, token: p.taskToken });
  chars += json.length;
  for (const oldest of entries.keys()) {
    if (chars <= MAX_CHARS) break;
    drop(oldest);
  }
};

/** Forgets what is known of the project: after a write whose outcome is not known here. */
export const forgetProject = (id: string): void => drop(id);

interface CommandReads {
  /** Read the store, never the cache: the command's second run. */
  fresh: boolean;
  usedCopy: boolean;
  wrote: boolean;
}
const commandReads = contextSlot<CommandReads>('commandReads');

/**
 * Runs a command that may decide on cached projects, and once more on the store's own
 * reads when it did and then either its first write found the copy stale or it failed
 * before writing anything (a refusal on a copy is no answer). Without this around it, a
 * command never reads the cache.
 */
export const decideOnCopies = async <T>(run: () => Promise<T>): Promise<T> => {
  const first: CommandReads = { fresh: false, usedCopy: false, wrote: false };
  try {
    return await commandReads.run(first, run);
  } catch (e) {
    if (!first.usedCopy || (first.wrote && !(e instanceof StaleProjectRead))) throw e;
    return commandReads.run({ fresh: true, usedCopy: false, wrote: false }, run);
  }
};

/**
 * Sends a write of a project for the running command: once it is sent, the command counts
 * as having written, unless the store refused it on its condition (then nothing was written).
 */
export const writingProject = async <T>(write: () => Promise<T>): Promise<T> => {
  const reads = commandReads.get();
  const wroteBefore = reads?.wrote ?? false;
  if (reads) reads.wrote = true;
  try {
    return await write();
  } catch (e) {
    if (reads && isConditionFailure(e)) reads.wrote = wroteBefore;
    throw e;
  }
};

/** A copy of the project as last known here, for a command run by `decideOnCopies`; else undefined. */
export const cachedProject = (id: string): Project | undefined => {
  const reads = commandReads.get();
  if (!reads || reads.fresh) return undefined;
  const entry = entries.get(id);
  if (!entry) return undefined;
  entries.delete(id);
  entries.set(id, entry);
  const p = JSON.parse(entry.json) as Project;
  handedOut.add(p);
  reads.usedCopy = true;
  return p;
};

/** Whether `p` came from the cache rather than from the store. */
export const isCachedCopy = (p: Project): boolean => handedOut.has(p);

/** Changes the known form of a project in place (a parked token), if one is known. */
export const amendProject = (id: string, amend: (p: Project) => void): void => {
  const entry = entries.get(id);
  if (!entry) return;
  const p = JSON.parse(entry.json) as Project;
  amend(p);
  // Over the same version and token (a park made again, its expectation changed), the copy kept would win.
  drop(id);
  rememberProject(p);
};

/** Empties the cache: for tests that change the store behind the product's back. */
export const forgetAllProjects = (): void => {
  entries.clear();
  chars = 0;
};

/**
 * A command was decided on a cached project that another process had changed since: the
 * store refused its first write, so nothing of it was written (`decideOnCopies` runs it again).
 */
export class StaleProjectRead extends Error {
  constructor(readonly projectId: string) {
    super(`the cached project ${projectId} was stale`);
    this.name = 'StaleProjectRead';
  }
}

/*
 * Record-first intents this process saw done: their steps are payments, and the ledger
 * never drops a payment, so an intent once done stays done and its ledger is not read
 * again (by the next command on the project, its workflow's next step, or the sweep), and
 * a copy carrying it is decided on like any other (the next status write only removes it).
 * Another process that never saw it reads the ledger, as every process did before.
 */
const KNOWN_DONE_MAX = 100_000;
const knownDone = new Set<string>();
const doneKey = (projectId: string, opId: string) => `${projectId} ${opId}`;

/** Whether this process saw the project's record-first intent `opId` done (then its ledger need not be asked). */
export const intentSeenDone = (projectId: string, opId: string): boolean => knownDone.has(doneKey(projectId, opId));

/** Remembers that the project's record-first intent `opId` is done: its steps are in the ledger. */
export const markIntentSeenDone = (projectId: string, opId: string): void => {
  if (knownDone.size >= KNOWN_DONE_MAX) knownDone.delete(knownDone.values().next().value as string);
  knownDone.add(doneKey(projectId, opId));
};

/** Forgets the intents seen done, as a process started afresh (or another Lambda instance) knows none. */
export const forgetIntentsSeenDone = (): void => knownDone.clear();

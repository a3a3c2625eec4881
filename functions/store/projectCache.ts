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
 * Entries are copied in and copied out, so that no caller can change another's copy, and
 * bounded by their total length as JSON (no single one over a sixteenth of it), the least
 * recently used going first.
 */
// Chinese text makes two-byte strings: up to 32 MB of memory, about 1,500 projects of ~11 K
// characters (a closed project's size; at 8 M, a 1,000-project year read 750 projects again).
const MAX_CHARS = 16 * 1024 * 1024;

interface Entry {
  project: Project;
  /** Its length as JSON, about: what the bound counts. */
  chars: number;
  version: number;
  token: string | undefined;
}

const entries = new Map<string, Entry>();
let chars = 0;

/**
 * A copy of plain JSON data as a JSON round trip would give it (keys whose value is undefined
 * left out, undefined in a list and numbers that are not finite made null, `toJSON` used),
 * and about its length as JSON. Strings cannot be changed, so the copy shares them: for a
 * project of 20 K characters, 24 µs against 123 µs for JSON.stringify then JSON.parse.
 */
const copyOf = <T>(value: T): { copy: T; chars: number } => {
  let length = 0;
  const copy = (v: unknown): unknown => {
    if (typeof v === 'string') {
      length += v.length + 2;
      return v;
    }
    if (typeof v !== 'object' || v === null) {
      length += 6;
      return typeof v === 'number' && !Number.isFinite(v) ? null : v;
    }
    if (Array.isArray(v)) {
      const out = new Array(v.length);
      for (let i = 0; i < v.length; i++) out[i] = v[i] === undefined ? null : copy(v[i]);
      length += v.length + 2;
      return out;
    }
    if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return copy((v as { toJSON(): unknown }).toJSON());
    const out: Record<string, unknown> = {};
    // for-in, not Object.keys: no list made per object; a project's objects inherit nothing enumerable
    for (const k in v) {
      const x = (v as Record<string, unknown>)[k];
      if (x === undefined) continue;
      out[k] = copy(x);
      length += k.length + 4;
    }
    return out;
  };
  const result = copy(value) as T;
  return { copy: result, chars: length };
};

/** The copies handed out from the cache: a write over one of them that the store refuses means it was stale. */
const handedOut = new WeakSet<Project>();

const drop = (id: string): void => {
  const entry = entries.get(id);
  if (!entry) return;
  entries.delete(id);
  chars -= entry.chars;
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
  const { copy, chars: length } = copyOf(p);
  if (length > MAX_CHARS / 16) return;
  entries.set(p.id, { project: copy, chars: length, version: p.version, token: p.taskToken });
  chars += length;
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
  const p = copyOf(entry.project).copy;
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
  const p = copyOf(entry.project).copy;
  amend(p);
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

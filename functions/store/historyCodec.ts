import type { HistoryEvent } from '../domain/project.ts';
import { storedForm } from './table.ts';

/*
 * How a project's history event is kept: one JSON string, its fields by position.
 *
 * Events are only appended and read whole, never matched by an expression. As a map an
 * event is a dozen or more values for the store and the SDK to size, copy and convert on
 * every read and write of the project (the history is about two thirds of its item); as
 * one string it is one. By position, the string is also smaller than the map was (no
 * field names), so a project update costs fewer write units in AWS.
 *
 *   [at, actor, action, fromStatus, toStatus, details, audit, rest]
 *   actor  [sub, role, orgUnitId?]
 *   audit  [route, path, sourceIp, requestId, idempotencyKey, actor]
 *
 * ABSENT (0) marks a field the event does not have, apart from null, which `fromStatus`
 * and `toStatus` may be. Fields no position names go into `rest` by name, and so do an
 * actor or an audit entry of another shape and a field whose value is 0 itself, so every
 * event reads back exactly as the store keeps it (test/unit/historyCodec.test.ts).
 * Strings holding a JSON object (from before positions) and events kept as maps (from
 * before strings) read the same.
 */
const ABSENT = 0;

type Row = unknown[];

const isPlain = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const onlyKeys = (o: Record<string, unknown>, keys: readonly string[]) => Object.keys(o).every((k) => keys.includes(k));
const isString = (v: unknown): v is string => typeof v === 'string';

/** An actor by position, or undefined when it has another shape (it is then kept by name). */
const actorRow = (a: unknown): string[] | undefined => {
  if (!isPlain(a) || !onlyKeys(a, ['sub', 'role', 'orgUnitId'])) return undefined;
  if (!isString(a.sub) || !isString(a.role)) return undefined;
  if (a.orgUnitId === undefined) return [a.sub, a.role];
  return isString(a.orgUnitId) ? [a.sub, a.role, a.orgUnitId] : undefined;
};

const actorOf = (r: unknown): unknown => {
  if (!Array.isArray(r)) return r;
  const [sub, role, orgUnitId] = r;
  return r.length > 2 ? { sub, role, orgUnitId } : { sub, role };
};

const AUDIT_FIELDS = ['route', 'path', 'sourceIp', 'requestId', 'idempotencyKey', 'actor'] as const;

/** An audit entry by position, or undefined when it has another shape (it is then kept by name). */
const auditRow = (a: unknown): unknown[] | undefined => {
  if (!isPlain(a) || !onlyKeys(a, AUDIT_FIELDS)) return undefined;
  if (!isString(a.route) || !isString(a.path) || !isString(a.sourceIp)) return undefined;
  if ([a.requestId, a.idempotencyKey].some((v) => v !== undefined && !isString(v))) return undefined;
  const actor = a.actor === undefined ? ABSENT : actorRow(a.actor);
  if (actor === undefined) return undefined;
  return [a.route, a.path, a.sourceIp, a.requestId ?? ABSENT, a.idempotencyKey ?? ABSENT, actor];
};

const auditOf = (r: unknown): unknown => {
  if (!Array.isArray(r)) return r;
  const out: Record<string, unknown> = {};
  AUDIT_FIELDS.forEach((field, i) => {
    if (r[i] !== ABSENT && r[i] !== undefined) out[field] = field === 'actor' ? actorOf(r[i]) : r[i];
  });
  return out;
};

/** The string an event is kept as: the event as the store keeps any value (no undefined member), by position. */
export const encodeEvent = (e: HistoryEvent): string => {
  const { at, actor, action, fromStatus, toStatus, details, audit, ...rest } = storedForm(e) as HistoryEvent &
    Record<string, unknown>;
  const extra: Record<string, unknown> = rest;
  const row: Row = [];
  const put = (field: string, v: unknown, byPosition: (v: unknown) => unknown = (x) => x) => {
    const kept = v === undefined || v === ABSENT ? undefined : byPosition(v);
    // The marker itself, or a shape without positions, goes by name: read back as it was.
    if (v !== undefined && kept === undefined) extra[field] = v;
    row.push(kept === undefined ? ABSENT : kept);
  };
  put('at', at);
  put('actor', actor, actorRow);
  put('action', action);
  put('fromStatus', fromStatus);
  put('toStatus', toStatus);
  put('details', details);
  put('audit', audit, auditRow);
  row.push(Object.keys(extra).length ? extra : ABSENT);
  while (row.length && row[row.length - 1] === ABSENT) row.pop();
  return JSON.stringify(row);
};

const EVENT_FIELDS = ['at', 'actor', 'action', 'fromStatus', 'toStatus', 'details', 'audit'] as const;

/** An event as kept: a string by position (or a JSON object, from before), or a map (from before strings). */
export const decodeEvent = (kept: unknown): HistoryEvent => {
  const parsed: unknown = isString(kept) ? JSON.parse(kept) : kept;
  if (!Array.isArray(parsed)) return parsed as HistoryEvent;
  const out: Record<string, unknown> = {};
  EVENT_FIELDS.forEach((field, i) => {
    const v = parsed[i];
    if (v === ABSENT || v === undefined) return;
    out[field] = field === 'actor' ? actorOf(v) : field === 'audit' ? auditOf(v) : v;
  });
  if (isPlain(parsed[7])) Object.assign(out, parsed[7]);
  return out as unknown as HistoryEvent;
};

import { shanghaiDay } from '../domain/calendar.ts';
import { listAuditDay, type AuditEvent } from '../store/audit.ts';
import { getOrg } from '../store/config.ts';
import { getProjects, streetProjectIdsWrittenSince } from '../store/projects.ts';
import type { FoldedAudit } from '../store/auditFold.ts';
import { RESPONSES } from './responses.ts';

export type AuditEntry = AuditEvent & { id: string };

/** Thrown for a page token that this API did not give for that day. */
export class BadAuditToken extends Error {}

/**
 * The entries that project writes of the day carried (store/auditFold.ts). Such a write
 * was answered with its route's success status, unless the request failed afterwards, in
 * which case the request also has an item of its own, which wins.
 */
const foldedEntries = async (day: string): Promise<AuditEntry[]> => {
  const year = Number(day.slice(0, 4));
  const streets = [...(await getOrg()).streets.keys()];
  // A project of one fund year may be written in the year before (drafted early) or after (closed late).
  const ids = (
    await Promise.all(
      streets.flatMap((s) => [year - 1, year, year + 1].map((y) => streetProjectIdsWrittenSince(s, y, day))),
    )
  ).flat();
  const projects = await getProjects(ids, { consistent: false });
  return projects.flatMap((p) =>
    p.history.flatMap((e, i) => {
      if (!e.audit || shanghaiDay(new Date(e.at)) !== day) return [];
      const folded = e.audit as unknown as FoldedAudit;
      return [
        {
          id: `${e.at}#${p.id}#${i}`,
          at: e.at,
          ...folded,
          status: RESPONSES[folded.route]?.success.status ?? 200,
        },
      ];
    }),
  );
};

const encodeToken = (day: string, after: string) =>
  Buffer.from(JSON.stringify({ d: day, a: after })).toString('base64url');
const decodeToken = (day: string, token: string): string => {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (t && t.d === day && typeof t.a === 'string' && Object.keys(t).length === 2) return t.a;
  } catch {
    /* refused below */
  }
  throw new BadAuditToken();
};

/**
 * One page of a day's audit trail in time order: the audit items of the day merged with
 * the entries folded into that day's project writes. Each page reads the whole day, which
 * only auditors and the district do, and rarely; the token is the last entry given.
 */
export const auditTrailPage = async (
  day: string,
  opts: { limit: number; nextToken?: string },
): Promise<{ items: AuditEntry[]; nextToken?: string }> => {
  const after = opts.nextToken ? decodeToken(day, opts.nextToken) : undefined;
  const [own, folded] = await Promise.all([listAuditDay(day), foldedEntries(day)]);
  const failedAfterwards = new Set(own.map((e) => e.requestId).filter((r) => r));
  const all = [...own, ...folded.filter((e) => !e.requestId || !failedAfterwards.has(e.requestId))].sort((a, b) =>
    a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  );
  const rest = after ? all.filter((e) => e.id > after) : all;
  const items = rest.slice(0, opts.limit);
  return { items, nextToken: rest.length > opts.limit ? encodeToken(day, items.at(-1)!.id) : undefined };
};

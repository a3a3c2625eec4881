import { contextSlot } from '../requestContext.ts';
import type { HistoryEvent } from '../domain/project.ts';
import type { AuditEvent } from './audit.ts';

/*
 * An API write that changes a project records its audit entry in that same write, on the
 * first history event it appends, instead of in an audit item of its own: the record and
 * its audit entry then commit together (one write instead of two, and never one without
 * the other). Requests that change no project, and every refused request, still append
 * their own audit item (audit.ts). GET /v1/audit reads both (api/auditTrail.ts).
 */

/** What a folded entry carries beyond its event's `at` and `actor`. */
export type FoldedAudit = Pick<AuditEvent, 'actor' | 'route' | 'path' | 'sourceIp' | 'requestId' | 'idempotencyKey'>;

/** One request's audit entry, and whether a project write has already carried it. */
export interface RequestAudit {
  entry: FoldedAudit;
  folded: boolean;
}

const current = contextSlot<RequestAudit>('requestAudit');

/** Runs one API request with its audit entry available to the project writes it makes. */
export const withRequestAudit = <T>(audit: RequestAudit, run: () => Promise<T>): Promise<T> => current.run(audit, run);

/**
 * The events of a project write, the first one carrying the request's audit entry when
 * no earlier write of this request carried it; `commit` marks it carried once the write applied.
 */
export const foldAudit = (events: HistoryEvent[]): { events: HistoryEvent[]; commit: () => void } => {
  const audit = current.get();
  if (!audit || audit.folded || !events.length) return { events, commit: () => {} };
  return {
    events: [{ ...events[0], audit: audit.entry }, ...events.slice(1)],
    commit: () => {
      audit.folded = true;
    },
  };
};

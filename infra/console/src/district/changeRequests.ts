/**
 * Change requests waiting for the district. The API keeps them on each project's history
 * (`change_requested`, then `change_decided` with the same `changeRequestId`), so the
 * pending ones are those requested and not yet decided. Pure.
 */
import type { components } from '../../../../functions/openapi/api-types.ts';

type HistoryEvent = components['schemas']['HistoryEvent'];

export interface PendingChange {
  changeRequestId: string;
  requestedAt: string;
  amountFen?: number;
  plannedEnd?: string;
  reason: string;
}

/** The requests in `history` that have no decision yet, oldest first. */
export const pendingChanges = (history: HistoryEvent[]): PendingChange[] => {
  const decided = new Set(
    history.filter((e) => e.action === 'change_decided').map((e) => String(e.details?.changeRequestId ?? '')),
  );
  return history
    .filter((e) => e.action === 'change_requested')
    .filter((e) => !decided.has(String(e.details?.changeRequestId ?? '')))
    .map((e) => ({
      changeRequestId: String(e.details?.changeRequestId),
      requestedAt: e.at,
      amountFen: typeof e.details?.amountFen === 'number' ? e.details.amountFen : undefined,
      plannedEnd: typeof e.details?.plannedEnd === 'string' ? e.details.plannedEnd : undefined,
      reason: String(e.details?.reason ?? ''),
    }))
    .sort((a, b) => a.requestedAt.localeCompare(b.requestedAt));
};

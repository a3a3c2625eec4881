import { eventView, type Project } from '../domain/project.ts';
import { listObjectionsOf } from '../store/objections.ts';
import { OBJECTIONS_IN_VIEW, projectView } from './projectCommands.ts';

/**
 * 一项目一档案: everything about one project in one document, each part in time order.
 * Built from the project item and the first page of its objections, which live beside
 * it (the rest page by page from GET /v1/projects/{id}/objections, so the file stays
 * within a response's size however many residents objected).
 */
export const buildDossier = async (p: Project): Promise<Record<string, unknown>> => {
  const byAction = (...actions: string[]) => p.history.filter((e) => actions.includes(e.action)).map(eventView);
  const objections = await listObjectionsOf(p, { limit: OBJECTIONS_IN_VIEW });
  return {
    project: projectView(p, objections),
    deliberations: Object.values(p.deliberations ?? {}).sort((a, b) => a.recordedAt.localeCompare(b.recordedAt)),
    publicity: byAction(
      'review_passed',
      'publicity_closed',
      'completion_publicity_closed',
      'completion_publicity_opened',
    ),
    objections: objections.items,
    ...(objections.nextToken ? { objectionsNextToken: objections.nextToken } : {}),
    approvals: byAction('approved', 'rejected'),
    contract: p.contract ?? null,
    progress: p.progress ?? [],
    acceptances: (p.tranches ?? []).flatMap((t) => t.attempts.map((a) => ({ n: t.n, ...a }))),
    payments: (p.tranches ?? [])
      .filter((t) => t.paidFen > 0)
      .map((t) => ({ n: t.n, amountFen: t.paidFen, paidAt: t.acceptedAt })),
    changes: byAction('change_requested', 'change_decided'),
    history: p.history.map(eventView),
  };
};

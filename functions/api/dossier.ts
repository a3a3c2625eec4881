import type { Project } from '../domain/project.ts';
import { projectView } from './projectCommands.ts';

/**
 * 一项目一档案: everything about one project in one document, each part in time order.
 * Built from the project item alone, which holds every record and its history.
 */
export const buildDossier = async (p: Project): Promise<Record<string, unknown>> => {
  const byAction = (...actions: string[]) => p.history.filter((e) => actions.includes(e.action));
  return {
    project: projectView(p),
    deliberations: Object.values(p.deliberations ?? {}).sort((a, b) => a.recordedAt.localeCompare(b.recordedAt)),
    publicity: byAction('review_passed', 'publicity_closed', 'completion_publicity_closed', 'completion_publicity_opened'),
    objections: Object.values(p.objections ?? {}).sort((a, b) => a.receivedAt.localeCompare(b.receivedAt)),
    approvals: byAction('approved', 'rejected'),
    contract: p.contract ?? null,
    progress: p.progress ?? [],
    acceptances: (p.tranches ?? []).flatMap((t) => t.attempts.map((a) => ({ n: t.n, ...a }))),
    payments: (p.tranches ?? []).filter((t) => t.paidFen > 0).map((t) => ({ n: t.n, amountFen: t.paidFen, paidAt: t.acceptedAt })),
    changes: byAction('change_requested', 'change_decided'),
    history: p.history,
  };
};

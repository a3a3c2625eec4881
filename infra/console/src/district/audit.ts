/** Narrowing a day's audit trail by who acted and on which project. Pure. */
import type { components } from '../../../../functions/openapi/api-types.ts';

type Schemas = components['schemas'];

export type AuditEvent = Schemas['GetAuditResponse']['items'][number];

/** The project a request was about, read from its path (`/v1/projects/{id}/…`). */
export const auditProjectId = (path: string): string | undefined =>
  /^\/v1\/(?:public\/)?projects\/([^/?]+)/.exec(path)?.[1];

/**
 * The events whose actor (account, role or unit) contains `actor` and whose project id
 * contains `project`, case-insensitively; an empty filter keeps everything.
 */
export const filterAudit = (
  items: AuditEvent[],
  filter: { actor: string; project: string },
): (AuditEvent & { projectId?: string })[] => {
  const actor = filter.actor.trim().toLowerCase();
  const project = filter.project.trim().toLowerCase();
  return items
    .map((e) => ({ ...e, projectId: auditProjectId(e.path) }))
    .filter(
      (e) => !actor || [e.actor.sub, e.actor.role, e.actor.orgUnitId].some((x) => x.toLowerCase().includes(actor)),
    )
    .filter((e) => !project || (e.projectId ?? '').toLowerCase().includes(project));
};

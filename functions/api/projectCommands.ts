import { runtime } from '../runtime.ts';
import type { Status } from '../domain/lifecycle.ts';
import { INTERNAL_FIELDS, type Actor, type HistoryEvent, type Project } from '../domain/project.ts';
import { historyEvent, isRefusal, type Refusal } from '../domain/transition.ts';
import {
  type ProjectChange,
  type ProjectForView,
  changeProject,
  getProject,
  getProjectForView,
  getProjectToChange,
} from '../store/projects.ts';
import { listObjectionsOf, type ObjectionPage } from '../store/objections.ts';
import { getOrg } from '../store/config.ts';
import { holdsProject, settleIfOrphaned } from '../executor/operations.ts';
import { stampCommand, type Executed } from '../executor/execute.ts';
import type { Caller } from './caller.ts';
import { conflict, notFound, problemOf } from './problem.ts';
import { requireScope } from './scope.ts';
import type { ApiResponse } from './http.ts';

export const actorOf = (c: Caller): Actor => ({ sub: c.sub, role: c.role, orgUnitId: c.orgUnitId });

/**
 * A project the caller may see, or 404. An operation a crash left unfinished on it is
 * completed first; one still running makes a command wait (409), while a read sees the
 * project as it stands.
 */
export const loadProjectFor = async (
  caller: Caller,
  id: string,
  opts: { read?: boolean; toChange?: boolean } = {},
): Promise<Project> => {
  const [project, org] = await Promise.all([opts.toChange ? getProjectToChange(id) : getProject(id), getOrg()]);
  if (!project) throw notFound('project');
  requireScope(caller, project, org, 'project');
  if (!project.pendingOp) return project;
  const settled = await settleIfOrphaned(project, runtime().clock.now());
  if (!opts.read && (await holdsProject(settled)))
    throw conflict('Another step on this project is being completed; retry in a moment', {
      currentStatus: settled.status,
    });
  return settled;
};

/**
 * A project the caller may see, without its history, for a view; or 404. One with an
 * unfinished operation is read whole and settled first, as `loadProjectFor` does.
 */
export const loadProjectViewFor = async (caller: Caller, id: string): Promise<ProjectForView> => {
  const [project, org] = await Promise.all([getProjectForView(id), getOrg()]);
  if (!project) throw notFound('project');
  requireScope(caller, project, org, 'project');
  return project.pendingOp ? loadProjectFor(caller, id, { read: true }) : project;
};

/**
 * The project a command decides on and then writes first, before anything else: it may be
 * the copy this process last read or wrote (store/projectCache.ts). Decided on a copy that
 * another process has overtaken, the command's first write is refused and the whole command
 * runs again on a fresh read (api/http.ts), which is safe only because nothing was written yet.
 */
export const loadProjectToChange = (caller: Caller, id: string): Promise<Project> =>
  loadProjectFor(caller, id, { toChange: true });

/** How many objections a project view carries; the rest are read page by page (GET /v1/projects/{id}/objections). */
export const OBJECTIONS_IN_VIEW = 50;

/**
 * The project as the API returns it: without workflow plumbing and index keys. With a
 * page of objections when given one (a single project's view), without them in lists.
 */
export const projectView = (p: ProjectForView, objections?: ObjectionPage): Record<string, unknown> => {
  const view: Record<string, unknown> = { ...p };
  for (const f of INTERNAL_FIELDS) delete view[f];
  delete view.history;
  delete view.objections;
  delete view.lastObjectionAt;
  if (objections) {
    view.objections = objections.items;
    if (objections.nextToken) view.objectionsNextToken = objections.nextToken;
  }
  view.deliberations = Object.values(p.deliberations ?? {}).sort((a, b) => a.recordedAt.localeCompare(b.recordedAt));
  return view;
};

/** One project's view with the first page of its objections, as every single-project answer carries it. */
export const projectResponse = async (p: ProjectForView): Promise<Record<string, unknown>> =>
  projectView(p, await listObjectionsOf(p, { limit: OBJECTIONS_IN_VIEW }));

/** A history event of a write that is not a status change (an edit, a deliberation), stamped with a keyed command's id. */
export const event = (
  at: Date,
  actor: Actor,
  action: string,
  fromStatus: Status | null,
  toStatus: Status | null,
  details?: Record<string, unknown>,
): HistoryEvent => stampCommand(historyEvent(at, actor, action, fromStatus, toStatus, details));

/** A decision's outcome, or the problem+json of its refusal thrown. */
export const decided = <T>(outcome: T | Refusal): T => {
  if (isRefusal(outcome)) throw problemOf(outcome);
  return outcome;
};

/** The project after the executor applied a transition, or the problem+json of why nothing changed. */
export const executed = (r: Executed): Project => {
  if (!r.ok) throw problemOf(r.refusal);
  return r.project;
};

/**
 * A keyed status change re-run after a crash (its idempotency record lost) meets its own
 * effect as a conflict: when the project's history holds an event of that command, the
 * answer is the project as it is, as the first run answered.
 */
export const replayTransition = async (
  projectId: string | undefined,
  commandId: string,
): Promise<ApiResponse | undefined> => {
  const p = projectId ? await getProject(projectId) : undefined;
  if (!p?.history.some((e) => e.details?.commandId === commandId)) return undefined;
  return { status: 200, body: await projectResponse(p) };
};

/**
 * Applies a change that moves no status (an edit, a deliberation record) in one
 * conditional write; 409 naming the current status when the project is not as read.
 */
export const applyChange = async (project: Project, change: ProjectChange, now: Date): Promise<Project> => {
  const after = await changeProject(project.id, change, now, project);
  if (!after) {
    const current = await getProject(project.id);
    throw conflict(`The project is ${current?.status ?? 'gone'}; this step needs ${change.from.join(' or ')}`, {
      currentStatus: current?.status,
    });
  }
  return after;
};

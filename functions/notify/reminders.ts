import type { Project } from '../domain/project.ts';

/**
 * Who hears about an overdue step. Filled in with contacts and templates by the
 * reminders work; the escalation event itself is already recorded by the caller.
 */
export const escalationNotice = async (_p: Project, _level: number, _missedDueAt: string, _now: Date): Promise<void> => {};

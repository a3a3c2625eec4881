import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedStore } from '../support/embeddedStore.ts';
import { VIEW_FIELDS, createProject, getProject, getProjectForView } from '../../functions/store/projects.ts';
import { ProjectView } from '../../functions/api/responses.ts';
import { projectView } from '../../functions/api/projectCommands.ts';
import { INTERNAL_FIELDS, type Project } from '../../functions/domain/project.ts';

/*
 * A project's views (GET /v1/projects/{id} and its objections) read the item without its
 * history: the projection must still bring every field a view can show, and what decides
 * how the view is made.
 */
let store: Awaited<ReturnType<typeof embeddedStore>>;
beforeAll(async () => {
  store = await embeddedStore();
});
afterAll(async () => store?.stop());

const at = '2025-09-23T02:00:00.000Z';
const actor = { sub: 'u', role: 'community', orgUnitId: 'vc1' } as const;

/** A project with every field a view shows set, and the plumbing it never shows. */
const fullProject = (id: string): Project =>
  ({
    id,
    communityId: 'vc1',
    streetId: 'vs1',
    year: 2025,
    title: '楼道照明',
    category: 'property_service',
    type: 'works',
    amountFen: 120_000,
    cofunding: [{ source: '物业', amountFen: 30_000 }],
    delivery: 'social_org',
    undertakerId: 'u1',
    measures: '更换灯具',
    plannedEnd: '2025-12-01',
    needIds: ['n1'],
    restrictedUse: { rule: 'catering', justification: '志愿者误餐' },
    status: 'IN_PROGRESS',
    version: 9,
    createdAt: at,
    updatedAt: at,
    createdBy: actor,
    deadlines: { approvalDueAt: '2025-10-14T23:59:59+08:00', publicityEndsAt: '2025-10-01T23:59:59+08:00' },
    publicityRound: 1,
    publicityOpenedAt: at,
    batch: 'b1',
    approvedAt: at,
    completedAt: at,
    deliberations: {
      residents_raise: {
        id: 'd1',
        step: 'residents_raise',
        heldOn: '2025-09-01',
        body: '居民会议',
        attendance: 20,
        votesFor: 18,
        votesAgainst: 1,
        abstentions: 1,
        passed: true,
        minutes: '同意',
        recordedAt: at,
        recordedBy: actor,
      },
    },
    lastObjectionAt: at,
    tranches: [
      {
        n: 1,
        amountFen: 60_000,
        paidFen: 60_000,
        acceptedAt: at,
        attempts: [{ id: 'a1', at, passed: true, comment: '合格', by: actor }],
      },
    ],
    contract: { undertakerId: 'u1', signedOn: '2025-10-20', amountFen: 120_000, recordedAt: at },
    progress: [{ id: 'pr1', at, percent: 50, note: '过半', by: actor }],
    escalation: { status: 'IN_PROGRESS', level: 1, nextDueAt: null },
    warnings: ['w'],
    remindersSent: { k1: at },
    history: [{ at, actor, action: 'created', fromStatus: null, toStatus: 'DRAFT' }],
    taskToken: 'token-never-shown',
    taskStatus: 'IN_PROGRESS',
    afterPublicityDueAt: at,
  }) as unknown as Project;

describe('a project read for a view', () => {
  it('brings every field the staff view can show, the pending operation and the objection stamp, and no history', () => {
    // Prepare
    const shown = Object.keys(ProjectView.def.shape).filter((k) => k !== 'objections' && k !== 'objectionsNextToken');

    // Assess
    expect(shown.filter((k) => !(VIEW_FIELDS as readonly string[]).includes(k))).toEqual([]);
    expect(VIEW_FIELDS).toContain('pendingOp');
    expect(VIEW_FIELDS).toContain('lastObjectionAt');
    expect(VIEW_FIELDS).not.toContain('history');
    const plumbing = INTERNAL_FIELDS.filter((f) => f !== 'pendingOp');
    expect(VIEW_FIELDS.filter((f) => (plumbing as readonly string[]).includes(f))).toEqual([]);
  });

  it('reads the project as a whole read does, but for its history and plumbing, and makes the same view', async () => {
    // Prepare
    const p = fullProject('V0001');
    await createProject(p);

    // Act
    const forView = await getProjectForView('V0001');
    const whole = await getProject('V0001');

    // Assess
    const { history: _history, taskToken: _t, taskStatus: _s, afterPublicityDueAt: _a, ...rest } = whole as Project;
    const { writtenOn: _w, ...restStored } = rest as Record<string, unknown>;
    expect(forView).toEqual(restStored);
    expect(forView).not.toHaveProperty('history');
    expect(projectView(forView!, { items: [] })).toEqual(projectView(whole!, { items: [] }));
    expect(ProjectView.safeParse(projectView(forView!, { items: [] })).error?.issues).toBeUndefined();
  });

  it('finds nothing where there is no project', async () => {
    // Act
    const missing = await getProjectForView('V-none');

    // Assess
    expect(missing).toBeUndefined();
  });
});

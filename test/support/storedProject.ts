import type { Project } from '../../functions/domain/project.ts';

/**
 * A project item as the store keeps it, for tests that write one directly instead of
 * driving the commands: a community's works project of 2025 at version 1, with no history.
 */
export const storedProject = (
  id: string,
  unit: { communityId: string; streetId: string },
  over: Partial<Project> = {},
): Project =>
  ({
    id,
    ...unit,
    year: 2025,
    title: '楼道照明改造',
    category: 'property_service',
    type: 'works',
    amountFen: 100_000,
    cofunding: [],
    delivery: 'self',
    measures: '更换楼道灯具',
    plannedEnd: '2025-11-30',
    needIds: [],
    version: 1,
    createdAt: '2025-09-01T00:00:00.000Z',
    updatedAt: '2025-09-01T00:00:00.000Z',
    createdBy: { sub: 'c1', role: 'community', orgUnitId: unit.communityId },
    deliberations: {},
    tranches: [],
    progress: [],
    history: [],
    ...over,
  }) as Project;

/** The four deliberation steps of Guandu, each held on `heldOn` and passed 18 to 1. */
export const passedDeliberations = (heldOn: string): Project['deliberations'] =>
  Object.fromEntries(
    ['party_branch_proposal', 'two_committees_consultation', 'party_members_review', 'residents_resolution'].map(
      (step) => [
        step,
        {
          id: step,
          step,
          heldOn,
          body: '社区会议',
          attendance: 20,
          votesFor: 18,
          votesAgainst: 1,
          abstentions: 1,
          minutes: '同意',
          passed: true,
          recordedAt: `${heldOn}T00:00:00Z`,
          recordedBy: { sub: 'c1', role: 'community' },
        },
      ],
    ),
  ) as Project['deliberations'];

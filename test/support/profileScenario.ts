import { expect } from 'vitest';
import { Api, replyOf, startProduct, type Reply, type Running } from './localServer.ts';
import type { components } from '../../functions/openapi/api-types.ts';
import { DEMO } from './scenario.ts';

/*
 * Steps of the shared scenario that know nothing of any one district: every profile
 * difference is passed in by the caller, so that a test states what it expects of a
 * profile instead of reading it back from the profile under test.
 */

export type Role = 'district' | 'street' | 'community';

export interface Step {
  id: string;
  heldBy: Role;
  /** A passing vote for this step when the default one would not do (per-member votes). */
  tally?: Record<string, unknown>;
}

export interface ProfileRun {
  server: Running;
  api: Api;
  tokens: Record<Role, string>;
}

export const startProfile = async (profile: string, clock: string): Promise<ProfileRun> => {
  const server = await startProduct({ profile });
  const api = new Api(server.baseUrl);
  const set = await api.setClock(clock);
  if (set.status !== 200) throw new Error(`clock: ${set.status} ${JSON.stringify(set.body)}`);
  const tokens = {
    district: await api.token('district', DEMO.district),
    street: await api.token('street', DEMO.street),
    community: await api.token('community', DEMO.community),
  };
  return { server, api, tokens };
};

/** Someone who may call the deliberations route but does not hold `heldBy`'s steps. */
export const wrongRoleFor = (heldBy: Role): Role => (heldBy === 'community' ? 'street' : 'community');

export const putAllocation = (run: ProfileRun, year: number, communityId: string, amountFen: number) =>
  replyOf(
    run.api.as(run.tokens.district).PUT('/v1/allocations/{year}/{communityId}', {
      params: { path: { year, communityId } },
      body: { amountFen, sources: [{ funder: '区财政', amountFen }] },
    }),
  );

export const allocation = async (run: ProfileRun, year: number, communityId: string) => {
  const r = await run.api
    .as(run.tokens.district)
    .GET('/v1/allocations/{year}/{communityId}', { params: { path: { year, communityId } } });
  if (!r.data) throw new Error(`allocation ${communityId}: ${r.response.status} ${JSON.stringify(r.error)}`);
  return r.data;
};

export const draftBody = (over: Record<string, unknown> = {}) => ({
  communityId: DEMO.community,
  year: 2025,
  title: '居民服务项目',
  type: 'service',
  amountFen: 6_000_000,
  delivery: 'self',
  measures: '组织志愿者为辖区居民提供上门服务',
  plannedEnd: '2025-12-15',
  needIds: [],
  ...over,
});

export const create = (run: ProfileRun, body: Record<string, unknown>) =>
  replyOf(
    run.api.as(run.tokens.community).POST('/v1/projects', { body: body as components['schemas']['PostProjectsBody'] }),
  );

export const draft = async (run: ProfileRun, body: Record<string, unknown>): Promise<string> => {
  const r = await create(run, body);
  if (r.status !== 201) throw new Error(`create: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.id;
};

export const PASSING = { attendance: 20, votesFor: 18, votesAgainst: 1, abstentions: 1 };

export const recordStep = (
  run: ProfileRun,
  as: Role,
  projectId: string,
  step: string,
  tally: Record<string, unknown> = PASSING,
) =>
  replyOf(
    run.api.as(run.tokens[as]).POST('/v1/projects/{id}/deliberations', {
      params: { path: { id: projectId } },
      body: { step, heldOn: '2025-08-28', body: '会议', minutes: '与会人员讨论并表决', ...PASSING, ...tally },
    }),
  );

/** Records each step as its holder; a refusal is a broken scenario, not a finding. */
export const recordSteps = async (run: ProfileRun, projectId: string, steps: readonly Step[]) => {
  for (const s of steps) {
    const r = await recordStep(run, s.heldBy, projectId, s.id, s.tally);
    if (r.status !== 201 || !r.body.passed)
      throw new Error(`deliberation ${s.id}: ${r.status} ${JSON.stringify(r.body)}`);
  }
};

export const submit = (run: ProfileRun, projectId: string) =>
  replyOf(run.api.as(run.tokens.community).POST('/v1/projects/{id}/submit', { params: { path: { id: projectId } } }));

export const reviewAs = (run: ProfileRun, as: Role, projectId: string) =>
  replyOf(
    run.api.as(run.tokens[as]).POST('/v1/projects/{id}/review', {
      params: { path: { id: projectId } },
      body: { decision: 'pass', comment: '同意公示' },
    }),
  );

export const approveAs = (run: ProfileRun, as: Role, projectId: string) =>
  replyOf(
    run.api.as(run.tokens[as]).POST('/v1/projects/{id}/approval', {
      params: { path: { id: projectId } },
      body: { decision: 'approve', comment: '同意' },
    }),
  );

export const project = async (run: ProfileRun, projectId: string): Promise<any> =>
  (await replyOf(run.api.as(run.tokens.district).GET('/v1/projects/{id}', { params: { path: { id: projectId } } })))
    .body;

/**
 * Takes drafts through their submit-gate deliberations, submission, the review and the
 * whole publicity window, to AWAITING_APPROVAL.
 */
export const toAwaitingApproval = async (
  run: ProfileRun,
  ids: readonly string[],
  submitSteps: readonly Step[],
  reviewer: Role,
) => {
  for (const id of ids) {
    await recordSteps(run, id, submitSteps);
    expectStatus(await submit(run, id), 200);
    expectStatus(await reviewAs(run, reviewer, id), 200);
  }
  await run.api.advance('P8D');
  for (const id of ids) expect((await project(run, id)).status).toBe('AWAITING_APPROVAL');
};

/** Fails with the reply's body in the message, which is what one needs to see when it breaks. */
export const expectStatus = (r: Reply, status: number) =>
  expect(r.status, JSON.stringify(r.body).slice(0, 400)).toBe(status);

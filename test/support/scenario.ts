import { type Api, replyOf } from './localServer.ts';
import type { components } from '../../functions/openapi/api-types.ts';

type Schemas = components['schemas'];

/** The demo district's ids (functions/policies/org/demo-district.json). */
export const DEMO = {
  district: 'gd',
  street: 'gd-gdjd',
  otherStreet: 'gd-gjjd',
  community: 'gd-gdjd-xh',
  sibling: 'gd-gdjd-ld',
  foreignCommunity: 'gd-gjjd-gx',
} as const;

export const GUANDU_STEPS = [
  'party_branch_proposal',
  'two_committees_consultation',
  'party_members_review',
  'residents_resolution',
];

export interface Actors {
  district: string;
  street: string;
  otherStreet: string;
  community: string;
  foreignCommunity: string;
  auditor: string;
}

export const actors = async (api: Api): Promise<Actors> => ({
  district: await api.token('district', DEMO.district),
  street: await api.token('street', DEMO.street),
  otherStreet: await api.token('street', DEMO.otherStreet),
  community: await api.token('community', DEMO.community),
  foreignCommunity: await api.token('community', DEMO.foreignCommunity),
  auditor: await api.token('auditor', DEMO.district),
});

export const projectBody = (over: Record<string, unknown> = {}): Schemas['PostProjectsBody'] =>
  ({
    communityId: DEMO.community,
    year: 2025,
    title: '老旧小区路灯维修',
    category: 'property_service',
    type: 'works',
    amountFen: 3_000_000,
    delivery: 'self',
    measures: '更换小区内20盏损坏路灯，增设2盏太阳能灯',
    plannedEnd: '2025-12-15',
    needIds: [],
    ...over,
  }) as Schemas['PostProjectsBody'];

export const deliberate = async (api: Api, token: string, projectId: string, steps = GUANDU_STEPS) => {
  for (const step of steps) {
    const r = await api.as(token).POST('/v1/projects/{id}/deliberations', {
      params: { path: { id: projectId } },
      body: {
        step,
        heldOn: '2025-09-20',
        body: '社区会议',
        attendance: 20,
        votesFor: 18,
        votesAgainst: 1,
        abstentions: 1,
        minutes: '与会人员同意该项目',
      },
    });
    if (!r.data) throw new Error(`deliberation ${step}: ${r.response.status} ${JSON.stringify(r.error)}`);
  }
};

/** Creates a project with its deliberations and submits it; returns its id. */
export const submitted = async (api: Api, a: Actors, over: Record<string, unknown> = {}): Promise<string> => {
  const created = await api.as(a.community).POST('/v1/projects', { body: projectBody(over) });
  if (!created.data) throw new Error(`create: ${created.response.status} ${JSON.stringify(created.error)}`);
  const id = created.data.id;
  await deliberate(api, a.community, id);
  const s = await api.as(a.community).POST('/v1/projects/{id}/submit', { params: { path: { id } } });
  if (!s.data) throw new Error(`submit: ${s.response.status} ${JSON.stringify(s.error)}`);
  return id;
};

export const review = (api: Api, a: Actors, id: string, decision: 'pass' | 'return' = 'pass') =>
  replyOf(
    api.as(a.street).POST('/v1/projects/{id}/review', {
      params: { path: { id } },
      body: { decision, comment: decision === 'pass' ? '同意公示' : '请补充预算明细' },
    }),
  );

export const getProject = async (api: Api, token: string, id: string): Promise<any> =>
  (await replyOf(api.as(token).GET('/v1/projects/{id}', { params: { path: { id } } }))).body;

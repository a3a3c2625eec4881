/** A new project, drafted by the community (optionally from a resident's need), and the edit of one. */
import { api, ok } from '../api.ts';
import { loadPolicy, serverNow, useLoad } from '../data.ts';
import { LoadError, Loading } from '../form.tsx';
import { fundYear, loadLists } from '../loadAll.ts';
import type { RouteProps } from '../routes.tsx';
import { session } from '../session.ts';
import { ProjectForm } from './ProjectForm.tsx';

const load = async (projectId?: string) => {
  const communityId = session()!.person.orgUnitId;
  const [policy, now, project] = await Promise.all([
    loadPolicy(),
    serverNow(),
    projectId ? ok(api().GET('/v1/projects/{id}', { params: { path: { id: projectId } } })) : undefined,
  ]);
  const year = project?.year ?? fundYear(now);
  const lists = await loadLists(project?.communityId ?? communityId, year);
  return { policy, year, project, communityId, needs: lists.needs };
};

export const NewProjectPage = ({ query }: RouteProps) => {
  const s = useLoad(() => load(), []);
  if (s.state === 'loading') return <Loading />;
  if (s.state === 'error') return <LoadError error={s.error} />;
  return (
    <section>
      <h1>新建项目</h1>
      <p>先保存为草稿；记录完决策程序（{s.value.policy.deliberation.name}）后，在项目页提交街道审核。</p>
      <ProjectForm {...s.value} needId={query.get('need') ?? undefined} />
    </section>
  );
};

export const EditProjectPage = ({ params }: RouteProps) => {
  const s = useLoad(() => load(params.id), [params.id]);
  if (s.state === 'loading') return <Loading />;
  if (s.state === 'error') return <LoadError error={s.error} />;
  return (
    <section>
      <h1>修改项目：{s.value.project!.title}</h1>
      <ProjectForm {...s.value} />
    </section>
  );
};

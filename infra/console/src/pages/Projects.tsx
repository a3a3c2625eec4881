/** Every project the caller can see this year, by status, with a filter: the table staff would otherwise keep in Excel. */
import { useState } from 'preact/hooks';
import { loadOrg, serverNow, unitName, useLoad } from '../data.ts';
import { SelectField } from '../form.tsx';
import { LoadError, Loading } from '../form.tsx';
import { STATUS_LABELS, cnDate, label, yuan } from '../format.ts';
import { fundYear, loadProjects } from '../loadAll.ts';
import { href } from '../router.ts';
import type { RouteProps } from '../routes.tsx';
import { session } from '../session.ts';

const load = async () => {
  const person = session()!.person;
  const [org, now] = await Promise.all([loadOrg(), serverNow()]);
  const year = fundYear(now);
  const scope =
    person.role === 'community'
      ? { communityId: person.orgUnitId }
      : person.role === 'street'
        ? { streetId: person.orgUnitId }
        : {};
  return { org, year, projects: await loadProjects(scope, year) };
};

export const ProjectsPage = (_props: RouteProps) => {
  const s = useLoad(load, []);
  const [status, setStatus] = useState('');
  if (s.state === 'loading') return <Loading />;
  if (s.state === 'error') return <LoadError error={s.error} />;
  const { org, year, projects } = s.value;
  const shown = projects.filter((p) => !status || p.status === status);
  return (
    <section>
      <h1>全部项目（{year} 年度）</h1>
      <SelectField
        name="status"
        label="按状态筛选"
        value={status}
        onInput={setStatus}
        placeholder="全部状态"
        options={Object.entries(STATUS_LABELS).map(([value, l]) => ({ value, label: l }))}
      />
      <div class="table-wrap">
        <table>
          <caption class="muted">共 {shown.length} 个项目</caption>
          <thead>
            <tr>
              <th scope="col">项目</th>
              <th scope="col">社区</th>
              <th scope="col">状态</th>
              <th scope="col" class="num">
                金额
              </th>
              <th scope="col">计划完成</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((p) => (
              <tr key={p.id}>
                <td>
                  <a href={href(`/projects/${p.id}`)}>{p.title}</a>
                </td>
                <td>{unitName(org, p.communityId)}</td>
                <td>{label(STATUS_LABELS, p.status)}</td>
                <td class="num">{yuan(p.amountFen)}</td>
                <td>{cnDate(p.plannedEnd)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
};

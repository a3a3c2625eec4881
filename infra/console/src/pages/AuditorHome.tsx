/**
 * The auditor's home: the audit trail of a day (every write and every refused request:
 * who, what, when, from where), narrowed by actor and by project, and any project's file.
 */
import { useState } from 'preact/hooks';
import { allPages, api, ok } from '../api.ts';
import { serverNow, useLoad } from '../data.ts';
import { filterAudit } from '../district/audit.ts';
import { LoadError, Loading } from '../form.tsx';
import { cnDateTime, shanghaiIsoDay } from '../format.ts';
import { href, navigate } from '../router.ts';
import type { RouteProps } from '../routes.tsx';
import { TableRegion } from '../tableRegion.tsx';

const loadDay = (date: string) =>
  allPages((nextToken) => ok(api().GET('/v1/audit', { params: { query: { date, limit: 100, nextToken } } })));

const Trail = ({ date, actor, project }: { date: string; actor: string; project: string }) => {
  const day = useLoad(() => loadDay(date), [date]);
  if (day.state === 'loading') return <Loading />;
  if (day.state === 'error') return <LoadError error={day.error} />;
  const items = filterAudit(day.value, { actor, project });
  return (
    <TableRegion label="审计记录">
      <table>
        <caption>
          {date} 共 {day.value.length} 条记录{items.length !== day.value.length && `，符合条件 ${items.length} 条`}
        </caption>
        <thead>
          <tr>
            <th scope="col">时间</th>
            <th scope="col">操作人</th>
            <th scope="col">操作</th>
            <th scope="col">对象</th>
            <th scope="col" class="num">
              结果
            </th>
            <th scope="col">来源地址</th>
          </tr>
        </thead>
        <tbody>
          {items.map((e) => (
            <tr key={e.id}>
              <td>{cnDateTime(e.at)}</td>
              <td>
                {e.actor.sub}（{e.actor.role}，{e.actor.orgUnitId}）
              </td>
              <td>{e.route}</td>
              <td>{e.projectId ? <a href={href(`/projects/${e.projectId}/dossier`)}>{e.path}</a> : e.path}</td>
              <td class={`num ${e.status >= 400 ? 'overdue' : ''}`}>
                {e.status >= 400 ? `拒绝 ${e.status}` : `成功 ${e.status}`}
              </td>
              <td>{e.sourceIp}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
};

export const AuditorHome = ({ query }: RouteProps) => {
  const today = useLoad(() => serverNow().then(shanghaiIsoDay));
  const [actor, setActor] = useState(query.get('actor') ?? '');
  const [project, setProject] = useState(query.get('project') ?? '');
  const [dossierId, setDossierId] = useState('');
  if (today.state !== 'ok') return <Loading />;
  const date = query.get('date') ?? today.value;
  const go = (next: Record<string, string>) => navigate('/', { date, actor, project, ...next });
  return (
    <section>
      <h1>审计工作台</h1>
      <form
        class="toolbar"
        aria-label="筛选审计记录"
        onSubmit={(e) => {
          e.preventDefault();
          go({});
        }}
      >
        <label class="field">
          日期
          <input
            type="date"
            name="date"
            value={date}
            onChange={(e) => go({ date: (e.target as HTMLInputElement).value })}
          />
        </label>
        <label class="field">
          操作人（账号、岗位或单位）
          <input name="actor" value={actor} onInput={(e) => setActor((e.target as HTMLInputElement).value)} />
        </label>
        <label class="field">
          项目编号
          <input name="project" value={project} onInput={(e) => setProject((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit" class="primary">
          筛选
        </button>
      </form>
      {/* A new day is a new trail: never show the last day's rows under the new day's caption while it loads. */}
      <Trail key={date} date={date} actor={query.get('actor') ?? ''} project={query.get('project') ?? ''} />
      <h2>查看项目档案</h2>
      <form
        class="toolbar"
        aria-label="查看项目档案"
        onSubmit={(e) => {
          e.preventDefault();
          if (dossierId.trim()) navigate(`/projects/${dossierId.trim()}/dossier`);
        }}
      >
        <label class="field">
          项目编号
          <input
            name="dossierId"
            value={dossierId}
            onInput={(e) => setDossierId((e.target as HTMLInputElement).value)}
          />
        </label>
        <button type="submit" class="secondary">
          打开档案
        </button>
      </form>
      <p>
        或在 <a href={href('/projects')}>全部项目</a> 中选择项目。
      </p>
    </section>
  );
};

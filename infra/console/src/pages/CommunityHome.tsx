/**
 * The community's home: its projects with what happens next and by when (what the
 * community itself must do first), its money, and the needs residents raised that no
 * project answers yet.
 */
import { ApiProblem, api, ok } from '../api.ts';
import { DeadlineCell } from '../deadlineCell.tsx';
import { useLoad } from '../data.ts';
import { LoadError, Loading } from '../form.tsx';
import { CHANNEL_LABELS, STATUS_LABELS, cnDate, label, yuan } from '../format.ts';
import { loadLists, loadQueueContext } from '../loadAll.ts';
import { href } from '../router.ts';
import type { RouteProps } from '../routes.tsx';
import { session } from '../session.ts';
import { CALENDAR_DAY_DEADLINES } from '../workdays.ts';
import { communityQueue } from '../workQueue.ts';

const load = async () => {
  const communityId = session()!.person.orgUnitId;
  const ctx = await loadQueueContext({ communityId });
  const [allocation, lists] = await Promise.all([
    ok(api().GET('/v1/allocations/{year}/{communityId}', { params: { path: { year: ctx.year, communityId } } })).catch(
      (e) => {
        if (e instanceof ApiProblem && e.status === 404) return undefined;
        throw e;
      },
    ),
    loadLists(communityId, ctx.year),
  ]);
  return { ...ctx, allocation, lists };
};

export const CommunityHome = (_props: RouteProps) => {
  const s = useLoad(load, []);
  if (s.state === 'loading') return <Loading />;
  if (s.state === 'error') return <LoadError error={s.error} />;
  const { now, year, projects, calendars, approverOf, allocation, lists } = s.value;
  const steps = communityQueue(projects, approverOf);
  const answered = new Set(projects.flatMap((p) => p.needIds ?? []));
  const openNeeds = lists.needs.filter((n) => !answered.has(n.id));
  const ours = steps.filter((x) => x.ours).length;
  return (
    <section>
      <h1>本社区项目</h1>
      <p>
        今天是 {cnDate(now)}。共 {projects.length} 个项目，其中 <strong>{ours}</strong> 个等待本社区办理。
        <a href={href('/projects/new')}>新建项目</a>
      </p>
      <section class="cards" aria-label={`${year} 年度经费`}>
        {allocation ? (
          <>
            <div class="card">
              <div class="caption">{year} 年下达额度</div>
              <div class="figure">{yuan(allocation.amountFen)}</div>
            </div>
            <div class="card">
              <div class="caption">已预留（已批项目）</div>
              <div class="figure">{yuan(allocation.reservedFen)}</div>
            </div>
            <div class="card">
              <div class="caption">已拨付</div>
              <div class="figure">{yuan(allocation.paidFen)}</div>
            </div>
            <div class="card">
              <div class="caption">可用余额</div>
              <div class="figure">{yuan(allocation.availableFen)}</div>
            </div>
          </>
        ) : (
          <p class="notice">区里尚未下达本社区 {year} 年度的经费额度。</p>
        )}
      </section>
      <h2>项目和下一步</h2>
      {steps.length === 0 ? (
        <p class="muted">
          本年度还没有项目。<a href={href('/projects/new')}>新建第一个项目</a>
        </p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">项目</th>
                <th scope="col">状态</th>
                <th scope="col">下一步</th>
                <th scope="col">截止时间</th>
                <th scope="col" class="num">
                  金额
                </th>
              </tr>
            </thead>
            <tbody>
              {steps.map((x) => (
                <tr key={x.project.id}>
                  <td>
                    <a href={href(`/projects/${x.project.id}`)}>{x.project.title}</a>
                  </td>
                  <td>{label(STATUS_LABELS, x.project.status)}</td>
                  <td>{x.ours ? <strong>{x.label}</strong> : x.label}</td>
                  <td>
                    <DeadlineCell
                      dueAt={x.dueAt}
                      now={now}
                      calendars={calendars}
                      calendarDays={CALENDAR_DAY_DEADLINES.has(x.dueKey ?? '')}
                    />
                  </td>
                  <td class="num">{yuan(x.project.amountFen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>待回应的居民需求（{openNeeds.length}）</h2>
      {openNeeds.length === 0 ? (
        <p class="muted">所有需求都已有项目回应。</p>
      ) : (
        <ul>
          {openNeeds.map((n) => (
            <li key={n.id}>
              {n.title}
              <span class="muted">
                （{label(CHANNEL_LABELS, n.channel)}，{cnDate(n.raisedAt)}）
              </span>{' '}
              <a href={href('/projects/new', { need: n.id })}>据此新建项目</a>
            </li>
          ))}
        </ul>
      )}
      <p>
        <a href={href('/needs')}>查看三个清单（需求、资源、服务）并登记线下收集的需求</a>
      </p>
    </section>
  );
};

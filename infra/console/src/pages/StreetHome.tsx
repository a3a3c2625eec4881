/**
 * The street's home is its work queue: every project waiting for the street (review,
 * objections, approval, acceptance), soonest deadline first, with the working days left on
 * the holiday calendar and overdue ones marked; below it, its communities' money.
 */
import { type Allocation, api, ok } from '../api.ts';
import { DeadlineCell } from '../deadlineCell.tsx';
import { communitiesUnder, loadOrg, unitName, useLoad } from '../data.ts';
import { LoadError, Loading } from '../form.tsx';
import { cnDate, yuan } from '../format.ts';
import { loadQueueContext } from '../loadAll.ts';
import { href } from '../router.ts';
import type { RouteProps } from '../routes.tsx';
import { session } from '../session.ts';
import { isOverdue, streetQueue } from '../workQueue.ts';

const load = async () => {
  const streetId = session()!.person.orgUnitId;
  const ctx = await loadQueueContext({ streetId });
  const [org, allocations] = await Promise.all([
    loadOrg(),
    ok(api().GET('/v1/allocations/{year}', { params: { path: { year: ctx.year }, query: { streetId } } })),
  ]);
  return { ...ctx, org, allocations: allocations.items, streetId };
};

/** The money of each community of the street, with a total row. */
export const MoneyTable = (props: { rows: { name: string; a?: Allocation }[]; caption: string }) => {
  const sum = (f: (a: Allocation) => number) => props.rows.reduce((s, r) => s + (r.a ? f(r.a) : 0), 0);
  return (
    <div class="table-wrap">
      <table>
        <caption class="muted">{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">社区</th>
            <th scope="col" class="num">
              下达额度
            </th>
            <th scope="col" class="num">
              已预留（已批项目）
            </th>
            <th scope="col" class="num">
              已拨付
            </th>
            <th scope="col" class="num">
              可用余额
            </th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr key={r.name}>
              <th scope="row">{r.name}</th>
              {r.a ? (
                <>
                  <td class="num">{yuan(r.a.amountFen)}</td>
                  <td class="num">{yuan(r.a.reservedFen)}</td>
                  <td class="num">{yuan(r.a.paidFen)}</td>
                  <td class="num">{yuan(r.a.availableFen)}</td>
                </>
              ) : (
                <td colSpan={4} class="muted">
                  本年度尚未下达
                </td>
              )}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">合计</th>
            <td class="num">{yuan(sum((a) => a.amountFen))}</td>
            <td class="num">{yuan(sum((a) => a.reservedFen))}</td>
            <td class="num">{yuan(sum((a) => a.paidFen))}</td>
            <td class="num">{yuan(sum((a) => a.availableFen))}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
};

export const StreetHome = (_props: RouteProps) => {
  const s = useLoad(load, []);
  if (s.state === 'loading') return <Loading />;
  if (s.state === 'error') return <LoadError error={s.error} />;
  const { now, year, projects, calendars, approverOf, org, allocations, streetId } = s.value;
  const queue = streetQueue(projects, approverOf);
  const overdue = queue.filter((q) => isOverdue(q.dueAt, now)).length;
  const byCommunity = new Map(allocations.map((a) => [a.communityId, a]));
  return (
    <section>
      <h1>待办工作</h1>
      <p>
        今天是 {cnDate(now)}。{unitName(org, streetId)}共有 <strong>{queue.length}</strong> 件事等待办理
        {overdue > 0 && (
          <>
            ，其中 <strong class="overdue">{overdue} 件已逾期</strong>
          </>
        )}
        。剩余天数按国务院节假日安排计算工作日。
      </p>
      {queue.length === 0 ? (
        <p class="success">目前没有待办事项。</p>
      ) : (
        <div class="table-wrap">
          <table class="queue">
            <caption class="muted">按截止时间排列，最急的在前</caption>
            <thead>
              <tr>
                <th scope="col">事项</th>
                <th scope="col">项目</th>
                <th scope="col">社区</th>
                <th scope="col" class="num">
                  金额
                </th>
                <th scope="col">截止时间</th>
                <th scope="col">办理</th>
              </tr>
            </thead>
            <tbody>
              {queue.map((q) => (
                <tr key={q.project.id + q.task} class={isOverdue(q.dueAt, now) ? 'row-overdue' : undefined}>
                  <td>{q.label}</td>
                  <td>{q.project.title}</td>
                  <td>{unitName(org, q.project.communityId)}</td>
                  <td class="num">{yuan(q.project.amountFen)}</td>
                  <td>
                    <DeadlineCell dueAt={q.dueAt} now={now} calendars={calendars} />
                  </td>
                  <td>
                    <a href={href(`/projects/${q.project.id}`)}>去办理：{q.project.title}</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>各社区经费（{year} 年度）</h2>
      <MoneyTable
        caption="单位：元。已预留为已审批项目占用的额度，已拨付为验收后付出的款项。"
        rows={communitiesUnder(org, streetId).map((c) => ({ name: c.name, a: byCommunity.get(c.id) }))}
      />
    </section>
  );
};

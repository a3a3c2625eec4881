/**
 * The district's home: the year's money per street and per community, projects by status
 * and the deadlines of the coming weeks, each a chart with its table, and what waits for
 * the district (change requests, the year end).
 */
import { STATUSES } from '../../../../functions/domain/lifecycle.ts';
import { api, ok, type ProjectSummary } from '../api.ts';
import { loadProjects } from '../loadAll.ts';
import { BarChart } from '../charts/BarChart.tsx';
import type { ChartSpec } from '../charts/spec.ts';
import { loadOrg, useLoad } from '../data.ts';
import {
  deadlinesByWeek,
  moneyByCommunity,
  moneyByStreet,
  projectsByStatus,
  type MoneyRow,
} from '../district/figures.ts';
import { useFundYear } from '../district/year.ts';
import { YearPicker } from '../district/YearPicker.tsx';
import { LoadError, Loading } from '../form.tsx';
import { STATUS_LABELS, label, yuan } from '../format.ts';
import { href } from '../router.ts';
import type { RouteProps } from '../routes.tsx';

const moneySpec = (rows: MoneyRow[]): ChartSpec => ({
  labels: rows.map((r) => r.label),
  series: [
    { label: '已分配', values: rows.map((r) => r.allocatedFen) },
    { label: '已预留', values: rows.map((r) => r.reservedFen) },
    { label: '已支付', values: rows.map((r) => r.paidFen) },
  ],
  format: yuan,
  axisValue: (fen) => fen / 100,
  axisTitle: '元',
});

const countSpec = (rows: { label: string; count: number }[], series: string): ChartSpec => ({
  labels: rows.map((r) => r.label),
  series: [{ label: series, values: rows.map((r) => r.count) }],
  format: (n) => `${n} 个`,
  axisValue: (n) => n,
  integer: true,
});

/** Every project of the year in the district (all pages): the list read with no street or community. */
export const loadYearProjects = (year: number): Promise<ProjectSummary[]> => loadProjects({}, year);

const loadHome = async (year: number) => {
  const [org, allocations, summary, projects] = await Promise.all([
    loadOrg(),
    ok(api().GET('/v1/allocations/{year}', { params: { path: { year } } })),
    ok(api().GET('/v1/reports/summary', { params: { query: { year } } })),
    loadYearProjects(year),
  ]);
  return { org, allocations: allocations.items, summary, projects };
};

const HomeBody = ({ year, now }: { year: number; now: Date }) => {
  const data = useLoad(() => loadHome(year), [year]);
  if (data.state === 'loading') return <Loading />;
  if (data.state === 'error') return <LoadError error={data.error} />;
  const { org, allocations, summary, projects } = data.value;
  const statusRows = projectsByStatus(projects, STATUSES).map((r) => ({
    label: label(STATUS_LABELS, r.status),
    count: r.count,
  }));
  return (
    <>
      <div class="cards">
        <div class="card">
          <div class="caption">已分配</div>
          <div class="figure">{yuan(summary.allocatedFen)}</div>
        </div>
        <div class="card">
          <div class="caption">已预留（已批准项目）</div>
          <div class="figure">{yuan(summary.reservedFen)}</div>
        </div>
        <div class="card">
          <div class="caption">已支付</div>
          <div class="figure">{yuan(summary.paidFen)}</div>
        </div>
        <div class="card">
          <div class="caption">可用余额</div>
          <div class="figure">{yuan(summary.availableFen)}</div>
        </div>
        <div class="card">
          <div class="caption">项目（申报 / 批准 / 完成 / 未完成）</div>
          <div class="figure">
            {summary.proposed} / {summary.approved} / {summary.completed} / {summary.failed}
          </div>
        </div>
      </div>
      <p class="no-print">
        <a href={href('/allocations', { year })}>设置经费分配</a> ·{' '}
        <a href={href('/change-requests', { year })}>审批变更申请</a> ·{' '}
        <a href={href('/year-end', { year })}>年终清算</a>
      </p>
      <h2>经费使用情况</h2>
      <div class="grid-2">
        <BarChart
          title={`${year} 年各街道经费（元）`}
          labelHeading="街道"
          spec={moneySpec(moneyByStreet(org, allocations))}
          total
        />
        <BarChart
          title={`${year} 年各社区经费（元）`}
          labelHeading="社区"
          spec={moneySpec(moneyByCommunity(org, allocations))}
          total
          size="large"
        />
      </div>
      <h2>项目与期限</h2>
      <div class="grid-2">
        <BarChart
          title={`${year} 年项目状态`}
          labelHeading="状态"
          spec={{ ...countSpec(statusRows, '项目数'), horizontal: true }}
        />
        <BarChart
          title="今后八周到期的办理期限"
          labelHeading="时间"
          spec={countSpec(deadlinesByWeek(projects, now, 8), '到期项目数')}
        />
      </div>
    </>
  );
};

export const DistrictHome = ({ query }: RouteProps) => {
  const { year, now } = useFundYear(query);
  return (
    <section>
      <h1>区级工作台</h1>
      {year && now ? (
        <>
          <YearPicker year={year} path="/" />
          <HomeBody year={year} now={now} />
        </>
      ) : (
        <Loading />
      )}
    </section>
  );
};

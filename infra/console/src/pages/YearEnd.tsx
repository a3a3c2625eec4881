/**
 * The year end: run the check (from 31 December; safe to run twice) and read its report —
 * the surplus per community as a chart with its table, the failed, lapsed and unfinished
 * projects, and the proposed sanctions. The report prints as A4 (print stylesheet).
 */
import { ApiProblem, api, ok, type Schemas } from '../api.ts';
import { BarChart } from '../charts/BarChart.tsx';
import { loadOrg, unitName, useLoad } from '../data.ts';
import { useFundYear } from '../district/year.ts';
import { YearPicker } from '../district/YearPicker.tsx';
import { Form, LoadError, Loading, useSubmission } from '../form.tsx';
import { STATUS_LABELS, cnDateTime, label, yuan } from '../format.ts';
import type { RouteProps } from '../routes.tsx';
import { session } from '../session.ts';

type Report = Schemas['YearEndReport'];

const loadReport = async (year: number): Promise<{ report?: Report; org: Schemas['GetOrgResponse'] }> => {
  const org = await loadOrg();
  try {
    return { org, report: await ok(api().GET('/v1/year-end/{year}', { params: { path: { year } } })) };
  } catch (e) {
    if (e instanceof ApiProblem && e.status === 404) return { org };
    throw e;
  }
};

const ProjectList = ({
  title,
  items,
  org,
}: {
  title: string;
  items: { id: string; title: string; communityId: string; status?: string }[];
  org: Schemas['GetOrgResponse'];
}) => (
  <>
    <h2>{title}</h2>
    {items.length === 0 ? (
      <p>无。</p>
    ) : (
      <table>
        <thead>
          <tr>
            <th scope="col">项目</th>
            <th scope="col">社区</th>
            {items[0].status !== undefined && <th scope="col">状态</th>}
          </tr>
        </thead>
        <tbody>
          {items.map((p) => (
            <tr key={p.id}>
              <td>{p.title}</td>
              <td>{unitName(org, p.communityId)}</td>
              {p.status !== undefined && <td>{label(STATUS_LABELS, p.status)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    )}
  </>
);

export const YearEndReportView = ({ report, org }: { report: Report; org: Schemas['GetOrgResponse'] }) => {
  const rows = report.communities;
  const name = (id: string) => (id === 'POOL' ? '区级统筹' : unitName(org, id));
  return (
    <article class="report">
      <p class="print-only">{org.district.name}</p>
      <h2>{report.year} 年度社区服务群众专项经费年终清算报告</h2>
      <p>清算时间：{cnDateTime(report.ranAt)}</p>
      <dl class="facts">
        <dt>分配</dt>
        <dd>{yuan(report.totals.allocatedFen)}</dd>
        <dt>支付</dt>
        <dd>{yuan(report.totals.paidFen)}</dd>
        <dt>结转</dt>
        <dd>{yuan(report.totals.carriedOverFen)}</dd>
        <dt>结余（应上缴）</dt>
        <dd>{yuan(report.totals.surplusFen)}</dd>
      </dl>
      <BarChart
        title={`${report.year} 年各社区年终结余（元）`}
        labelHeading="社区"
        total
        size="large"
        spec={{
          labels: rows.map((r) => name(r.communityId)),
          series: [
            { label: '分配', values: rows.map((r) => r.allocatedFen) },
            { label: '支付', values: rows.map((r) => r.paidFen) },
            { label: '结转', values: rows.map((r) => r.carriedOverFen) },
            { label: '结余', values: rows.map((r) => r.surplusFen) },
          ],
          format: yuan,
          axisValue: (fen) => fen / 100,
          axisTitle: '元',
        }}
      />
      <ProjectList title="未完成而失败的项目" items={report.failedProjects} org={org} />
      <ProjectList title="未获批准而失效的项目" items={report.lapsed} org={org} />
      <ProjectList title="跨年结转（未完成）的项目" items={report.unfinished} org={org} />
      <h2>建议处理</h2>
      {report.sanctions.undertakers.length + report.sanctions.communities.length === 0 ? (
        <p>无。</p>
      ) : (
        <ul>
          {report.sanctions.undertakers.map((s) => (
            <li key={s.undertakerId}>
              承接方 {s.undertakerId}：{s.reason}（取消 {s.disqualifiedYears.join('、')} 年承接资格）
            </li>
          ))}
          {report.sanctions.communities.map((s) => (
            <li key={s.communityId}>
              {name(s.communityId)}：{s.reason}（{s.appliesToYear} 年经费核减 {s.cutPercent}%）
            </li>
          ))}
        </ul>
      )}
    </article>
  );
};

const RunYearEnd = ({ year, onDone }: { year: number; onDone: () => void }) => {
  const submission = useSubmission(
    (_: object, key: string) =>
      ok(api().POST('/v1/year-end/{year}', { params: { path: { year } }, headers: { 'idempotency-key': key } })),
    { onDone },
  );
  return (
    <Form
      label="年终清算"
      submitLabel={`运行 ${year} 年年终清算`}
      submission={submission}
      onSubmit={() => submission.run({})}
    >
      <p class="hint">12月31日起可运行；重复运行得到同一结果。</p>
    </Form>
  );
};

export const YearEndPage = ({ query }: RouteProps) => {
  const { year } = useFundYear(query);
  const data = useLoad(() => (year ? loadReport(year) : new Promise<never>(() => {})), [year]);
  const district = session()?.person.role === 'district';
  if (!year || data.state === 'loading') return <Loading />;
  if (data.state === 'error') return <LoadError error={data.error} />;
  const { report, org } = data.value;
  return (
    <section>
      <h1 class="no-print">{year} 年年终清算</h1>
      <YearPicker year={year} path="/year-end" />
      {district && <RunYearEnd year={year} onDone={data.reload} />}
      {report ? (
        <>
          <p class="no-print">
            <button type="button" class="secondary" onClick={() => print()}>
              打印 / 保存为 PDF
            </button>
          </p>
          <YearEndReportView report={report} org={org} />
        </>
      ) : (
        <p>{year} 年尚未进行年终清算。</p>
      )}
    </section>
  );
};

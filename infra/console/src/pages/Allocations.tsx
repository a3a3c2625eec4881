/**
 * Allocations: the year's table (allocated, reserved, paid, available per community), set
 * one community's allocation, or load many from a CSV file checked row by row before any
 * is sent. Under a district-pool profile (Gaoming) the pool is one more row, 区级统筹.
 */
import { useState } from 'preact/hooks';
import { ApiProblem, api, ok, type Allocation } from '../api.ts';
import { communitiesUnder, loadOrg, loadPolicy, useLoad } from '../data.ts';
import { POOL_ID, parseAllocationCsv, type AllocationRow, type RowProblem } from '../district/allocationCsv.ts';
import { useFundYear } from '../district/year.ts';
import { YearPicker } from '../district/YearPicker.tsx';
import { Form, LoadError, Loading, SelectField, TextArea, TextField, useSubmission } from '../form.tsx';
import { fenToYuanText, yuan, yuanToFen } from '../format.ts';
import { formProblem } from '../problems.ts';
import type { RouteProps } from '../routes.tsx';
import { session } from '../session.ts';
import { TableRegion } from '../tableRegion.tsx';

const putAllocation = (year: number, row: Pick<AllocationRow, 'communityId' | 'amountFen' | 'sources'>, key: string) =>
  ok(
    api().PUT('/v1/allocations/{year}/{communityId}', {
      params: { path: { year, communityId: row.communityId } },
      body: { amountFen: row.amountFen, sources: row.sources },
      headers: { 'idempotency-key': key },
    }),
  );

const newKey = () => crypto.randomUUID();

/** "区财政 150000\n街道配套 50000" → sources in fen; undefined names the bad line. */
const parseSources = (text: string): { sources?: { funder: string; amountFen: number }[]; bad?: string } => {
  const sources = [];
  for (const line of text.split(/\r?\n/).filter((l) => l.trim())) {
    const m = /^(.+?)[\s:：]+([\d,.]+)\s*元?$/.exec(line.trim());
    const fen = m ? yuanToFen(m[2]) : undefined;
    if (!m || fen === undefined) return { bad: line.trim() };
    sources.push({ funder: m[1].trim(), amountFen: fen });
  }
  return { sources };
};

const OneAllocation = ({
  year,
  options,
  current,
  onDone,
}: {
  year: number;
  options: { value: string; label: string }[];
  current: Map<string, Allocation>;
  onDone: () => void;
}) => {
  const [communityId, setCommunity] = useState('');
  const [amount, setAmount] = useState('');
  const [sourcesText, setSources] = useState('');
  const [local, setLocal] = useState<Record<string, string>>({});
  const submission = useSubmission(
    (body: { communityId: string; amountFen: number; sources: { funder: string; amountFen: number }[] }, key) =>
      putAllocation(year, body, key),
    { onDone },
  );
  const choose = (id: string) => {
    setCommunity(id);
    const a = current.get(id);
    if (a) {
      setAmount(fenToYuanText(a.amountFen));
      setSources(a.sources.map((s) => `${s.funder} ${fenToYuanText(s.amountFen)}`).join('\n'));
    }
  };
  const problem =
    submission.problem ?? (Object.keys(local).length ? { fields: local, form: '请先改正标出的项。' } : undefined);
  return (
    <Form
      label="逐个设置分配"
      submitLabel="保存分配"
      submission={{ busy: submission.busy, problem }}
      onSubmit={() => {
        const amountFen = yuanToFen(amount);
        const parsed = sourcesText.trim()
          ? parseSources(sourcesText)
          : { sources: amountFen !== undefined ? [{ funder: '区财政', amountFen }] : [] };
        const errors: Record<string, string> = {};
        if (!communityId) errors.communityId = '请选择社区';
        if (amountFen === undefined) errors.amountFen = '请填写以元为单位的金额，最多两位小数';
        if (parsed.bad) errors.sources = `“${parsed.bad}”应写成 出资方 金额，例如 区财政 150000`;
        setLocal(errors);
        if (Object.keys(errors).length) return;
        submission.run({ communityId, amountFen, sources: parsed.sources });
      }}
    >
      <SelectField
        name="communityId"
        label="社区"
        required
        value={communityId}
        onInput={choose}
        options={options}
        placeholder="请选择"
        problem={problem}
      />
      <TextField
        name="amountFen"
        label="金额（元）"
        required
        inputMode="decimal"
        value={amount}
        onInput={setAmount}
        problem={problem}
      />
      <TextArea
        name="sources"
        label="资金来源（每行一项：出资方 金额）"
        hint="不填则全部记为“区财政”。各项之和须等于金额。"
        value={sourcesText}
        onInput={setSources}
        problem={problem}
      />
      {submission.done && !submission.busy && (
        <p class="success" role="status">
          已保存。
        </p>
      )}
    </Form>
  );
};

type RowOutcome = { line: number; name: string; ok: boolean; message: string };

const CsvImport = ({
  year,
  communities,
  pool,
  onDone,
}: {
  year: number;
  communities: { id: string; name: string }[];
  pool: boolean;
  onDone: () => void;
}) => {
  const [rows, setRows] = useState<AllocationRow[]>([]);
  const [problems, setProblems] = useState<RowProblem[]>([]);
  const [fileName, setFileName] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcomes, setOutcomes] = useState<RowOutcome[]>([]);
  const [keys] = useState(() => new Map<number, string>());
  const read = async (file: File | undefined) => {
    setOutcomes([]);
    if (!file) return;
    setFileName(file.name);
    const parsed = parseAllocationCsv(await file.text(), communities, { pool });
    setRows(parsed.problems.length ? [] : parsed.rows);
    setProblems(parsed.problems);
  };
  const send = async () => {
    if (busy) return;
    setBusy(true);
    const results: RowOutcome[] = [];
    for (const row of rows) {
      // One key per row of this file: pressing again after a failure retries the same rows safely.
      if (!keys.has(row.line)) keys.set(row.line, newKey());
      try {
        await putAllocation(year, row, keys.get(row.line)!);
        results.push({ line: row.line, name: row.name, ok: true, message: `已保存 ${yuan(row.amountFen)}` });
      } catch (e) {
        const p = formProblem(e instanceof ApiProblem ? e.body : { status: 0 });
        const fields = Object.values(p.fields).join('；');
        results.push({ line: row.line, name: row.name, ok: false, message: `第${row.line}行：${fields || p.form}` });
      }
      setOutcomes([...results]);
    }
    setBusy(false);
    onDone();
  };
  return (
    <div class="step">
      <h3>从 CSV 文件导入</h3>
      <p class="hint">
        三列：社区（名称或编号）、金额（元）、资金来源（出资方:金额，多项用分号隔开；不填记为区财政）。第一行可以是表头。
        {pool && ' 区级统筹资金池写作“区级统筹”。'}可从 Excel“另存为 CSV”。
      </p>
      <label class="field">
        <span>选择文件</span>
        <input
          type="file"
          accept=".csv,text/csv"
          name="csv"
          onChange={(e) => read((e.target as HTMLInputElement).files?.[0])}
        />
      </label>
      {problems.length > 0 && (
        <div class="form-error" role="alert">
          <p>
            文件“{fileName}”有 {problems.length} 处问题，未导入任何一行：
          </p>
          <ul class="row-errors">
            {problems.map((p) => (
              <li key={p.line}>{p.message}</li>
            ))}
          </ul>
        </div>
      )}
      {rows.length > 0 && (
        <>
          <TableRegion label="待导入的分配">
            <table>
              <caption>待导入（{rows.length} 行）</caption>
              <thead>
                <tr>
                  <th scope="col">行</th>
                  <th scope="col">社区</th>
                  <th scope="col" class="num">
                    金额
                  </th>
                  <th scope="col">资金来源</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.line}>
                    <td>{r.line}</td>
                    <td>{r.name}</td>
                    <td class="num">{yuan(r.amountFen)}</td>
                    <td>{r.sources.map((s) => `${s.funder} ${yuan(s.amountFen)}`).join('；')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
          <button type="button" class="primary" disabled={busy} aria-busy={busy} onClick={send}>
            {busy ? '正在导入…' : `导入 ${rows.length} 行`}
          </button>
        </>
      )}
      {outcomes.length > 0 && (
        <ul aria-live="polite" class="outcomes">
          {outcomes.map((o) => (
            <li key={o.line} class={o.ok ? '' : 'field-error'}>
              {o.name}：{o.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
};

const loadAllocations = async (year: number) => {
  const [org, policy, list] = await Promise.all([
    loadOrg(),
    loadPolicy(),
    ok(api().GET('/v1/allocations/{year}', { params: { path: { year } } })),
  ]);
  return { org, pool: policy.allocation.mode === 'district_pool', items: list.items };
};

export const AllocationsPage = ({ query }: RouteProps) => {
  const { year } = useFundYear(query);
  const data = useLoad(() => (year ? loadAllocations(year) : new Promise<never>(() => {})), [year]);
  if (!year || data.state === 'loading') return <Loading />;
  if (data.state === 'error') return <LoadError error={data.error} />;
  const { org, pool, items } = data.value;
  const communities = communitiesUnder(org, session()?.person.orgUnitId ?? org.district.id);
  const byId = new Map(items.map((a) => [a.communityId, a]));
  const options = [
    ...communities.map((c) => ({ value: c.id, label: c.name })),
    ...(pool ? [{ value: POOL_ID, label: '区级统筹（资金池）' }] : []),
  ];
  return (
    <section>
      <h1>{year} 年经费分配</h1>
      <YearPicker year={year} path="/allocations" />
      <TableRegion label="各社区分配">
        <table>
          <thead>
            <tr>
              <th scope="col">社区</th>
              <th scope="col" class="num">
                已分配
              </th>
              <th scope="col" class="num">
                已预留
              </th>
              <th scope="col" class="num">
                已支付
              </th>
              <th scope="col" class="num">
                可用
              </th>
              <th scope="col">资金来源</th>
            </tr>
          </thead>
          <tbody>
            {options.map((o) => {
              const a = byId.get(o.value);
              return (
                <tr key={o.value}>
                  <th scope="row">{o.label}</th>
                  <td class="num">{a ? yuan(a.amountFen) : '未分配'}</td>
                  <td class="num">{a ? yuan(a.reservedFen) : '—'}</td>
                  <td class="num">{a ? yuan(a.paidFen) : '—'}</td>
                  <td class="num">{a ? yuan(a.availableFen) : '—'}</td>
                  <td>{a ? a.sources.map((s) => `${s.funder} ${yuan(s.amountFen)}`).join('；') : ''}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableRegion>
      <div class="grid-2">
        <div class="step">
          <h3>逐个设置</h3>
          <OneAllocation year={year} options={options} current={byId} onDone={data.reload} />
        </div>
        <CsvImport year={year} communities={communities} pool={pool} onDone={data.reload} />
      </div>
    </section>
  );
};

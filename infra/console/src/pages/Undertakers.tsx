/** Undertakers: the register, registering one, and disqualifying one for a year (with the reason). */
import { useState } from 'preact/hooks';
import { allPages, api, ok, type Schemas } from '../api.ts';
import { useLoad } from '../data.ts';
import { useFundYear } from '../district/year.ts';
import { Form, LoadError, Loading, SelectField, TextArea, TextField, useSubmission } from '../form.tsx';
import { KIND_LABELS, cnDate, label } from '../format.ts';
import type { RouteProps } from '../routes.tsx';
import { TableRegion } from '../tableRegion.tsx';

type Undertaker = Schemas['UndertakerView'];
const KINDS = [
  { value: 'social_org', label: '社会组织' },
  { value: 'enterprise', label: '企业' },
  { value: 'individual', label: '个人' },
];

const Register = ({ onDone }: { onDone: () => void }) => {
  const [name, setName] = useState('');
  const [kind, setKind] = useState('');
  const [creditCode, setCode] = useState('');
  const submission = useSubmission(
    (body: Schemas['PostUndertakersBody'], key) =>
      ok(api().POST('/v1/undertakers', { body, headers: { 'idempotency-key': key } })),
    { onDone },
  );
  return (
    <Form
      label="登记承接方"
      submitLabel="登记"
      submission={submission}
      onSubmit={() => submission.run({ name, kind, creditCode: creditCode.trim().toUpperCase() })}
    >
      <TextField name="name" label="名称" required value={name} onInput={setName} problem={submission.problem} />
      <SelectField
        name="kind"
        label="类型"
        required
        value={kind}
        onInput={setKind}
        options={KINDS}
        placeholder="请选择"
        problem={submission.problem}
      />
      <TextField
        name="creditCode"
        label="统一社会信用代码"
        required
        value={creditCode}
        onInput={setCode}
        hint="15 至 20 位数字或大写字母"
        problem={submission.problem}
      />
    </Form>
  );
};

const Disqualify = ({ undertakers, year, onDone }: { undertakers: Undertaker[]; year: number; onDone: () => void }) => {
  const [id, setId] = useState('');
  const [forYear, setYear] = useState(String(year));
  const [reason, setReason] = useState('');
  const submission = useSubmission(
    (body: { year: number; reason: string }, key) =>
      ok(
        api().POST('/v1/undertakers/{id}/disqualifications', {
          params: { path: { id } },
          body,
          headers: { 'idempotency-key': key },
        }),
      ),
    { onDone },
  );
  return (
    <Form
      label="取消承接资格"
      submitLabel="取消资格"
      submission={submission}
      onSubmit={() => submission.run({ year: Number(forYear), reason })}
    >
      <SelectField
        name="id"
        label="承接方"
        required
        value={id}
        onInput={setId}
        options={undertakers.map((u) => ({ value: u.id, label: u.name }))}
        placeholder="请选择"
        problem={submission.problem}
      />
      <TextField
        name="year"
        label="取消资格的年度"
        required
        inputMode="numeric"
        value={forYear}
        onInput={setYear}
        problem={submission.problem}
      />
      <TextArea name="reason" label="理由" required value={reason} onInput={setReason} problem={submission.problem} />
    </Form>
  );
};

export const UndertakersPage = ({ query }: RouteProps) => {
  const { year } = useFundYear(query);
  const list = useLoad(() =>
    allPages((nextToken) => ok(api().GET('/v1/undertakers', { params: { query: { limit: 100, nextToken } } }))),
  );
  if (list.state === 'loading' || !year) return <Loading />;
  if (list.state === 'error') return <LoadError error={list.error} />;
  return (
    <section>
      <h1>承接方</h1>
      <TableRegion label="承接方名录">
        <table>
          <thead>
            <tr>
              <th scope="col">名称</th>
              <th scope="col">类型</th>
              <th scope="col">统一社会信用代码</th>
              <th scope="col">登记日期</th>
              <th scope="col">取消资格</th>
            </tr>
          </thead>
          <tbody>
            {list.value.map((u) => (
              <tr key={u.id}>
                <th scope="row">{u.name}</th>
                <td>{label(KIND_LABELS, u.kind)}</td>
                <td>{u.creditCode}</td>
                <td>{cnDate(u.registeredAt)}</td>
                <td>{u.disqualifications.map((d) => `${d.year} 年：${d.reason}`).join('；') || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableRegion>
      <div class="grid-2">
        <div class="step">
          <h2>登记承接方</h2>
          <Register onDone={list.reload} />
        </div>
        <div class="step">
          <h2>取消承接资格</h2>
          <Disqualify undertakers={list.value} year={year} onDone={list.reload} />
        </div>
      </div>
    </section>
  );
};

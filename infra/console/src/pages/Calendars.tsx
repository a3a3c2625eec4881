/** Holiday calendars: view a year's holidays and make-up working days, and load a year from the State Council notice. */
import { useState } from 'preact/hooks';
import { api, ok } from '../api.ts';
import { clearShared, loadCalendar, useLoad } from '../data.ts';
import { useFundYear } from '../district/year.ts';
import { YearPicker } from '../district/YearPicker.tsx';
import { Form, Loading, TextArea, TextField, useSubmission } from '../form.tsx';
import { cnDate } from '../format.ts';
import type { RouteProps } from '../routes.tsx';

const dates = (text: string): string[] => text.split(/[\s,，、;；]+/).filter(Boolean);

const LoadYear = ({ year, onDone }: { year: number; onDone: () => void }) => {
  const [holidays, setHolidays] = useState('');
  const [workdays, setWorkdays] = useState('');
  const [source, setSource] = useState('');
  const submission = useSubmission(
    (body: { holidays: string[]; workdays: string[]; source: string }, key) =>
      ok(api().PUT('/v1/calendar/{year}', { params: { path: { year } }, body, headers: { 'idempotency-key': key } })),
    {
      onDone: () => {
        clearShared();
        onDone();
      },
    },
  );
  return (
    <Form
      label={`载入 ${year} 年节假日`}
      submitLabel={`载入 ${year} 年`}
      submission={submission}
      onSubmit={() => submission.run({ holidays: dates(holidays), workdays: dates(workdays), source })}
    >
      <TextArea
        name="holidays"
        label="放假日期"
        hint="YYYY-MM-DD，用空格、逗号或换行分隔"
        rows={4}
        value={holidays}
        onInput={setHolidays}
        problem={submission.problem}
      />
      <TextArea
        name="workdays"
        label="调休上班的周末"
        hint="YYYY-MM-DD"
        rows={2}
        value={workdays}
        onInput={setWorkdays}
        problem={submission.problem}
      />
      <TextField
        name="source"
        label="依据"
        required
        placeholder="国务院办公厅关于……假期安排的通知"
        value={source}
        onInput={setSource}
        problem={submission.problem}
      />
    </Form>
  );
};

export const CalendarsPage = ({ query }: RouteProps) => {
  const { year } = useFundYear(query);
  const shown = year ?? 0;
  const cal = useLoad(() => (year ? loadCalendar(year) : new Promise<never>(() => {})), [year]);
  if (!year || cal.state === 'loading') return <Loading />;
  return (
    <section>
      <h1>{shown} 年节假日</h1>
      <YearPicker year={shown} path="/calendars" />
      {cal.state === 'error' ? (
        <p class="form-error">读取失败。</p>
      ) : cal.value ? (
        <dl class="facts">
          <dt>依据</dt>
          <dd>{cal.value.source}</dd>
          <dt>放假</dt>
          <dd>{cal.value.holidays.map(cnDate).join('、')}</dd>
          <dt>调休上班</dt>
          <dd>{cal.value.workdays.map(cnDate).join('、') || '无'}</dd>
        </dl>
      ) : (
        <p class="notice">尚未载入 {shown} 年的节假日安排：该年的期限只按周末计算。</p>
      )}
      <div class="step">
        <h2>{cal.state === 'ok' && cal.value ? '重新载入' : '载入'}</h2>
        <LoadYear year={shown} onDone={() => cal.state === 'ok' && cal.reload()} />
      </div>
    </section>
  );
};

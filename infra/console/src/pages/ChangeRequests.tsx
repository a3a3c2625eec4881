/**
 * Change requests waiting for the district: every approved or running project's history is
 * read for requests not yet decided (the API lists them per project only), each with the
 * change asked and a decision form.
 */
import { useState } from 'preact/hooks';
import { api, ok, type ProjectSummary } from '../api.ts';
import { pendingChanges, type PendingChange } from '../district/changeRequests.ts';
import { useFundYear } from '../district/year.ts';
import { YearPicker } from '../district/YearPicker.tsx';
import { Form, LoadError, Loading, RadioField, TextArea, useSubmission } from '../form.tsx';
import { cnDate, cnDateTime, yuan } from '../format.ts';
import { href } from '../router.ts';
import type { RouteProps } from '../routes.tsx';
import { useLoad } from '../data.ts';
import { loadYearProjects } from './DistrictHome.tsx';

const CHANGEABLE = new Set(['APPROVED', 'IN_PROGRESS']);

const loadPending = async (year: number) => {
  const projects = (await loadYearProjects(year)).filter((p) => CHANGEABLE.has(p.status));
  const out: { project: ProjectSummary; change: PendingChange }[] = [];
  for (const project of projects) {
    const history = await ok(api().GET('/v1/projects/{id}/history', { params: { path: { id: project.id } } }));
    for (const change of pendingChanges(history.items)) out.push({ project, change });
  }
  return out;
};

const Decide = ({ change, onDone }: { change: PendingChange; onDone: () => void }) => {
  const [decision, setDecision] = useState('');
  const [comment, setComment] = useState('');
  const submission = useSubmission(
    (body: { approve: boolean; comment: string }, key) =>
      ok(
        api().POST('/v1/change-requests/{id}/decision', {
          params: { path: { id: change.changeRequestId } },
          body,
          headers: { 'idempotency-key': key },
        }),
      ),
    { onDone },
  );
  return (
    <Form
      label="审批变更申请"
      submitLabel="提交决定"
      submission={submission}
      onSubmit={() => submission.run({ approve: decision === 'approve', comment })}
    >
      <RadioField
        name="approve"
        label="决定"
        value={decision}
        onInput={setDecision}
        options={[
          { value: 'approve', label: '同意变更' },
          { value: 'reject', label: '不同意' },
        ]}
        problem={submission.problem}
      />
      <TextArea
        name="comment"
        label="意见"
        required
        value={comment}
        onInput={setComment}
        problem={submission.problem}
      />
    </Form>
  );
};

export const ChangeRequestsPage = ({ query }: RouteProps) => {
  const { year } = useFundYear(query);
  const data = useLoad(() => (year ? loadPending(year) : new Promise<never>(() => {})), [year]);
  return (
    <section>
      <h1>变更申请</h1>
      {year && <YearPicker year={year} path="/change-requests" />}
      {!year || data.state === 'loading' ? (
        <Loading />
      ) : data.state === 'error' ? (
        <LoadError error={data.error} />
      ) : data.value.length === 0 ? (
        <p>没有待审批的变更申请。</p>
      ) : (
        data.value.map(({ project, change }) => (
          <div class="step" key={change.changeRequestId}>
            <h2>
              <a href={href(`/projects/${project.id}`)}>{project.title}</a>
            </h2>
            <dl class="facts">
              <dt>申请时间</dt>
              <dd>{cnDateTime(change.requestedAt)}</dd>
              <dt>金额</dt>
              <dd>
                {change.amountFen !== undefined
                  ? `${yuan(project.amountFen)} → ${yuan(change.amountFen)}`
                  : `不变（${yuan(project.amountFen)}）`}
              </dd>
              <dt>计划完成</dt>
              <dd>
                {change.plannedEnd
                  ? `${cnDate(project.plannedEnd)} → ${cnDate(change.plannedEnd)}`
                  : `不变（${cnDate(project.plannedEnd)}）`}
              </dd>
              <dt>理由</dt>
              <dd>{change.reason}</dd>
            </dl>
            <Decide change={change} onDone={data.reload} />
          </div>
        ))
      )}
    </section>
  );
};

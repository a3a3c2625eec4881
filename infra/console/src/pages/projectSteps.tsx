/**
 * The lifecycle steps as forms on the project page. Each sends one API call with its own
 * Idempotency-Key per submission and, once answered, tells the page to read the project again.
 */
import { useState } from 'preact/hooks';
import { type Policy, type Project, api, ok } from '../api.ts';
import { Form, RadioField, SelectField, TextArea, TextField, useSubmission } from '../form.tsx';
import { fenToYuanText, shanghaiIsoDay, yuan, yuanToFen } from '../format.ts';

export interface StepProps {
  project: Project;
  policy: Policy;
  now: Date;
  /** Called with a short Chinese sentence once the API has accepted the step. */
  onDone: (message: string) => void;
}

const header = (key: string) => ({ 'Idempotency-Key': key });
const stepNamesOf = (policy: Policy) => Object.fromEntries(policy.deliberation.steps.map((s) => [s.id, s.name]));

/** A whole number typed in a box: the number, or the text itself so the API names the field. */
const whole = (s: string): number | undefined => (/^\d+$/.test(s.trim()) ? Number(s.trim()) : undefined);

const Step = (props: { title: string; children: preact.ComponentChildren; id?: string }) => (
  <section class="step" aria-labelledby={props.id}>
    <h3 id={props.id}>{props.title}</h3>
    {props.children}
  </section>
);

/** The head counts of a meeting, each typed in as a whole number. */
const VOTE_FIELDS = [
  ['attendance', '到会人数'],
  ['votesFor', '同意'],
  ['votesAgainst', '反对'],
  ['abstentions', '弃权'],
] as const;

export const DeliberationStep = ({ project, policy, now, onDone, role }: StepProps & { role: string }) => {
  const passed = new Set(project.deliberations?.filter((d) => d.passed).map((d) => d.step));
  const steps = policy.deliberation.steps.filter((s) => s.heldBy === role);
  const firstOpen = steps.find((s) => !passed.has(s.id))?.id ?? steps[0]?.id ?? '';
  const [f, setF] = useState({
    step: firstOpen,
    heldOn: shanghaiIsoDay(now),
    body: '',
    attendance: '',
    votesFor: '',
    votesAgainst: '0',
    abstentions: '0',
    minutes: '',
    memberVotes: '',
  });
  const set = (k: keyof typeof f) => (v: string) => setF((x) => ({ ...x, [k]: v }));
  const chosen = steps.find((s) => s.id === f.step);
  const sub = useSubmission(
    (body: Record<string, unknown>, key) =>
      ok(
        api().POST('/v1/projects/{id}/deliberations', {
          params: { path: { id: project.id }, header: header(key) },
          body: body as never,
        }),
      ),
    {
      stepNames: stepNamesOf(policy),
      onDone: () => {
        const next = steps.find((s) => s.id !== f.step && !passed.has(s.id));
        onDone(`已记录「${chosen?.name ?? f.step}」。`);
        setF((x) => ({ ...x, step: next?.id ?? x.step, minutes: '', memberVotes: '' }));
      },
    },
  );
  const submit = () => {
    const counts = Object.fromEntries(
      (['attendance', 'votesFor', 'votesAgainst', 'abstentions'] as const).map((k) => [k, whole(f[k])]),
    );
    const bad = Object.entries(counts).filter(([k, v]) => v === undefined && f[k as keyof typeof f].trim() !== '');
    if (bad.length) return sub.refuse(Object.fromEntries(bad.map(([k]) => [k, '请填写整数人数'])));
    const body: Record<string, unknown> = {
      step: f.step,
      heldOn: f.heldOn,
      body: f.body.trim(),
      ...counts,
      minutes: f.minutes.trim(),
    };
    if (chosen?.perMemberVotes) {
      const VOTES: Record<string, string> = { 同意: 'for', 反对: 'against', 弃权: 'abstain' };
      body.memberVotes = f.memberVotes
        .split('\n')
        .map((l) => l.trim().split(/\s+/))
        .filter((p) => p[0])
        .map(([member, v]) => ({ member, vote: VOTES[v] ?? v }));
    }
    sub.run(body);
  };
  return (
    <Step title={`记录决策程序（${policy.deliberation.name}）`} id="step-deliberate">
      <Form label="记录决策程序" submission={sub} submitLabel="记录" onSubmit={submit}>
        <SelectField
          name="step"
          label="程序"
          value={f.step}
          onInput={set('step')}
          options={steps.map((s) => ({ value: s.id, label: `${s.name}${passed.has(s.id) ? '（已记录）' : ''}` }))}
          problem={sub.problem}
        />
        <TextField
          name="heldOn"
          label="会议日期"
          type="date"
          required
          value={f.heldOn}
          onInput={set('heldOn')}
          problem={sub.problem}
        />
        <TextField
          name="body"
          label="会议名称"
          required
          value={f.body}
          onInput={set('body')}
          placeholder="例如 社区“两委”联席会议"
          problem={sub.problem}
        />
        <div class="row4">
          {VOTE_FIELDS.map(([name, label]) => (
            <TextField
              key={name}
              name={name}
              label={label}
              required
              inputMode="numeric"
              value={f[name]}
              onInput={set(name)}
              problem={sub.problem}
            />
          ))}
        </div>
        {chosen?.perMemberVotes && (
          <TextArea
            name="memberVotes"
            label="逐人表决（每行：姓名 同意/反对/弃权）"
            value={f.memberVotes}
            onInput={set('memberVotes')}
            rows={5}
            problem={sub.problem}
          />
        )}
        <TextArea
          name="minutes"
          label="会议纪要"
          required
          value={f.minutes}
          onInput={set('minutes')}
          maxLength={8000}
          problem={sub.problem}
        />
      </Form>
    </Step>
  );
};

/** A step whose only input is a comment or reason, optionally with a two-way decision. */
const DecisionStep = <D extends string>(props: {
  title: string;
  id: string;
  decisionLabel?: string;
  options?: { value: D; label: string }[];
  textName: string;
  textLabel: string;
  submitLabel: string;
  send: (decision: D | undefined, text: string, key: string) => Promise<unknown>;
  done: (decision: D | undefined) => string;
  onDone: (m: string) => void;
  stepNames?: Record<string, string>;
  hint?: preact.ComponentChildren;
}) => {
  const [decision, setDecision] = useState<string>(props.options?.[0]?.value ?? '');
  const [text, setText] = useState('');
  const sub = useSubmission((c: { decision?: D; text: string }, key) => props.send(c.decision, c.text, key), {
    stepNames: props.stepNames,
    onDone: () => props.onDone(props.done(decision as D)),
  });
  return (
    <Step title={props.title} id={props.id}>
      {props.hint}
      <Form
        label={props.title}
        submission={sub}
        submitLabel={props.submitLabel}
        onSubmit={() => sub.run({ decision: props.options ? decision : undefined, text: text.trim() })}
      >
        {props.options && (
          <RadioField
            name="decision"
            label={props.decisionLabel ?? '意见'}
            value={decision}
            onInput={setDecision}
            options={props.options}
            problem={sub.problem}
          />
        )}
        <TextArea
          name={props.textName}
          label={props.textLabel}
          required
          value={text}
          onInput={setText}
          maxLength={2000}
          problem={sub.problem}
        />
      </Form>
    </Step>
  );
};

export const SubmitStep = ({ project, policy, onDone }: StepProps) => {
  const sub = useSubmission(
    (_: unknown, key) =>
      ok(api().POST('/v1/projects/{id}/submit', { params: { path: { id: project.id }, header: header(key) } })),
    { stepNames: stepNamesOf(policy), onDone: () => onDone('已提交街道审核。') },
  );
  return (
    <Step title="提交审核" id="step-submit">
      <p>提交后由街道审核；审核通过即开始公示（{policy.publicityDays} 天）。</p>
      <Form
        label="提交审核"
        submission={sub}
        submitLabel="提交街道审核"
        onSubmit={() => sub.run({ submit: project.id })}
      >
        {null}
      </Form>
    </Step>
  );
};

export const ReviewStep = ({ project, onDone }: StepProps) => (
  <DecisionStep
    title="立项审核"
    id="step-review"
    options={[
      { value: 'pass', label: '通过，进入公示' },
      { value: 'return', label: '退回社区修改' },
    ]}
    textName="comment"
    textLabel="审核意见"
    submitLabel="提交审核意见"
    send={(decision, comment, key) =>
      ok(
        api().POST('/v1/projects/{id}/review', {
          params: { path: { id: project.id }, header: header(key) },
          body: { decision: decision as 'pass' | 'return', comment },
        }),
      )
    }
    done={(d) => (d === 'pass' ? '审核通过，项目已进入公示。' : '已退回社区修改。')}
    onDone={onDone}
  />
);

export const ApprovalStep = ({ project, onDone }: StepProps) => (
  <DecisionStep
    title="项目审批"
    id="step-approve"
    options={[
      { value: 'approve', label: `批准（预留 ${yuan(project.amountFen)}）` },
      { value: 'reject', label: '不予批准' },
    ]}
    textName="comment"
    textLabel="审批意见"
    submitLabel="提交审批意见"
    send={(decision, comment, key) =>
      ok(
        api().POST('/v1/projects/{id}/approval', {
          params: { path: { id: project.id }, header: header(key) },
          body: { decision: decision as 'approve' | 'reject', comment },
        }),
      )
    }
    done={(d) => (d === 'approve' ? '已批准，经费已预留。' : '已作出不予批准的决定。')}
    onDone={onDone}
  />
);

export const ObjectionSteps = ({ project, onDone }: StepProps) => {
  const open = (project.objections ?? []).filter((o) => !o.resolution);
  return (
    <>
      {open.map((o, i) => (
        <DecisionStep
          key={o.id}
          title={`处理异议 ${i + 1}（编号 ${o.id}）`}
          id={`step-objection-${o.id}`}
          hint={<blockquote class="objection">{o.content}</blockquote>}
          decisionLabel="处理结果"
          options={[
            { value: 'dismiss', label: '异议不成立' },
            { value: 'uphold', label: '异议成立（项目退回修改）' },
          ]}
          textName="reply"
          textLabel="答复居民"
          submitLabel="提交处理结果"
          send={(decision, reply, key) =>
            ok(
              api().POST('/v1/projects/{id}/objections/{objectionId}/resolution', {
                params: { path: { id: project.id, objectionId: o.id }, header: header(key) },
                body: { upheld: decision === 'uphold', reply },
              }),
            )
          }
          done={(d) => (d === 'uphold' ? '异议成立，项目已退回社区。' : '已答复：异议不成立。')}
          onDone={onDone}
        />
      ))}
    </>
  );
};

export const WithdrawStep = ({ project, onDone }: StepProps) => (
  <details>
    <summary>撤回项目</summary>
    <DecisionStep
      title="撤回项目"
      id="step-withdraw"
      textName="reason"
      textLabel="撤回原因"
      submitLabel="确认撤回"
      send={(_, reason, key) =>
        ok(
          api().POST('/v1/projects/{id}/withdraw', {
            params: { path: { id: project.id }, header: header(key) },
            body: { reason },
          }),
        )
      }
      done={() => '项目已撤回。'}
      onDone={onDone}
    />
  </details>
);

export const ProgressStep = ({ project, onDone }: StepProps) => {
  const last = project.progress?.at(-1)?.percent ?? 0;
  const [percent, setPercent] = useState(String(last));
  const [note, setNote] = useState('');
  const sub = useSubmission(
    (body: { percent: number; note: string }, key) =>
      ok(api().POST('/v1/projects/{id}/progress', { params: { path: { id: project.id }, header: header(key) }, body })),
    {
      onDone: () => {
        setNote('');
        onDone('已报告进度，街道可据此验收。');
      },
    },
  );
  return (
    <Step title="报告实施进度" id="step-progress">
      <Form
        label="报告实施进度"
        submission={sub}
        submitLabel="报告进度"
        onSubmit={() => {
          const p = whole(percent);
          if (p === undefined || p > 100) return sub.refuse({ percent: '请填写 0 到 100 之间的整数' });
          sub.run({ percent: p, note: note.trim() });
        }}
      >
        <TextField
          name="percent"
          label="完成百分比（0–100）"
          inputMode="numeric"
          required
          value={percent}
          onInput={setPercent}
          problem={sub.problem}
        />
        <TextArea name="note" label="进展情况" required value={note} onInput={setNote} problem={sub.problem} />
      </Form>
    </Step>
  );
};

export const ContractStep = ({ project, now, onDone }: StepProps) => {
  const [undertakerId, setU] = useState(project.undertakerId ?? '');
  const [signedOn, setS] = useState(shanghaiIsoDay(now));
  const [amount, setA] = useState(fenToYuanText(project.amountFen));
  const sub = useSubmission(
    (body: { undertakerId: string; signedOn: string; amountFen: number }, key) =>
      ok(api().POST('/v1/projects/{id}/contract', { params: { path: { id: project.id }, header: header(key) }, body })),
    { onDone: () => onDone('已登记承接协议，项目开始实施。') },
  );
  return (
    <Step title="签订承接协议" id="step-contract">
      <Form
        label="签订承接协议"
        submission={sub}
        submitLabel="登记协议"
        onSubmit={() => {
          const amountFen = yuanToFen(amount);
          if (amountFen === undefined) return sub.refuse({ amountFen: '请填写金额（元）' });
          sub.run({ undertakerId: undertakerId.trim(), signedOn, amountFen });
        }}
      >
        <TextField
          name="undertakerId"
          label="承接方编号"
          required
          value={undertakerId}
          onInput={setU}
          problem={sub.problem}
        />
        <TextField
          name="signedOn"
          label="签订日期"
          type="date"
          required
          value={signedOn}
          onInput={setS}
          problem={sub.problem}
        />
        <TextField
          name="amountFen"
          label="协议金额（元）"
          inputMode="decimal"
          required
          value={amount}
          onInput={setA}
          problem={sub.problem}
        />
      </Form>
    </Step>
  );
};

export const AcceptanceStep = ({ project, policy, onDone }: StepProps) => {
  const tranche = project.tranches?.find((t) => !t.acceptedAt);
  const [passed, setPassed] = useState('yes');
  const [comment, setComment] = useState('');
  const [satisfaction, setSat] = useState('');
  const sub = useSubmission(
    (c: { n: number; body: { passed: boolean; comment: string; satisfaction?: number } }, key) =>
      ok(
        api().POST('/v1/projects/{id}/tranches/{n}/acceptance', {
          params: { path: { id: project.id, n: c.n }, header: header(key) },
          body: c.body,
        }),
      ),
    {
      onDone: () => {
        setComment('');
        onDone(
          passed === 'yes'
            ? `第 ${tranche?.n} 阶段验收合格，已拨付 ${yuan(tranche?.amountFen ?? 0)}。`
            : '已记录：验收不合格。',
        );
      },
    },
  );
  if (!tranche) return null;
  const total = project.tranches?.length ?? policy.trancheSplit.length;
  return (
    <Step
      title={`第 ${tranche.n} 阶段验收（共 ${total} 阶段，本阶段拨付 ${yuan(tranche.amountFen)}）`}
      id="step-accept"
    >
      <Form
        label="阶段验收"
        submission={sub}
        submitLabel={`提交第 ${tranche.n} 阶段验收结果`}
        onSubmit={() => {
          const s = satisfaction.trim() ? whole(satisfaction) : undefined;
          if (satisfaction.trim() && (s === undefined || s > 100))
            return sub.refuse({ satisfaction: '请填写 0 到 100 之间的整数' });
          sub.run({
            n: tranche.n,
            body: {
              passed: passed === 'yes',
              comment: comment.trim(),
              ...(s !== undefined ? { satisfaction: s } : {}),
            },
          });
        }}
      >
        <RadioField
          name="passed"
          label="验收结果"
          value={passed}
          onInput={setPassed}
          options={[
            { value: 'yes', label: '合格，拨付本阶段经费' },
            { value: 'no', label: '不合格' },
          ]}
          problem={sub.problem}
        />
        <TextArea name="comment" label="验收意见" required value={comment} onInput={setComment} problem={sub.problem} />
        <TextField
          name="satisfaction"
          label="居民满意度（0–100，可不填）"
          inputMode="numeric"
          value={satisfaction}
          onInput={setSat}
          problem={sub.problem}
        />
      </Form>
    </Step>
  );
};

export const ChangeRequestStep = ({ project, onDone }: StepProps) => {
  const [amount, setA] = useState('');
  const [plannedEnd, setP] = useState('');
  const [reason, setR] = useState('');
  const sub = useSubmission(
    (body: { amountFen?: number; plannedEnd?: string; reason: string }, key) =>
      ok(
        api().POST('/v1/projects/{id}/change-requests', {
          params: { path: { id: project.id }, header: header(key) },
          body,
        }),
      ),
    { onDone: () => onDone('变更申请已提交区里审定。') },
  );
  return (
    <details>
      <summary>申请变更（金额或完成日期）</summary>
      <Step title="申请变更" id="step-change">
        <Form
          label="申请变更"
          submission={sub}
          submitLabel="提交变更申请"
          onSubmit={() => {
            const amountFen = amount.trim() ? yuanToFen(amount) : undefined;
            if (amount.trim() && amountFen === undefined) return sub.refuse({ amountFen: '请填写金额（元）' });
            sub.run({
              ...(amountFen !== undefined ? { amountFen } : {}),
              ...(plannedEnd ? { plannedEnd } : {}),
              reason: reason.trim(),
            });
          }}
        >
          <TextField
            name="amountFen"
            label={`新金额（元，现为 ${yuan(project.amountFen)}，不变可不填）`}
            inputMode="decimal"
            value={amount}
            onInput={setA}
            problem={sub.problem}
          />
          <TextField
            name="plannedEnd"
            label="新的计划完成日期（不变可不填）"
            type="date"
            value={plannedEnd}
            onInput={setP}
            problem={sub.problem}
          />
          <TextArea name="reason" label="变更理由" required value={reason} onInput={setR} problem={sub.problem} />
        </Form>
      </Step>
    </details>
  );
};

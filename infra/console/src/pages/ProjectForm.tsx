/**
 * Drafting and editing a project, with the policy profile beside it: what each category
 * covers, what the fund must never pay for, and where a restricted use needs a reason.
 */
import { useState } from 'preact/hooks';
import { type Policy, type Project, api, ok } from '../api.ts';
import { Form, SelectField, TextArea, TextField, useSubmission } from '../form.tsx';
import { CHANNEL_LABELS, DELIVERY_LABELS, TYPE_LABELS, fenToYuanText, label, yuanToFen } from '../format.ts';
import { navigate } from '../router.ts';

export interface NeedOption {
  id: string;
  title: string;
  channel: string;
}

/** The profile's rules for drafting, explained in plain words. */
export const PolicyGuide = ({ policy }: { policy: Policy }) => (
  <aside class="notice" aria-label="经费使用规定">
    <h2>{policy.name}：经费可以用于</h2>
    <ul>
      {policy.categories.map((c) => (
        <li key={c.id}>
          <strong>{c.name}</strong>
          {c.description ? `：${c.description}` : ''}
        </li>
      ))}
    </ul>
    <h2>不得用于</h2>
    <ul>
      {policy.prohibitedUses.map((u) => (
        <li key={u.rule}>{u.text}</li>
      ))}
    </ul>
    {(policy.restrictedUses?.length ?? 0) > 0 && (
      <>
        <h2>限制使用（须写明理由）</h2>
        <ul>
          {policy.restrictedUses!.map((u) => (
            <li key={u.rule}>
              {u.text}
              {u.condition ? `（条件：${u.condition}）` : ''}
            </li>
          ))}
        </ul>
      </>
    )}
    {(policy.notEncouragedUses?.length ?? 0) > 0 && (
      <>
        <h2>不鼓励</h2>
        <ul>
          {policy.notEncouragedUses!.map((u) => (
            <li key={u.rule}>{u.text}</li>
          ))}
        </ul>
      </>
    )}
  </aside>
);

type Draft = {
  title: string;
  category: string;
  type: string;
  amount: string;
  delivery: string;
  undertakerId: string;
  measures: string;
  plannedEnd: string;
  needIds: string[];
  cofundingSource: string;
  cofundingAmount: string;
  restrictedRule: string;
  justification: string;
};

const draftOf = (p?: Project, needId?: string): Draft => ({
  title: p?.title ?? '',
  category: p?.category ?? '',
  type: p?.type ?? 'service',
  amount: p ? fenToYuanText(p.amountFen) : '',
  delivery: p?.delivery ?? 'self',
  undertakerId: p?.undertakerId ?? '',
  measures: p?.measures ?? '',
  plannedEnd: p?.plannedEnd ?? '',
  needIds: p?.needIds ?? (needId ? [needId] : []),
  cofundingSource: p?.cofunding?.[0]?.source ?? '',
  cofundingAmount: p?.cofunding?.[0] ? fenToYuanText(p.cofunding[0].amountFen) : '',
  restrictedRule: p?.restrictedUse?.rule ?? '',
  justification: p?.restrictedUse?.justification ?? '',
});

/**
 * The form for a new project (`project` undefined) or an edit of a DRAFT or RETURNED one.
 * Amounts are typed in yuan and sent as integer fen.
 */
export const ProjectForm = (props: {
  policy: Policy;
  communityId: string;
  year: number;
  needs: NeedOption[];
  project?: Project;
  needId?: string;
}) => {
  const { policy, project } = props;
  const [d, setD] = useState<Draft>(() => draftOf(project, props.needId));
  const set = (k: keyof Draft) => (v: string) => setD((x) => ({ ...x, [k]: v }));
  const restrictions = (policy.restrictedUses ?? []).filter((r) => r.categoryIds?.includes(d.category));
  const sub = useSubmission(
    async (body: Record<string, unknown>, key) => {
      if (project)
        return ok(
          api().PATCH('/v1/projects/{id}', {
            params: { path: { id: project.id }, header: { 'Idempotency-Key': key } },
            body: body as never,
          }),
        );
      return ok(api().POST('/v1/projects', { params: { header: { 'Idempotency-Key': key } }, body: body as never }));
    },
    { onDone: (p) => navigate(`/projects/${p.id}`) },
  );
  const submit = () => {
    const amountFen = yuanToFen(d.amount);
    const cofundingFen = d.cofundingAmount.trim() ? yuanToFen(d.cofundingAmount) : undefined;
    const local: Record<string, string> = {};
    if (amountFen === undefined) local.amountFen = '请填写金额（元），例如 30000 或 30000.50';
    if (d.cofundingAmount.trim() && cofundingFen === undefined) local.cofunding = '请填写金额（元）';
    if (Object.keys(local).length) return sub.refuse(local);
    const body: Record<string, unknown> = {
      title: d.title.trim(),
      category: d.category,
      type: d.type,
      amountFen,
      delivery: d.delivery,
      measures: d.measures.trim(),
      plannedEnd: d.plannedEnd,
      needIds: d.needIds,
    };
    if (!project) Object.assign(body, { communityId: props.communityId, year: props.year });
    if (d.delivery !== 'self' && d.undertakerId.trim()) body.undertakerId = d.undertakerId.trim();
    if (d.cofundingSource.trim() || cofundingFen !== undefined)
      body.cofunding = [{ source: d.cofundingSource.trim(), amountFen: cofundingFen }];
    if (restrictions.length) body.restrictedUse = { rule: d.restrictedRule, justification: d.justification.trim() };
    sub.run(body);
  };
  return (
    <div class="two-col">
      <Form
        label={project ? '修改项目' : '新建项目'}
        submission={sub}
        submitLabel={project ? '保存修改' : '保存为草稿'}
        onSubmit={submit}
      >
        <TextField
          name="title"
          label="项目名称"
          required
          value={d.title}
          onInput={set('title')}
          maxLength={100}
          problem={sub.problem}
        />
        <SelectField
          name="category"
          label="经费使用类别"
          required
          value={d.category}
          onInput={set('category')}
          placeholder="请选择类别"
          options={policy.categories.map((c) => ({ value: c.id, label: c.name }))}
          hint={
            policy.categories.find((c) => c.id === d.category)?.description ??
            '右侧列出了每一类可以做什么、不能做什么。'
          }
          problem={sub.problem}
        />
        {restrictions.length > 0 && (
          <>
            <SelectField
              name="restrictedUse"
              label="该类别属于限制使用，请选择适用的规定"
              required
              value={d.restrictedRule}
              onInput={set('restrictedRule')}
              placeholder="请选择"
              options={restrictions.map((r) => ({ value: r.rule, label: r.text }))}
              problem={sub.problem}
            />
            <TextArea
              name="justification"
              label="使用理由"
              required
              value={d.justification}
              onInput={set('justification')}
              problem={sub.problem}
            />
          </>
        )}
        <SelectField
          name="type"
          label="项目类型"
          value={d.type}
          onInput={set('type')}
          options={Object.entries(TYPE_LABELS).map(([value, l]) => ({ value, label: l }))}
          problem={sub.problem}
        />
        <TextField
          name="amountFen"
          label="申请专项经费（元）"
          required
          inputMode="decimal"
          value={d.amount}
          onInput={set('amount')}
          placeholder="例如 30000"
          hint="只填专项经费承担的部分；其他来源的钱填在下面的配套资金里。"
          problem={sub.problem}
        />
        <TextField
          name="cofunding"
          label="配套资金来源（可不填）"
          value={d.cofundingSource}
          onInput={set('cofundingSource')}
          placeholder="例如 物业公司"
          problem={sub.problem}
        />
        <TextField
          name="cofundingAmount"
          label="配套资金金额（元）"
          inputMode="decimal"
          value={d.cofundingAmount}
          onInput={set('cofundingAmount')}
        />
        <SelectField
          name="delivery"
          label="实施方式"
          value={d.delivery}
          onInput={set('delivery')}
          options={Object.entries(DELIVERY_LABELS).map(([value, l]) => ({ value, label: l }))}
          problem={sub.problem}
        />
        {d.delivery !== 'self' && (
          <TextField
            name="undertakerId"
            label="承接方编号（可在签订协议时再填）"
            value={d.undertakerId}
            onInput={set('undertakerId')}
            hint="承接方须已在街道或区里登记，编号向街道索取。"
            problem={sub.problem}
          />
        )}
        <TextArea
          name="measures"
          label="主要措施"
          required
          rows={4}
          value={d.measures}
          onInput={set('measures')}
          maxLength={4000}
          problem={sub.problem}
        />
        <TextField
          name="plannedEnd"
          label="计划完成日期"
          type="date"
          required
          value={d.plannedEnd}
          onInput={set('plannedEnd')}
          problem={sub.problem}
        />
        {props.needs.length > 0 && (
          <fieldset class="field" data-field="needIds">
            <legend>回应的居民需求</legend>
            {props.needs.map((n) => (
              <label key={n.id} class="radio">
                <input
                  type="checkbox"
                  checked={d.needIds.includes(n.id)}
                  onChange={(e) =>
                    setD((x) => ({
                      ...x,
                      needIds: (e.target as HTMLInputElement).checked
                        ? [...x.needIds, n.id]
                        : x.needIds.filter((i) => i !== n.id),
                    }))
                  }
                />
                {n.title}（{label(CHANNEL_LABELS, n.channel)}）
              </label>
            ))}
            {sub.problem?.fields.needIds && <p class="field-error">{sub.problem.fields.needIds}</p>}
          </fieldset>
        )}
      </Form>
      <PolicyGuide policy={policy} />
    </div>
  );
};

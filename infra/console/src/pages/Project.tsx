/**
 * One project: its facts, deadlines (working days left), deliberations, objections,
 * stages and history, and every step the caller's role may take in its current status.
 */
import { useState } from 'preact/hooks';
import { type Project, api, ok } from '../api.ts';
import { type ActionId, actionsFor } from '../actions.ts';
import { DeadlineCell } from '../deadlineCell.tsx';
import { loadCalendars, loadOrg, loadPolicy, serverNow, unitName, useLoad } from '../data.ts';
import { LoadError, Loading } from '../form.tsx';
import {
  HISTORY_LABELS,
  DEADLINE_LABELS,
  DELIVERY_LABELS,
  ROLE_LABELS,
  STATUS_LABELS,
  TYPE_LABELS,
  cnDate,
  cnDateTime,
  label,
  yuan,
} from '../format.ts';
import { href } from '../router.ts';
import type { RouteProps } from '../routes.tsx';
import { session } from '../session.ts';
import { CALENDAR_DAY_DEADLINES, yearsSpanned } from '../workdays.ts';
import { CURRENT_DEADLINE, communityNextStep } from '../workQueue.ts';
import {
  AcceptanceStep,
  ApprovalStep,
  ChangeRequestStep,
  ContractStep,
  DeliberationStep,
  ObjectionSteps,
  ProgressStep,
  ReviewStep,
  type StepProps,
  SubmitStep,
  WithdrawStep,
} from './projectSteps.tsx';

const load = async (id: string) => {
  const [project, history, policy, org, now] = await Promise.all([
    ok(api().GET('/v1/projects/{id}', { params: { path: { id } } })),
    ok(api().GET('/v1/projects/{id}/history', { params: { path: { id } } })),
    loadPolicy(),
    loadOrg(),
    serverNow(),
  ]);
  const calendars = await loadCalendars(yearsSpanned(now, Object.values(project.deadlines ?? {})));
  return { project, history: history.items, policy, org, now, calendars };
};

const Facts = ({
  p,
  policy,
  unit,
}: {
  p: Project;
  policy: { categories: { id: string; name: string }[] };
  unit: string;
}) => (
  <dl class="facts">
    <dt>社区</dt>
    <dd>{unit}</dd>
    <dt>类别</dt>
    <dd>{policy.categories.find((c) => c.id === p.category)?.name ?? p.category}</dd>
    <dt>类型</dt>
    <dd>{label(TYPE_LABELS, p.type)}</dd>
    <dt>专项经费</dt>
    <dd>{yuan(p.amountFen)}</dd>
    {(p.cofunding?.length ?? 0) > 0 && (
      <>
        <dt>配套资金</dt>
        <dd>{p.cofunding!.map((c) => `${c.source} ${yuan(c.amountFen)}`).join('；')}</dd>
      </>
    )}
    <dt>实施方式</dt>
    <dd>
      {label(DELIVERY_LABELS, p.delivery)}
      {p.undertakerId ? `（承接方 ${p.undertakerId}）` : ''}
    </dd>
    <dt>主要措施</dt>
    <dd>{p.measures}</dd>
    <dt>计划完成</dt>
    <dd>{cnDate(p.plannedEnd)}</dd>
    {p.restrictedUse && (
      <>
        <dt>限制使用理由</dt>
        <dd>{p.restrictedUse.justification}</dd>
      </>
    )}
  </dl>
);

export const ProjectPage = ({ params }: RouteProps) => {
  const s = useLoad(() => load(params.id), [params.id]);
  const [flash, setFlash] = useState<string | undefined>();
  if (s.state === 'loading') return <Loading />;
  if (s.state === 'error') return <LoadError error={s.error} />;
  const { project: p, history, policy, org, now, calendars } = s.value;
  const role = session()!.person.role;
  const fast = policy.fastPath;
  const approver = fast && p.amountFen <= fast.maxFen ? fast.approver : (policy.approval?.by ?? 'street');
  const passed = new Set(p.deliberations?.filter((d) => d.passed).map((d) => d.step));
  const holders = [...new Set(policy.deliberation.steps.filter((x) => !passed.has(x.id)).map((x) => x.heldBy))];
  const actions = actionsFor({
    role,
    status: p.status,
    delivery: p.delivery,
    approver,
    reviewer: policy.review?.by ?? 'street',
    deliberationHolders: holders,
    trancheLeft: !!p.tranches?.some((t) => !t.acceptedAt),
  });
  const done = async (message: string) => {
    setFlash(undefined);
    await s.reload();
    setFlash(message);
  };
  const stepProps: StepProps = { project: p, policy, now, onDone: done };
  const stepNames = Object.fromEntries(policy.deliberation.steps.map((x) => [x.id, x.name]));
  const forms: Record<ActionId, () => preact.JSX.Element | null> = {
    edit: () => (
      <p>
        <a href={href(`/projects/${p.id}/edit`)}>修改项目内容</a>
      </p>
    ),
    deliberate: () => <DeliberationStep {...stepProps} role={role} />,
    submit: () => <SubmitStep {...stepProps} />,
    review: () => <ReviewStep {...stepProps} />,
    resolveObjections: () => <ObjectionSteps {...stepProps} />,
    approve: () => <ApprovalStep {...stepProps} />,
    contract: () => <ContractStep {...stepProps} />,
    progress: () => <ProgressStep {...stepProps} />,
    accept: () => <AcceptanceStep {...stepProps} />,
    changeRequest: () => <ChangeRequestStep {...stepProps} />,
    withdraw: () => <WithdrawStep {...stepProps} />,
  };
  const deadlines = Object.entries(p.deadlines ?? {}).filter(([, v]) => v) as [string, string][];
  return (
    <section>
      <p>
        <a href={href('/')}>← 返回首页</a> · <a href={href(`/projects/${p.id}/dossier`)}>项目档案（打印）</a>
      </p>
      <h1>{p.title}</h1>
      <p>
        状态：<strong class="badge">{label(STATUS_LABELS, p.status)}</strong>　下一步：
        {communityNextStep(p, () => approver).label}
      </p>
      {flash && (
        <p class="success" role="status">
          {flash}
        </p>
      )}
      {actions.length > 0 && (
        <section aria-labelledby="todo">
          <h2 id="todo">可办理的事项</h2>
          {actions.map((a) => (
            <div key={a}>{forms[a]()}</div>
          ))}
        </section>
      )}
      <h2>项目内容</h2>
      <Facts p={p} policy={policy} unit={unitName(org, p.communityId)} />
      {deadlines.length > 0 && (
        <>
          <h2>期限</h2>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">期限</th>
                  <th scope="col">截止时间</th>
                </tr>
              </thead>
              <tbody>
                {deadlines.map(([k, v]) => (
                  <tr key={k}>
                    <td>{label(DEADLINE_LABELS, k)}</td>
                    <td>
                      {CURRENT_DEADLINE[p.status] === k ? (
                        <DeadlineCell
                          dueAt={v}
                          now={now}
                          calendars={calendars}
                          calendarDays={CALENDAR_DAY_DEADLINES.has(k)}
                        />
                      ) : (
                        <>
                          {cnDate(v)}
                          {Date.parse(v) < now.getTime() && <span class="muted">（已过）</span>}
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <h2>决策程序（{policy.deliberation.name}）</h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">程序</th>
              <th scope="col">日期</th>
              <th scope="col">会议</th>
              <th scope="col" class="num">
                到会
              </th>
              <th scope="col" class="num">
                同意/反对/弃权
              </th>
              <th scope="col">结果</th>
            </tr>
          </thead>
          <tbody>
            {policy.deliberation.steps.map((step) => {
              const d = [...(p.deliberations ?? [])].reverse().find((x) => x.step === step.id);
              return (
                <tr key={step.id}>
                  <td>{stepNames[step.id]}</td>
                  {d ? (
                    <>
                      <td>{cnDate(d.heldOn)}</td>
                      <td>{d.body}</td>
                      <td class="num">{d.attendance}</td>
                      <td class="num">
                        {d.votesFor}/{d.votesAgainst}/{d.abstentions}
                      </td>
                      <td>{d.passed ? '通过' : '未通过'}</td>
                    </>
                  ) : (
                    <td colSpan={5} class="muted">
                      尚未记录
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {(p.objections?.length ?? 0) > 0 && (
        <>
          <h2>居民异议（{p.objections!.length}）</h2>
          <ul>
            {p.objections!.map((o) => (
              <li key={o.id}>
                {cnDateTime(o.receivedAt)}：{o.content}
                {o.resolution ? (
                  <span>
                    ——{o.resolution.upheld ? '异议成立' : '异议不成立'}，答复：{o.resolution.reply}
                  </span>
                ) : (
                  <strong>——待处理</strong>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {(p.tranches?.length ?? 0) > 0 && (
        <>
          <h2>分阶段验收与拨付</h2>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">阶段</th>
                  <th scope="col" class="num">
                    应拨付
                  </th>
                  <th scope="col" class="num">
                    已拨付
                  </th>
                  <th scope="col">验收</th>
                </tr>
              </thead>
              <tbody>
                {p.tranches!.map((t) => (
                  <tr key={t.n}>
                    <td>第 {t.n} 阶段</td>
                    <td class="num">{yuan(t.amountFen)}</td>
                    <td class="num">{yuan(t.paidFen)}</td>
                    <td>
                      {t.acceptedAt
                        ? `${cnDate(t.acceptedAt)} 合格`
                        : t.attempts.length
                          ? '未通过，待再次验收'
                          : '未验收'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {(p.progress?.length ?? 0) > 0 && (
        <>
          <h2>实施进度</h2>
          <ul>
            {p.progress!.map((r) => (
              <li key={r.at}>
                {cnDate(r.at)} 完成 {r.percent}%：{r.note}
              </li>
            ))}
          </ul>
        </>
      )}
      <h2>办理记录</h2>
      <ol class="history">
        {history.map((h, i) => (
          <li key={i}>
            {cnDateTime(h.at)}　{label(HISTORY_LABELS, h.action)}
            <span class="muted">
              （{h.actor.role === 'system' ? '系统' : (ROLE_LABELS[h.actor.role] ?? h.actor.role)}
              {h.actor.orgUnitId ? ` · ${unitName(org, h.actor.orgUnitId)}` : ''}）
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
};

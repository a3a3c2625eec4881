import type { Policy, PublicProject } from './api.ts';
import { DELIVERY_LABELS, cnDate, label, yuan } from './format.ts';

/** Chinese names from the policy, falling back to the code. */
export const names = (policy: Policy | undefined) => ({
  category: (id: string) => policy?.categories.find((c) => c.id === id)?.name ?? id,
  type: (id: string) => policy?.projectTypes.find((t) => t.id === id)?.name ?? id,
  step: (id: string) => policy?.deliberation.steps.find((s) => s.id === id)?.name ?? id,
});

/** The undertaker as residents may see it: an organisation's name, never a person's contact. */
export const undertakerText = (p: PublicProject): string =>
  p.delivery === 'self'
    ? '社区自行实施'
    : (p.undertaker?.name ?? (p.undertakerId ? `承接方 ${p.undertakerId}` : '尚未确定'));

/** Total money of a project: the fund's amount plus any co-funding. */
export const totalFen = (p: Pick<PublicProject, 'amountFen' | 'cofunding'>): number =>
  p.amountFen + (p.cofunding ?? []).reduce((s, c) => s + c.amountFen, 0);

/** The facts of a project, shared by the project page and the printed notice. */
export const ProjectFacts = ({
  p,
  policy,
  communityName,
}: {
  p: PublicProject;
  policy?: Policy;
  communityName?: string;
}) => {
  const n = names(policy);
  const fund = policy?.funders?.map((f) => f.name).join('、') || '社区服务群众专项经费';
  return (
    <dl class="facts">
      {communityName && (
        <>
          <dt>社区</dt>
          <dd>{communityName}</dd>
        </>
      )}
      <dt>项目类别</dt>
      <dd>
        {n.category(p.category)}（{n.type(p.type)}）
      </dd>
      <dt>项目金额</dt>
      <dd>{yuan(totalFen(p))}</dd>
      <dt>资金来源</dt>
      <dd>
        专项经费（{fund}）{yuan(p.amountFen)}
        {(p.cofunding ?? []).map((c) => (
          <>
            ；{c.source} {yuan(c.amountFen)}
          </>
        ))}
      </dd>
      <dt>实施方式</dt>
      <dd>{label(DELIVERY_LABELS, p.delivery)}</dd>
      <dt>承接方</dt>
      <dd>{undertakerText(p)}</dd>
      <dt>实施内容</dt>
      <dd>{p.measures}</dd>
      <dt>计划完成</dt>
      <dd>{cnDate(p.plannedEnd)}</dd>
    </dl>
  );
};

/**
 * 一项目一档案: one project's whole file for printing as A4 (or saving as PDF): the facts,
 * the deliberations with their votes, publicity, every objection with its resolution,
 * approval, contract, progress, acceptances and payments, changes, and the full history.
 */
import { allPages, api, ok, type HistoryEvent, type Schemas } from '../api.ts';
import { loadOrg, loadPolicy, unitName, useLoad } from '../data.ts';
import { LoadError, Loading } from '../form.tsx';
import { ACTION_LABELS, DELIVERY_LABELS, STATUS_LABELS, cnDate, cnDateTime, label, yuan } from '../format.ts';
import { href } from '../router.ts';
import type { RouteProps } from '../routes.tsx';
import { names } from '../../../board/src/ProjectFacts.tsx';

type Dossier = Schemas['GetProjectsIdDossierResponse'];

const loadDossier = async (id: string) => {
  const [dossier, org, policy] = await Promise.all([
    ok(api().GET('/v1/projects/{id}/dossier', { params: { path: { id } } })),
    loadOrg(),
    loadPolicy(),
  ]);
  // The file holds the first page of objections; a printed file holds them all.
  let objections = dossier.objections;
  if (dossier.objectionsNextToken) {
    const first = dossier.objectionsNextToken;
    const rest = await allPages((nextToken) =>
      ok(
        api().GET('/v1/projects/{id}/objections', {
          params: { path: { id }, query: { nextToken: nextToken ?? first } },
        }),
      ),
    );
    objections = [...objections, ...rest];
  }
  return { dossier: { ...dossier, objections }, org, policy };
};

const who = (a: { sub: string; role: string; orgUnitId?: string } | undefined, org: Schemas['GetOrgResponse']) =>
  a ? `${a.orgUnitId ? unitName(org, a.orgUnitId) : a.role}（${a.sub}）` : '—';

const Events = ({ items, org }: { items: HistoryEvent[]; org: Schemas['GetOrgResponse'] }) =>
  items.length === 0 ? (
    <p>无。</p>
  ) : (
    <table>
      <thead>
        <tr>
          <th scope="col">时间</th>
          <th scope="col">事项</th>
          <th scope="col">状态</th>
          <th scope="col">经办</th>
          <th scope="col">说明</th>
        </tr>
      </thead>
      <tbody>
        {items.map((e, i) => (
          <tr key={i}>
            <td>{cnDateTime(e.at)}</td>
            <td>{label(ACTION_LABELS, e.action)}</td>
            <td>{e.toStatus && e.toStatus !== e.fromStatus ? label(STATUS_LABELS, e.toStatus) : ''}</td>
            <td>{who(e.actor, org)}</td>
            <td>
              {typeof e.details?.comment === 'string'
                ? e.details.comment
                : typeof e.details?.reason === 'string'
                  ? e.details.reason
                  : ''}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );

export const DossierView = ({
  dossier,
  org,
  policy,
}: {
  dossier: Dossier;
  org: Schemas['GetOrgResponse'];
  policy: Schemas['GetPublicPolicyResponse'];
}) => {
  const p = dossier.project;
  const n = names(policy as never);
  return (
    <article class="dossier">
      <p class="print-only">{org.district.name} · 社区服务群众专项经费</p>
      <h1>项目档案：{p.title}</h1>
      <dl class="facts">
        <dt>项目编号</dt>
        <dd>{p.id}</dd>
        <dt>社区</dt>
        <dd>
          {unitName(org, p.communityId)}（{unitName(org, p.streetId)}）
        </dd>
        <dt>年度</dt>
        <dd>{p.year}</dd>
        <dt>类别</dt>
        <dd>{n.category(p.category)}</dd>
        <dt>金额</dt>
        <dd>{yuan(p.amountFen)}</dd>
        <dt>实施方式</dt>
        <dd>{label(DELIVERY_LABELS, p.delivery)}</dd>
        <dt>当前状态</dt>
        <dd>{label(STATUS_LABELS, p.status)}</dd>
        <dt>计划完成</dt>
        <dd>{cnDate(p.plannedEnd)}</dd>
        <dt>实施内容</dt>
        <dd>{p.measures}</dd>
      </dl>
      <h2>议事决策</h2>
      {dossier.deliberations.length === 0 ? (
        <p>无。</p>
      ) : (
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
                赞成 / 反对 / 弃权
              </th>
              <th scope="col">结果</th>
            </tr>
          </thead>
          <tbody>
            {dossier.deliberations.map((d) => (
              <tr key={d.id}>
                <td>{n.step(d.step)}</td>
                <td>{cnDate(d.heldOn)}</td>
                <td>{d.body}</td>
                <td class="num">{d.attendance}</td>
                <td class="num">
                  {d.votesFor} / {d.votesAgainst} / {d.abstentions}
                </td>
                <td>{d.passed ? '通过' : '未通过'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>公示</h2>
      <Events items={dossier.publicity} org={org} />
      <h2>异议及处理（{dossier.objections.length} 件）</h2>
      {dossier.objections.length === 0 ? (
        <p>无。</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">收到</th>
              <th scope="col">内容</th>
              <th scope="col">处理</th>
            </tr>
          </thead>
          <tbody>
            {dossier.objections.map((o) => (
              <tr key={o.id}>
                <td>{cnDateTime(o.receivedAt)}</td>
                <td>{o.content}</td>
                <td>
                  {o.resolution
                    ? `${o.resolution.upheld ? '成立' : '不成立'}：${o.resolution.reply}（${cnDate(o.resolution.at)}）`
                    : '尚未处理'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>审批</h2>
      <Events items={dossier.approvals} org={org} />
      <h2>合同</h2>
      {dossier.contract ? (
        <p>
          {cnDate(dossier.contract.signedOn)} 与承接方 {dossier.contract.undertakerId} 签订，金额{' '}
          {yuan(dossier.contract.amountFen)}
        </p>
      ) : (
        <p>无。</p>
      )}
      <h2>实施进度</h2>
      {dossier.progress.length === 0 ? (
        <p>无。</p>
      ) : (
        <ul>
          {dossier.progress.map((r, i) => (
            <li key={r.id ?? i}>
              {cnDate(r.at)}：完成 {r.percent}%，{r.note}
            </li>
          ))}
        </ul>
      )}
      <h2>验收与支付</h2>
      {dossier.acceptances.length === 0 ? (
        <p>无。</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">阶段</th>
              <th scope="col">日期</th>
              <th scope="col">结果</th>
              <th scope="col">意见</th>
              <th scope="col" class="num">
                支付
              </th>
            </tr>
          </thead>
          <tbody>
            {dossier.acceptances.map((a, i) => {
              const paid = a.passed ? dossier.payments.find((x) => x.n === a.n) : undefined;
              return (
                <tr key={a.id ?? i}>
                  <td>第 {a.n} 阶段</td>
                  <td>{cnDate(a.at)}</td>
                  <td>{a.passed ? '通过' : '未通过'}</td>
                  <td>{a.comment}</td>
                  <td class="num">{paid ? yuan(paid.amountFen) : '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <h2>变更</h2>
      <Events items={dossier.changes} org={org} />
      <h2>全过程记录</h2>
      <Events items={dossier.history} org={org} />
    </article>
  );
};

export const DossierPage = ({ params }: RouteProps) => {
  const data = useLoad(() => loadDossier(params.id), [params.id]);
  if (data.state === 'loading') return <Loading />;
  if (data.state === 'error') return <LoadError error={data.error} />;
  return (
    <section>
      <p class="no-print">
        <a href={href(`/projects/${params.id}`)}>返回项目</a> ·{' '}
        <button type="button" class="secondary" onClick={() => print()}>
          打印 / 保存为 PDF
        </button>
      </p>
      <DossierView {...data.value} />
    </section>
  );
};

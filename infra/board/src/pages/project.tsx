import { useState } from 'preact/hooks';
import { getJson, serverNow, type PublicProject } from '../api.ts';
import {
  ACTION_LABELS,
  DEADLINE_LABELS,
  STATUS_LABELS,
  cnDate,
  cnDateTime,
  daysLeftText,
  label,
  openedAt,
} from '../format.ts';
import { ObjectionForm } from '../ObjectionForm.tsx';
import { ProjectFacts, names } from '../ProjectFacts.tsx';
import { ErrorNote, Layout, Loading, href, loadOrg, loadPolicy, mount, param, placeOf, useLoad } from '../ui.tsx';

const id = param('id') ?? '';

const ProjectPage = () => {
  const [received, setReceived] = useState(0);
  const data = useLoad(async () => {
    const [p, policy, org] = await Promise.all([
      getJson<PublicProject>(`/v1/public/projects/${encodeURIComponent(id)}`),
      loadPolicy().catch(() => undefined),
      loadOrg().catch(() => undefined),
    ]);
    return { p, policy, place: org && placeOf(org, p.communityId) };
  });
  if (data.state === 'loading')
    return (
      <Layout title="项目公示">
        <Loading />
      </Layout>
    );
  if (data.state === 'error')
    return (
      <Layout title="项目公示">
        <ErrorNote message={data.message} />
      </Layout>
    );
  const { p, policy, place } = data.value;
  const now = serverNow(p);
  const endsAt = p.publicityEndsAt;
  const open = p.status === 'IN_PUBLICITY' && !!endsAt && new Date(endsAt).getTime() >= now.getTime();
  const n = names(policy);
  const deadlines = Object.entries(p.deadlines ?? {}).filter(([, v]) => !!v);
  return (
    <Layout title={p.title} place={place}>
      <p>
        <span class="badge">{label(STATUS_LABELS, p.status)}</span> · {p.year}年度 · 项目编号 {p.id}
      </p>
      {endsAt && (
        <p>
          公示期：{cnDate(openedAt(p.history, 'IN_PUBLICITY'))}至{cnDate(endsAt)}{' '}
          {open && <span class="days">{daysLeftText(endsAt, now)}</span>}
        </p>
      )}
      <ProjectFacts p={p} policy={policy} communityName={place?.community.name} />
      <p>
        <a href={href('notice', { id: p.id })}>打印公示（A4）</a>
      </p>

      <h2 id="objection">提出异议</h2>
      <p>已收到异议 {p.objectionCount + received} 条（异议内容和提出人信息不公开）。</p>
      {open ? (
        <ObjectionForm projectId={p.id} onReceived={() => setReceived(received + 1)} />
      ) : endsAt ? (
        <p class="closed" data-testid="objection-closed">
          公示期已于{cnDate(endsAt)}结束，不能再提出异议。
        </p>
      ) : (
        <p>该项目尚未进入公示，暂不能提出异议。</p>
      )}

      <h2>决策程序</h2>
      {p.deliberations.length ? (
        <ol class="steps">
          {p.deliberations.map((d) => (
            <li>
              <strong>{n.step(d.step)}</strong>
              {d.body ? `（${d.body}）` : ''}：{cnDate(d.heldOn)}
              {d.votesFor !== undefined
                ? `，实到${d.attendance ?? '—'}人，同意${d.votesFor}、反对${d.votesAgainst ?? 0}、弃权${d.abstentions ?? 0}`
                : ''}
              ，{d.passed === false ? '未通过' : '通过'}
            </li>
          ))}
        </ol>
      ) : (
        <p>暂无记录。</p>
      )}

      <h2>办理期限</h2>
      {deadlines.length ? (
        <dl class="facts">
          {deadlines.map(([k, v]) => (
            <>
              <dt>{label(DEADLINE_LABELS, k)}</dt>
              <dd>{cnDate(v)}</dd>
            </>
          ))}
        </dl>
      ) : (
        <p>暂无。</p>
      )}

      <h2>公开记录</h2>
      <ol class="steps">
        {p.history.map((h) => (
          <li>
            {cnDateTime(h.at)} {label(ACTION_LABELS, h.action)}
            {h.toStatus && h.toStatus !== h.fromStatus ? `（${label(STATUS_LABELS, h.toStatus)}）` : ''}
          </li>
        ))}
      </ol>
    </Layout>
  );
};

mount(<ProjectPage />);

/**
 * The three lists (三个清单) of a community — needs, resources, services — as the district
 * files and residents see them, and for community staff a form to record a need raised
 * offline (visit, walk-in, survey, WeChat group…).
 */
import { useState } from 'preact/hooks';
import { type Org, api, ok } from '../api.ts';
import { communitiesUnder, loadOrg, serverNow, useLoad } from '../data.ts';
import { Form, LoadError, Loading, SelectField, TextArea, TextField, useSubmission } from '../form.tsx';
import { CHANNEL_LABELS, DELIVERY_LABELS, STATUS_LABELS, cnDate, label, yuan } from '../format.ts';
import { fundYear, loadLists } from '../loadAll.ts';
import { navigate } from '../router.ts';
import type { RouteProps } from '../routes.tsx';
import { session } from '../session.ts';

const CHANNELS = ['visit', 'walk_in', 'survey', 'suggestion_box', 'wechat', 'meeting', 'hotline'] as const;
type Channel = (typeof CHANNELS)[number];

const RecordNeed = ({ communityId, onDone }: { communityId: string; onDone: () => void }) => {
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [channel, setChannel] = useState<string>('visit');
  const sub = useSubmission(
    (body: { title: string; description: string; channel: Channel }, key) =>
      ok(
        api().POST('/v1/communities/{communityId}/needs', {
          params: { path: { communityId }, header: { 'Idempotency-Key': key } },
          body,
        }),
      ),
    {
      onDone: () => {
        setTitle('');
        setDescription('');
        onDone();
      },
    },
  );
  return (
    <Form
      label="登记需求"
      submission={sub}
      submitLabel="登记需求"
      onSubmit={() => sub.run({ title: title.trim(), description: description.trim(), channel })}
    >
      <TextField
        name="title"
        label="需求（一句话）"
        required
        value={title}
        onInput={setTitle}
        maxLength={100}
        problem={sub.problem}
      />
      <TextArea
        name="description"
        label="具体情况"
        required
        value={description}
        onInput={setDescription}
        maxLength={2000}
        problem={sub.problem}
      />
      <SelectField
        name="channel"
        label="收集渠道"
        value={channel}
        onInput={setChannel}
        options={CHANNELS.map((c) => ({ value: c, label: CHANNEL_LABELS[c] ?? c }))}
        problem={sub.problem}
      />
      {sub.done && !sub.busy && (
        <p class="success" role="status">
          已登记。
        </p>
      )}
    </Form>
  );
};

const load = async (communityId: string | undefined) => {
  const [org, now] = await Promise.all([loadOrg(), serverNow()]);
  const year = fundYear(now);
  const communities = communitiesUnder(org, session()!.person.orgUnitId);
  const id = communityId ?? communities[0]?.id;
  const lists = id ? await loadLists(id, year) : undefined;
  return { org, year, communities, id, lists };
};

const nameOf = (org: Org, id: string) => org.streets.flatMap((s) => s.communities).find((c) => c.id === id)?.name ?? id;

export const NeedsPage = ({ query }: RouteProps) => {
  const chosen = query.get('c') ?? undefined;
  const s = useLoad(() => load(chosen), [chosen]);
  if (s.state === 'loading') return <Loading />;
  if (s.state === 'error') return <LoadError error={s.error} />;
  const { org, year, communities, id, lists } = s.value;
  const isCommunity = session()!.person.role === 'community';
  return (
    <section>
      <h1>
        三个清单{id ? ` · ${nameOf(org, id)}` : ''}（{year} 年度）
      </h1>
      {communities.length > 1 && (
        <SelectField
          name="community"
          label="选择社区"
          value={id ?? ''}
          onInput={(c) => navigate('/needs', { c })}
          options={communities.map((c) => ({ value: c.id, label: c.name }))}
        />
      )}
      {lists && (
        <>
          <h2>需求清单（{lists.needs.length}）</h2>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">需求</th>
                  <th scope="col">具体情况</th>
                  <th scope="col">渠道</th>
                  <th scope="col">日期</th>
                </tr>
              </thead>
              <tbody>
                {lists.needs.map((n) => (
                  <tr key={n.id}>
                    <td>{n.title}</td>
                    <td>{n.description}</td>
                    <td>{label(CHANNEL_LABELS, n.channel)}</td>
                    <td>{cnDate(n.raisedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {isCommunity && id && (
            <details>
              <summary>登记线下收集的需求</summary>
              <RecordNeed communityId={id} onDone={s.reload} />
            </details>
          )}
          <h2>资源清单</h2>
          <ul>
            {lists.resources.map((r, i) => (
              <li key={i}>
                {r.kind === 'allocation'
                  ? `专项经费 ${yuan(r.amountFen)}（已预留 ${yuan(r.reservedFen)}，已拨付 ${yuan(r.paidFen)}）`
                  : r.kind === 'source'
                    ? `经费来源：${r.funder} ${yuan(r.amountFen)}`
                    : r.kind === 'cofunding'
                      ? `配套资金：${r.source} ${yuan(r.amountFen)}`
                      : `承接方：${r.name}`}
              </li>
            ))}
          </ul>
          <h2>服务清单（{lists.services.length}）</h2>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">项目</th>
                  <th scope="col">实施方式</th>
                  <th scope="col">状态</th>
                  <th scope="col" class="num">
                    金额
                  </th>
                  <th scope="col" class="num">
                    已拨付
                  </th>
                </tr>
              </thead>
              <tbody>
                {lists.services.map((x) => (
                  <tr key={x.id}>
                    <td>{x.title}</td>
                    <td>{label(DELIVERY_LABELS, x.delivery)}</td>
                    <td>{label(STATUS_LABELS, x.status)}</td>
                    <td class="num">{yuan(x.amountFen)}</td>
                    <td class="num">{yuan(x.paidFen)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
};

import { getJson, serverNow, type PublicLists } from '../api.ts';
import { CHANNEL_LABELS, KIND_LABELS, STATUS_LABELS, cnDate, label, yuan } from '../format.ts';
import { names } from '../ProjectFacts.tsx';
import { CommunityPage, ErrorNote, Loading, href, loadPolicy, mount, useLoad, type Place } from '../ui.tsx';
import { YearPicker, shownYear, yearParam } from '../year.tsx';

const Lists = ({ place, year }: { place: Place; year: number | undefined }) => {
  const data = useLoad(async () => {
    const [lists, policy] = await Promise.all([
      getJson<PublicLists & { asOf?: string }>(
        `/v1/public/lists?communityId=${encodeURIComponent(place.community.id)}${year ? `&year=${year}` : ''}`,
      ),
      loadPolicy().catch(() => undefined),
    ]);
    return { lists, policy };
  }, [year]);
  if (data.state === 'loading') return <Loading />;
  if (data.state === 'error') return <ErrorNote message={data.message} />;
  const { lists, policy } = data.value;
  const n = names(policy);
  const y = lists.year ?? shownYear(year, serverNow(lists));
  const allocation = lists.resources.find((r) => r.kind === 'allocation');
  return (
    <>
      <YearPicker page="lists" place={place} year={y} />
      <h2>需求清单</h2>
      {lists.needs.length ? (
        <ol class="steps">
          {lists.needs.map((x) => (
            <li>
              {x.title}{' '}
              <span class="muted">
                （{label(CHANNEL_LABELS, x.channel)}，{cnDate(x.raisedAt)}）
              </span>
            </li>
          ))}
        </ol>
      ) : (
        <p>
          暂无需求。<a href={href('need', { c: place.community.id })}>反映需求</a>
        </p>
      )}

      <h2>资源清单</h2>
      {allocation && allocation.kind === 'allocation' ? (
        <dl class="facts">
          <dt>年度经费</dt>
          <dd>{yuan(allocation.amountFen)}</dd>
          <dt>已安排</dt>
          <dd>{yuan(allocation.reservedFen)}</dd>
          <dt>已拨付</dt>
          <dd>{yuan(allocation.paidFen)}</dd>
          <dt>可安排</dt>
          <dd>{yuan(allocation.availableFen)}</dd>
        </dl>
      ) : (
        <p>本年度经费尚未下达。</p>
      )}
      <ul>
        {lists.resources.map((r) => {
          switch (r.kind) {
            case 'source':
              return (
                <li>
                  经费来源：{r.funder} {yuan(r.amountFen)}
                </li>
              );
            case 'cofunding':
              return (
                <li>
                  项目共建资金：{r.source} {yuan(r.amountFen)}
                </li>
              );
            case 'undertaker':
              return (
                <li>
                  承接方：{r.name}（{label(KIND_LABELS, r.undertakerKind)}，承接 {r.projectIds.length} 个项目）
                </li>
              );
            default:
              return null;
          }
        })}
      </ul>

      <h2>服务清单</h2>
      {lists.services.length ? (
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">项目</th>
                <th scope="col">类别</th>
                <th scope="col">金额</th>
                <th scope="col">已拨付</th>
                <th scope="col">状态</th>
              </tr>
            </thead>
            <tbody>
              {lists.services.map((s) => (
                <tr>
                  <td>
                    <a href={href('project', { id: s.id, c: place.community.id })}>{s.title}</a>
                  </td>
                  <td>{n.category(s.category)}</td>
                  <td>{yuan(s.amountFen + s.cofundingFen)}</td>
                  <td>{yuan(s.paidFen)}</td>
                  <td>{label(STATUS_LABELS, s.status)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>本年度还没有审批通过的项目。</p>
      )}
    </>
  );
};

mount(<CommunityPage title="三个清单" body={(place) => <Lists place={place} year={yearParam()} />} />);

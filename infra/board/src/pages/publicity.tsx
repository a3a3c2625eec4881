import { getJson, serverNow, type PublicityList } from '../api.ts';
import { cnDate, daysLeftText, yuan } from '../format.ts';
import { CommunityPage, ErrorNote, Loading, href, loadPolicy, mount, useLoad, type Place } from '../ui.tsx';

const List = ({ place }: { place: Place }) => {
  const data = useLoad(async () => {
    const [list, policy] = await Promise.all([
      getJson<PublicityList>(`/v1/public/publicity?communityId=${encodeURIComponent(place.community.id)}`),
      loadPolicy().catch(() => undefined),
    ]);
    return { list, policy };
  });
  if (data.state === 'loading') return <Loading />;
  if (data.state === 'error') return <ErrorNote message={data.message} />;
  const { list, policy } = data.value;
  const now = serverNow(list);
  if (!list.items.length) return <p>{place.community.name}目前没有正在公示的项目。</p>;
  const category = (id: string) => policy?.categories.find((c) => c.id === id)?.name ?? id;
  return (
    <>
      <p>以下项目正在公示。公示期内，任何居民都可以对项目提出异议。</p>
      <ul class="plain">
        {list.items.map((p) => (
          <li class="card">
            <h2>
              <a href={href('project', { id: p.id, c: place.community.id })}>{p.title}</a>
            </h2>
            <p>
              {category(p.category)} · {yuan(p.amountFen)}
            </p>
            <p>
              公示期：{cnDate(p.publicityOpenedAt)}至{cnDate(p.publicityEndsAt)}{' '}
              <span class="days">{daysLeftText(p.publicityEndsAt, now)}</span>
            </p>
            <p>
              已收到异议 {p.objectionCount} 条 ·{' '}
              <a href={`${href('project', { id: p.id, c: place.community.id })}#objection`}>提出异议</a> ·{' '}
              <a href={href('notice', { id: p.id })}>打印公示</a>
            </p>
          </li>
        ))}
      </ul>
    </>
  );
};

mount(<CommunityPage title="正在公示" body={(place) => <List place={place} />} />);

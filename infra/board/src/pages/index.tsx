import { useState } from 'preact/hooks';
import {
  ErrorNote,
  Layout,
  Loading,
  chosenCommunityId,
  href,
  loadOrg,
  mount,
  placeOf,
  rememberCommunity,
  useLoad,
} from '../ui.tsx';

/** The front page: choose street and community, then the sections of the board. */
const Home = () => {
  const org = useLoad(loadOrg);
  const remembered = chosenCommunityId();
  const [streetId, setStreetId] = useState<string>('');
  const [communityId, setCommunityId] = useState<string>('');
  if (org.state !== 'ok')
    return (
      <Layout title="选择社区">{org.state === 'loading' ? <Loading /> : <ErrorNote message={org.message} />}</Layout>
    );

  const place = placeOf(org.value, remembered);
  const street = org.value.streets.find((s) => s.id === (streetId || place?.street.id)) ?? org.value.streets[0];
  const community =
    street?.communities.find((c) => c.id === (communityId || place?.community.id)) ?? street?.communities[0];
  const go = (e: Event) => {
    e.preventDefault();
    if (!community) return;
    rememberCommunity(community.id);
    location.href = href('publicity', { c: community.id });
  };
  return (
    <Layout title="选择社区" place={place}>
      <p>{org.value.district.name}：社区服务群众专项经费的项目公示、异议和需求反映。无需登录。</p>
      <form onSubmit={go} class="card">
        <div class="field">
          <label for="street">街道</label>
          <select
            id="street"
            value={street?.id}
            onChange={(e) => {
              setStreetId((e.target as HTMLSelectElement).value);
              setCommunityId('');
            }}
          >
            {org.value.streets.map((s) => (
              <option value={s.id}>{s.name}</option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="community">社区（村）</label>
          <select
            id="community"
            value={community?.id}
            onChange={(e) => setCommunityId((e.target as HTMLSelectElement).value)}
          >
            {street?.communities.map((c) => (
              <option value={c.id}>{c.name}</option>
            ))}
          </select>
        </div>
        <button type="submit">查看本社区公示</button>
      </form>
      {place && (
        <>
          <h2>{place.community.name}</h2>
          <ul class="plain">
            <li class="card">
              <a href={href('publicity', { c: place.community.id })}>正在公示的项目</a>：查看公示内容，提出异议
            </li>
            <li class="card">
              <a href={href('need', { c: place.community.id })}>反映需求</a>：告诉社区您希望办的实事
            </li>
            <li class="card">
              <a href={href('completed', { c: place.community.id })}>完成公示</a>：已完成项目的验收、付款和满意度
            </li>
            <li class="card">
              <a href={href('lists', { c: place.community.id })}>三个清单</a>：需求清单、资源清单、服务清单
            </li>
            <li class="card">
              <a href={href('policy', { c: place.community.id })}>经费政策</a>：能做什么、不能做什么、办理程序
            </li>
          </ul>
        </>
      )}
    </Layout>
  );
};

mount(<Home />);

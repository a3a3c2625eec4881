import { getJson, serverNow, type CompletionList } from '../api.ts';
import { STATUS_LABELS, cnDate, daysLeftText, label, yuan } from '../format.ts';
import { names, totalFen } from '../ProjectFacts.tsx';
import { CommunityPage, ErrorNote, Loading, href, loadPolicy, mount, useLoad, type Place } from '../ui.tsx';
import { YearPicker, shownYear, yearParam } from '../year.tsx';

const satisfactionText = (s: number | undefined) => (s === undefined ? '—' : `${s}%`);

const Completed = ({ place, year }: { place: Place; year: number | undefined }) => {
  const data = useLoad(async () => {
    const [list, policy] = await Promise.all([
      getJson<CompletionList>(
        `/v1/public/completions?communityId=${encodeURIComponent(place.community.id)}${year ? `&year=${year}` : ''}`,
      ),
      loadPolicy().catch(() => undefined),
    ]);
    return { list, policy };
  }, [year]);
  if (data.state === 'loading') return <Loading />;
  if (data.state === 'error') return <ErrorNote message={data.message} />;
  const { list, policy } = data.value;
  const now = serverNow(list);
  const n = names(policy);
  const y = shownYear(year, now);
  return (
    <>
      <YearPicker page="completed" place={place} year={y} />
      {!list.items.length && <p>{y}年度还没有完成的项目。</p>}
      <ul class="plain">
        {list.items.map((p) => {
          const ends = p.deadlines?.completionPublicityEndsAt;
          return (
            <li class="card">
              <h2>
                <a href={href('project', { id: p.id, c: place.community.id })}>{p.title}</a>
              </h2>
              <p>
                <span class="badge">{label(STATUS_LABELS, p.status)}</span> · {n.category(p.category)}
              </p>
              {p.status === 'COMPLETION_PUBLICITY' && ends && (
                <p>
                  完成公示至{cnDate(ends)} <span class="days">{daysLeftText(ends, now)}</span>
                </p>
              )}
              <p>
                项目金额 {yuan(totalFen(p))}，已拨付 {yuan(p.paidFen)}
              </p>
              <div class="scroll">
                <table>
                  <caption class="muted">分期验收</caption>
                  <thead>
                    <tr>
                      <th scope="col">期次</th>
                      <th scope="col">验收日期</th>
                      <th scope="col">居民满意度</th>
                    </tr>
                  </thead>
                  <tbody>
                    {p.acceptances.map((a) => (
                      <tr>
                        <td>第{a.n}期</td>
                        <td>{cnDate(a.acceptedAt)}</td>
                        <td>{satisfactionText(a.satisfaction)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <p>
                <a href={href('notice', { id: p.id })}>打印完成公示</a>
              </p>
            </li>
          );
        })}
      </ul>
    </>
  );
};

mount(<CommunityPage title="完成公示" body={(place) => <Completed place={place} year={yearParam()} />} />);

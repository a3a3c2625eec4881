import QRCode from 'qrcode';
import { getJson, type CompletionList, type PublicProject } from '../api.ts';
import { cnDate, openedAt, yuan } from '../format.ts';
import { ProjectFacts, names } from '../ProjectFacts.tsx';
import { ErrorNote, Layout, Loading, href, loadOrg, loadPolicy, mount, param, placeOf, useLoad } from '../ui.tsx';
import '../notice.css';

const id = param('id') ?? '';

/** "关于老旧小区路灯维修项目的公示": no doubled 项目 when the title already ends with it. */
export const noticeTitle = (title: string, completion: boolean): string => {
  const base = title.endsWith('项目') ? title : `${title}项目`;
  return completion ? `关于${base}完成情况的公示` : `关于${base}的公示`;
};

const isCompletion = (status: string) => status === 'COMPLETION_PUBLICITY' || status === 'CLOSED';

const NoticePage = () => {
  const data = useLoad(async () => {
    const [p, policy, org] = await Promise.all([
      getJson<PublicProject>(`/v1/public/projects/${encodeURIComponent(id)}`),
      loadPolicy().catch(() => undefined),
      loadOrg().catch(() => undefined),
    ]);
    const completion = isCompletion(p.status);
    // The completion view carries the acceptances and the money paid.
    const done = completion
      ? (
          await getJson<CompletionList>(
            `/v1/public/completions?communityId=${encodeURIComponent(p.communityId)}&year=${p.year}`,
          )
        ).items.find((x) => x.id === p.id)
      : undefined;
    // The code opens the project's objection form on this same site.
    const url = `${location.origin}${href('project', { id: p.id })}#objection`;
    const qr = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return { p, policy, place: org && placeOf(org, p.communityId), completion, done, url, qr };
  });
  if (data.state !== 'ok')
    return (
      <Layout title="打印公示">{data.state === 'loading' ? <Loading /> : <ErrorNote message={data.message} />}</Layout>
    );
  const { p, policy, place, completion, done, url, qr } = data.value;
  const community = place?.community.name ?? '本社区';
  const from = openedAt(p.history, completion ? 'COMPLETION_PUBLICITY' : 'IN_PUBLICITY');
  const to = completion ? p.deadlines?.completionPublicityEndsAt : p.publicityEndsAt;
  const n = names(policy);
  return (
    <Layout title="打印公示" place={place}>
      <div class="actions no-print">
        <button type="button" onClick={() => window.print()}>
          下载PDF
        </button>
        <button type="button" onClick={() => window.print()}>
          打印
        </button>
        <a class="button" href={href('project', { id: p.id, c: p.communityId })}>
          返回项目
        </a>
      </div>
      <p class="no-print muted">“下载PDF”会打开打印对话框，请在“目标打印机”中选择“另存为 PDF”。纸张为 A4。</p>
      <article class="notice" aria-labelledby="notice-title">
        <h2 id="notice-title" class="notice-title">
          {noticeTitle(p.title, completion)}
        </h2>
        <p>
          根据{policy?.name ?? '社区服务群众专项经费'}管理规定，经{policy?.deliberation.name ?? '民主决策程序'}
          {completion ? '，该项目已实施完成并通过验收' : '和街道审核，现将该项目有关情况公示如下'}：
        </p>
        <ProjectFacts p={p} policy={policy} communityName={community} />
        {!completion && p.deliberations.length > 0 && (
          <p>
            决策程序：
            {p.deliberations
              .map(
                (d, i) =>
                  `${i ? '；' : ''}${n.step(d.step)}（${cnDate(d.heldOn)}，${d.passed === false ? '未通过' : '通过'}）`,
              )
              .join('')}
            。
          </p>
        )}
        {completion && done && (
          <>
            <p>已拨付资金：{yuan(done.paidFen)}。</p>
            <p>
              验收情况：
              {done.acceptances
                .map(
                  (a, i) =>
                    `${i ? '；' : ''}第${a.n}期于${cnDate(a.acceptedAt)}验收合格${a.satisfaction !== undefined ? `，居民满意度${a.satisfaction}%` : ''}`,
                )
                .join('')}
              。
            </p>
          </>
        )}
        <p class="period" data-testid="period">
          公示期：{cnDate(from)}至{cnDate(to)}
        </p>
        <div class="object">
          <div class="qr" role="img" aria-label={completion ? '二维码：打开项目页面' : '二维码：打开项目页面提出异议'}>
            <div dangerouslySetInnerHTML={{ __html: qr }} />
            <p>{completion ? '扫码查看项目详情' : '扫码查看并提出异议'}</p>
          </div>
          <div class="object-text">
            {completion ? (
              <p>
                公示期内，居民如对项目实施结果有意见，可向{community}居（村）民委员会或{place?.street.name ?? '街道'}
                反映。
              </p>
            ) : (
              <p>
                公示期内，任何居民如对该项目有异议，可用手机扫描左侧二维码，或访问下方网址，在项目页面“提出异议”中提交（可不留姓名）；也可以书面形式向
                {community}居（村）民委员会或{place?.street.name ?? '街道'}反映。异议须在公示期结束前提出。
              </p>
            )}
            <p class="url">{url}</p>
          </div>
        </div>
        <p class="sign">
          {community}
          <br />
          {cnDate(from)}
        </p>
      </article>
    </Layout>
  );
};

mount(<NoticePage />);

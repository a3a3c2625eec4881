import type { Policy } from '../api.ts';
import { ErrorNote, Layout, Loading, chosenCommunityId, loadOrg, loadPolicy, mount, placeOf, useLoad } from '../ui.tsx';

const WHO: Record<string, string> = { district: '区', street: '街道', community: '社区' };

/** The procedure in steps, from the active policy's own numbers. */
const steps = (p: Policy): string[] => [
  '居民反映需求，社区汇总形成需求清单。',
  ...p.deliberation.steps.map((s, i) => `${p.deliberation.name}第${i + 1}步：${s.name}。`),
  `社区提交项目，由${WHO[p.review?.by ?? 'street'] ?? '街道'}审核。`,
  `审核通过后公示不少于 ${p.publicityDays} 天；公示期内任何居民都可以提出异议。`,
  `公示期满无异议（或异议已处理）后，由${WHO[p.approval?.by ?? 'street'] ?? '街道'}在 ${p.approvalWorkingDays} 个工作日内审批。`,
  '签订服务协议，组织实施，社区报告进度。',
  `分期验收、按 ${p.trancheSplit.join(':')} 的比例拨付资金，验收时听取居民满意度。`,
  `完成后公示 ${p.completionPublicityDays} 天，接受居民监督。`,
];

const PolicyPage = () => {
  const data = useLoad(() => Promise.all([loadPolicy(), loadOrg().catch(() => undefined)]));
  if (data.state !== 'ok')
    return (
      <Layout title="经费政策">{data.state === 'loading' ? <Loading /> : <ErrorNote message={data.message} />}</Layout>
    );
  const [p, org] = data.value;
  const place = org && placeOf(org, chosenCommunityId());
  return (
    <Layout title="经费政策" place={place}>
      <p>
        <strong>{p.name}</strong>（{p.district}）
      </p>
      {p.source && <p class="muted">依据：{p.source}</p>}
      <h2>可以用于</h2>
      <ul>
        {p.categories.map((c) => (
          <li>
            <strong>{c.name}</strong>
            {c.description ? `：${c.description}` : ''}
          </li>
        ))}
      </ul>
      <h2>不得用于</h2>
      <ul>
        {p.prohibitedUses.map((u) => (
          <li>{u.text}</li>
        ))}
      </ul>
      {!!p.restrictedUses?.length && (
        <>
          <h2>限制使用</h2>
          <ul>
            {p.restrictedUses.map((u) => (
              <li>{u.text}</li>
            ))}
          </ul>
        </>
      )}
      {!!p.notEncouragedUses?.length && (
        <>
          <h2>不提倡</h2>
          <ul>
            {p.notEncouragedUses.map((u) => (
              <li>{u.text}</li>
            ))}
          </ul>
        </>
      )}
      <h2>办理程序</h2>
      <ol class="steps">
        {steps(p).map((s) => (
          <li>{s}</li>
        ))}
      </ol>
    </Layout>
  );
};

mount(<PolicyPage />);

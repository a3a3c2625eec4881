import { useState } from 'preact/hooks';
import { postJson } from '../api.ts';
import { cnDateTime } from '../format.ts';
import { fieldErrors, problemMessage } from '../problems.ts';
import { CommunityPage, mount, type Place } from '../ui.tsx';
import { TextField } from '../TextField.tsx';

/** The limits the API applies to a resident's need (functions/api/needs.ts). */
const LIMITS = { title: 100, description: 2000, contact: 100 } as const;

interface Receipt {
  receipt: string;
  raisedAt: string;
}

const NeedForm = ({ place }: { place: Place }) => {
  const [values, setValues] = useState({ title: '', description: '', contact: '' });
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState('');
  const [receipt, setReceipt] = useState<Receipt | undefined>();

  if (receipt)
    return (
      <div class="receipt" role="status">
        <p class="ok">您的需求已提交给{place.community.name}。</p>
        <p>
          回执编号：<code data-testid="receipt">{receipt.receipt}</code>
        </p>
        <p>提交时间：{cnDateTime(receipt.raisedAt)}。社区会在“需求清单”中公开需求（不公开您的联系方式）。</p>
      </div>
    );

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setFormError('');
    try {
      const body: Record<string, string> = { title: values.title, description: values.description };
      if (values.contact.trim()) body.contact = values.contact;
      setReceipt(
        await postJson<Receipt>(`/v1/public/communities/${encodeURIComponent(place.community.id)}/needs`, body),
      );
    } catch (p) {
      setErrors(fieldErrors(p));
      setFormError(problemMessage(p, 'need'));
    } finally {
      setBusy(false);
    }
  };

  const field = (name: keyof typeof values, label: string, hint: string, multiline = false) => (
    <TextField
      name={name}
      label={label}
      hint={hint}
      multiline={multiline}
      maxLength={LIMITS[name]}
      value={values[name]}
      error={errors[name]}
      onValue={(value) => setValues({ ...values, [name]: value })}
    />
  );

  return (
    <>
      <p>告诉{place.community.name}您和邻居最需要办的实事。社区会汇总需求，经居民议事后决定用专项经费办理哪些项目。</p>
      <form onSubmit={submit} noValidate class="card">
        {field('title', '需求标题（必填）', `一句话说明需求，不超过 ${LIMITS.title} 字。`)}
        {field(
          'description',
          '具体情况（必填）',
          `在哪里、涉及多少人、希望怎么解决，不超过 ${LIMITS.description} 字。`,
          true,
        )}
        {field('contact', '联系方式（选填）', '只有社区经办人员能看到，不会公开。')}
        {formError && (
          <p class="error" role="alert">
            {formError}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? '正在提交……' : '提交需求'}
        </button>
      </form>
    </>
  );
};

mount(<CommunityPage title="反映需求" body={(place) => <NeedForm place={place} />} />);

import { useState } from 'preact/hooks';
import { ApiProblem, postJson } from './api.ts';
import { cnDate, cnDateTime } from './format.ts';
import { fieldErrors, problemMessage } from './problems.ts';
import { TextField } from './TextField.tsx';

interface Receipt {
  receipt: string;
  receivedAt: string;
}

/** The limits the API applies to an objection (functions/api/publicity.ts). */
export const OBJECTION_LIMITS = { content: 2000, contact: 100 } as const;

/**
 * 提出异议: the API decides; its problem+json is shown in Chinese beside the field it
 * names, and a success shows the receipt number.
 */
export const ObjectionForm = ({ projectId, onReceived }: { projectId: string; onReceived?: () => void }) => {
  const [content, setContent] = useState('');
  const [contact, setContact] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState('');
  const [receipt, setReceipt] = useState<Receipt | undefined>();

  if (receipt)
    return (
      <div class="receipt" role="status">
        <p class="ok">您的异议已提交。</p>
        <p>
          回执编号：<code data-testid="receipt">{receipt.receipt}</code>
        </p>
        <p>提交时间：{cnDateTime(receipt.receivedAt)}。请保存回执编号，向社区或街道询问处理情况时出示。</p>
      </div>
    );

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setFormError('');
    try {
      const body: Record<string, string> = { content };
      if (contact.trim()) body.contact = contact;
      setReceipt(await postJson<Receipt>(`/v1/public/projects/${encodeURIComponent(projectId)}/objections`, body));
      onReceived?.();
    } catch (p) {
      setErrors(fieldErrors(p));
      // The window closed while the page was open: say when, as the closed page would.
      const ends = p instanceof ApiProblem && p.status === 409 ? p.extra.publicityEndsAt : undefined;
      setFormError(
        typeof ends === 'string'
          ? `该项目的公示期已于${cnDate(ends)}结束，不能再提出异议。`
          : problemMessage(p, 'objection'),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate aria-describedby={formError ? 'objection-error' : undefined}>
      <TextField
        name="content"
        label="异议内容（必填）"
        hint={`请写明您对项目哪一部分有异议、理由是什么，不超过 ${OBJECTION_LIMITS.content} 字。`}
        multiline
        maxLength={OBJECTION_LIMITS.content}
        value={content}
        error={errors.content}
        onValue={setContent}
      />
      <TextField
        name="contact"
        label="联系方式（选填）"
        hint="如需社区回复，可留电话或邮箱；只有经办人员能看到，不会公开。"
        autoComplete="tel"
        maxLength={OBJECTION_LIMITS.contact}
        value={contact}
        error={errors.contact}
        onValue={setContact}
      />
      {formError && (
        <p id="objection-error" class="error" role="alert">
          {formError}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {busy ? '正在提交……' : '提交异议'}
      </button>
    </form>
  );
};

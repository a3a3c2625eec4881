/**
 * Forms: fields with their labels, a refusal from the API shown in Chinese beside the
 * field it names, and submissions that send each step once — the button is disabled while
 * a submission is in flight, and a retry of the same content reuses its Idempotency-Key.
 */
import type { ComponentChildren, JSX } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { ApiProblem } from './api.ts';
import { type FormProblem, formProblem } from './problems.ts';
import { SubmissionKeys, mayRetrySameKey } from './submission.ts';

const newKey = (): string =>
  typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

export interface Submission<R> {
  /** Sends `content` (its JSON decides whether this is a retry); resolves when answered. */
  run(content: unknown): Promise<R | undefined>;
  /** Shows messages beside fields the browser can already tell are wrong, without sending. */
  refuse(fields: Record<string, string>): void;
  busy: boolean;
  problem?: FormProblem;
  done?: R;
}

/**
 * A form's submission. `send` gets the content and the Idempotency-Key to send it with;
 * `stepNames` names the profile's deliberation steps in a missing-step refusal.
 */
export const useSubmission = <C, R>(
  send: (content: C, idempotencyKey: string) => Promise<R>,
  opts: { onDone?: (r: R) => void; stepNames?: Record<string, string> } = {},
): Submission<R> => {
  const keys = useRef(new SubmissionKeys(newKey));
  // A ref, not state: a second click lands before the re-render that disables the button.
  const inFlight = useRef(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<FormProblem | undefined>();
  const [done, setDone] = useState<R | undefined>();
  return {
    busy,
    problem,
    done,
    refuse(fields) {
      setProblem({ fields, form: '提交的内容有误，请按红字提示修改。' });
    },
    async run(content: unknown) {
      if (inFlight.current) return undefined;
      inFlight.current = true;
      setBusy(true);
      setProblem(undefined);
      const key = keys.current.keyFor(JSON.stringify(content));
      try {
        const r = await send(content as C, key);
        keys.current.settled();
        setDone(r);
        opts.onDone?.(r);
        return r;
      } catch (e) {
        const body = e instanceof ApiProblem ? e.body : { status: 0 };
        if (!mayRetrySameKey(body.status)) keys.current.settled();
        setProblem(formProblem(body, opts.stepNames));
        return undefined;
      } finally {
        inFlight.current = false;
        setBusy(false);
      }
    },
  };
};

/** A form with its whole-form message and a submit button that is disabled while in flight. */
export const Form = (props: {
  onSubmit: () => void;
  submission: { busy: boolean; problem?: FormProblem };
  submitLabel: string;
  children: ComponentChildren;
  /** An accessible name for the form (its heading's text). */
  label?: string;
  secondary?: ComponentChildren;
}) => (
  <form
    class="form"
    aria-label={props.label}
    noValidate
    onSubmit={(e) => {
      e.preventDefault();
      props.onSubmit();
    }}
  >
    {props.children}
    {props.submission.problem && (
      <p class="form-error" role="alert">
        {props.submission.problem.form}
      </p>
    )}
    <div class="form-actions">
      <button type="submit" class="primary" disabled={props.submission.busy} aria-busy={props.submission.busy}>
        {props.submission.busy ? '正在提交…' : props.submitLabel}
      </button>
      {props.secondary}
    </div>
  </form>
);

let fieldSeq = 0;
const useFieldId = (name: string) => useRef(`f-${name}-${++fieldSeq}`).current;

interface FieldProps {
  /** The API's field name: a refusal naming it is shown here. */
  name: string;
  label: string;
  problem?: FormProblem;
  hint?: ComponentChildren;
  required?: boolean;
}

/** Label, control, hint and the API's message for this field, wired for screen readers. */
const FieldFrame = (
  props: FieldProps & { id: string; children: (aria: Record<string, string | boolean | undefined>) => JSX.Element },
) => {
  const error = props.problem?.fields[props.name];
  const hintId = props.hint ? `${props.id}-hint` : undefined;
  const errorId = error ? `${props.id}-error` : undefined;
  return (
    <div class={`field${error ? ' invalid' : ''}`} data-field={props.name}>
      <label for={props.id}>
        {props.label}
        {props.required && <span class="required"> （必填）</span>}
      </label>
      {props.children({
        id: props.id,
        name: props.name,
        'aria-invalid': error ? true : undefined,
        'aria-describedby': [hintId, errorId].filter(Boolean).join(' ') || undefined,
      })}
      {props.hint && (
        <p class="hint" id={hintId}>
          {props.hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
};

/** A one-line text, number or date input. */
export const TextField = (
  props: FieldProps & {
    value: string;
    onInput: (v: string) => void;
    type?: 'text' | 'date' | 'number';
    inputMode?: 'decimal' | 'numeric' | 'text';
    maxLength?: number;
    placeholder?: string;
  },
) => {
  const id = useFieldId(props.name);
  return (
    <FieldFrame {...props} id={id}>
      {(aria) => (
        <input
          {...aria}
          type={props.type ?? 'text'}
          inputMode={props.inputMode}
          value={props.value}
          maxLength={props.maxLength}
          placeholder={props.placeholder}
          required={props.required}
          onInput={(e) => props.onInput((e.target as HTMLInputElement).value)}
        />
      )}
    </FieldFrame>
  );
};

/** A multi-line text. */
export const TextArea = (
  props: FieldProps & { value: string; onInput: (v: string) => void; rows?: number; maxLength?: number },
) => {
  const id = useFieldId(props.name);
  return (
    <FieldFrame {...props} id={id}>
      {(aria) => (
        <textarea
          {...aria}
          rows={props.rows ?? 3}
          maxLength={props.maxLength}
          required={props.required}
          value={props.value}
          onInput={(e) => props.onInput((e.target as HTMLTextAreaElement).value)}
        />
      )}
    </FieldFrame>
  );
};

/** A choice from a list. */
export const SelectField = (
  props: FieldProps & {
    value: string;
    onInput: (v: string) => void;
    options: { value: string; label: string }[];
    placeholder?: string;
  },
) => {
  const id = useFieldId(props.name);
  return (
    <FieldFrame {...props} id={id}>
      {(aria) => (
        <select {...aria} value={props.value} onChange={(e) => props.onInput((e.target as HTMLSelectElement).value)}>
          {props.placeholder !== undefined && <option value="">{props.placeholder}</option>}
          {props.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </FieldFrame>
  );
};

/** Two or more choices shown at once (pass / return, upheld / dismissed). */
export const RadioField = (
  props: FieldProps & { value: string; onInput: (v: string) => void; options: { value: string; label: string }[] },
) => {
  const error = props.problem?.fields[props.name];
  const id = useFieldId(props.name);
  return (
    <fieldset
      class={`field radios${error ? ' invalid' : ''}`}
      data-field={props.name}
      aria-describedby={error ? `${id}-error` : undefined}
    >
      <legend>{props.label}</legend>
      {props.options.map((o) => (
        <label key={o.value} class="radio">
          <input
            type="radio"
            name={id}
            value={o.value}
            checked={props.value === o.value}
            onChange={() => props.onInput(o.value)}
          />
          {o.label}
        </label>
      ))}
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </fieldset>
  );
};

/** A refusal or failure while reading, in Chinese. */
export const LoadError = ({ error }: { error: unknown }) => (
  <p class="form-error" role="alert">
    {error instanceof ApiProblem ? formProblem(error.body).form : '读取失败，请刷新页面重试。'}
  </p>
);

/** Shown while a read is under way. */
export const Loading = () => (
  <p role="status" class="loading">
    正在加载…
  </p>
);

/**
 * One labelled text field of a residents' form, with the API's refusal for it shown
 * beside it and tied to it for screen readers.
 */
export const TextField = (props: {
  name: string;
  label: string;
  hint: string;
  value: string;
  maxLength: number;
  error?: string;
  multiline?: boolean;
  autoComplete?: string;
  onValue: (value: string) => void;
}) => {
  const input = {
    id: props.name,
    name: props.name,
    maxLength: props.maxLength,
    value: props.value,
    autoComplete: props.autoComplete,
    onInput: (e: Event) => props.onValue((e.target as HTMLInputElement | HTMLTextAreaElement).value),
    'aria-invalid': props.error ? ('true' as const) : undefined,
    'aria-describedby': props.error ? `${props.name}-error` : undefined,
  };
  return (
    <div class="field">
      <label for={props.name}>
        {props.label}
        <span class="hint">{props.hint}</span>
      </label>
      {props.multiline ? <textarea {...input} /> : <input type="text" {...input} />}
      {props.error && (
        <p id={`${props.name}-error`} class="field-error">
          {props.error}
        </p>
      )}
    </div>
  );
};

// The editor's fields. Each shows the value as saved or as still being
// saved, sends each change to the save queue, and saves at once when it
// loses focus. While a field is being typed in, what the person typed stays
// as typed: the server's tidied value (trimmed, say) shows once they leave.
import { useEffect, useId, useState, type InputHTMLAttributes, type ReactNode, type RefObject, type SelectHTMLAttributes } from 'react';
import { Field } from '../../components/form';
import { MarkdownEditor } from '../markdown/markdown-editor';

/** The value a field shows: what is being typed, else the saved (or unsaved) value. */
export function useDraft<V>(shown: V, onEdit: (value: V) => void, onCommit?: () => void) {
  const [typing, setTyping] = useState<{ value: V } | null>(null);
  return {
    value: typing ? typing.value : shown,
    change(value: V) {
      setTyping({ value });
      onEdit(value);
    },
    blur() {
      setTyping(null);
      onCommit?.();
    },
  };
}

interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'onBlur' | 'name'> {
  label: string;
  name: string;
  value: string;
  onEdit: (value: string) => void;
  onCommit?: () => void;
  error?: string;
  hint?: string;
}

/** A one-line field of the editor. */
export function TextField({ value, onEdit, onCommit, ...props }: TextFieldProps) {
  const draft = useDraft(value, onEdit, onCommit);
  return <Field {...props} value={draft.value} onChange={(e) => draft.change(e.target.value)} onBlur={draft.blur} />;
}

interface NumberFieldProps extends Omit<TextFieldProps, 'value' | 'onEdit' | 'type'> {
  value: number;
  onEdit: (value: number) => void;
}

/** A whole number (minutes): an empty field is 0; what is not a number is not sent. */
export function NumberField({ value, onEdit, onCommit, ...props }: NumberFieldProps) {
  const draft = useDraft(value ? String(value) : '', (text) => {
    const n = text.trim() === '' ? 0 : Number(text);
    if (Number.isInteger(n)) onEdit(n);
  }, onCommit);
  return (
    <Field
      {...props}
      type="number"
      inputMode="numeric"
      step={1}
      min={0}
      value={draft.value}
      onChange={(e) => draft.change(e.target.value)}
      onBlur={draft.blur}
    />
  );
}

interface SelectFieldProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'onChange'> {
  label: string;
  value: string;
  options: { value: string; label: string }[];
  onEdit: (value: string) => void;
  error?: string;
  hint?: string;
}

/** A choice among a few: saved at once. */
export function SelectField({ label, value, options, onEdit, error, hint, className, ...select }: SelectFieldProps) {
  const id = useId();
  const described = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  return (
    <div className={className}>
      <label htmlFor={id} className="block font-medium">
        {label}
      </label>
      {hint && (
        <p id={`${id}-hint`} className="mt-0.5 text-sm text-muted">
          {hint}
        </p>
      )}
      <select
        id={id}
        value={value}
        onChange={(e) => onEdit(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={described}
        className={`mt-1.5 block w-full rounded-lg border bg-surface px-3 py-2.5 text-base shadow-xs focus:border-accent disabled:opacity-60 ${
          error ? 'border-danger' : 'border-ink/30'
        }`}
        {...select}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {error && (
        <p id={`${id}-error`} className="mt-1.5 text-sm text-danger">
          {error}
        </p>
      )}
    </div>
  );
}

/** Markdown with the sibling's live preview, as the editor's other fields. */
export function MarkdownField({
  label,
  name,
  value,
  onEdit,
  onCommit,
  error,
  hint,
  rows,
}: {
  label: string;
  name: string;
  value: string;
  onEdit: (value: string) => void;
  onCommit?: () => void;
  error?: string;
  hint?: string;
  rows?: number;
}) {
  const draft = useDraft(value, onEdit, onCommit);
  return (
    <MarkdownEditor
      label={label}
      name={name}
      value={draft.value}
      onChange={draft.change}
      onBlur={draft.blur}
      error={error}
      hint={hint}
      rows={rows}
    />
  );
}

/** A checkbox saved at once. */
export function CheckField({
  label,
  checked,
  onEdit,
  hint,
}: {
  label: string;
  checked: boolean;
  onEdit: (checked: boolean) => void;
  hint?: string;
}) {
  const id = useId();
  return (
    <div className="flex items-start gap-3">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        onChange={(e) => onEdit(e.target.checked)}
        aria-describedby={hint ? `${id}-hint` : undefined}
        className="mt-1 size-5 accent-accent"
      />
      <div>
        <label htmlFor={id} className="font-medium">
          {label}
        </label>
        {hint && (
          <p id={`${id}-hint`} className="text-sm text-muted">
            {hint}
          </p>
        )}
      </div>
    </div>
  );
}

/** A group of fields under a small heading. */
export function FieldGroup({ legend, children }: { legend: string; children: ReactNode }) {
  return (
    <fieldset className="space-y-4 rounded-xl border border-ink/10 p-4">
      <legend className="px-1 text-sm font-medium text-muted">{legend}</legend>
      {children}
    </fieldset>
  );
}

/** After a refused submit, focus goes to the first field in error, else to the form's message. */
export function useFocusProblem(form: RefObject<HTMLElement | null>, errors: Record<string, string>, message: string | undefined) {
  useEffect(() => {
    if (!Object.keys(errors).length && !message) return;
    const el = form.current;
    (el?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? el?.querySelector<HTMLElement>('[data-form-message]'))?.focus();
  }, [form, errors, message]);
}

/** A small quiet button: remove, add, preview. */
export const smallButton =
  'inline-flex items-center gap-1.5 rounded-md px-2.5 py-1.5 text-sm text-accent hover:bg-ink/5 disabled:cursor-not-allowed disabled:opacity-50';

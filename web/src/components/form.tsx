// Form pieces that read well and work with a keyboard and a screen reader:
// every field has a label, its error and hint are tied to it with
// aria-describedby, and after a failed submit the first problem gets focus.
import { useCallback, useEffect, useId, useRef, useState, type FormEvent, type InputHTMLAttributes, type ReactNode } from 'react';
import { Spinner } from './spinner';

export { Spinner };

export type Values = Record<string, string>;
export type Errors = Record<string, string>;

interface FormOptions {
  /** Problems found before asking the server, by field name. */
  validate?: (values: Values) => Errors;
  /** The field errors and the message for a failed submit. */
  explain: (error: unknown) => { fields: Errors; message?: string };
}

/**
 * The state of a form that submits to the server: pending while it works,
 * field errors beside their fields, a message for the rest. Field errors
 * for fields the form does not have join the message, so none is lost.
 */
export function useForm(submit: (values: Values) => Promise<void>, { validate, explain }: FormOptions) {
  const ref = useRef<HTMLFormElement>(null);
  const [errors, setErrors] = useState<Errors>({});
  const [message, setMessage] = useState<string>();
  const [pending, setPending] = useState(false);
  const [attempt, setAttempt] = useState(0);

  // After each failed attempt: focus the first field in error, else the message.
  useEffect(() => {
    if (attempt === 0) return;
    const form = ref.current;
    const target = form?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? form?.querySelector<HTMLElement>('[data-form-message]');
    target?.focus();
  }, [attempt]);

  const fail = useCallback((fields: Errors, text?: string) => {
    const names = new Set(Array.from(ref.current?.elements ?? [], (e) => (e as HTMLInputElement).name));
    const unplaced = Object.entries(fields).filter(([name]) => !names.has(name));
    setErrors(fields);
    setMessage([text, ...unplaced.map(([, m]) => m)].filter(Boolean).join(' ') || undefined);
    setAttempt((n) => n + 1);
  }, []);

  const onSubmit = useCallback(
    async (event: FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      if (pending) return;
      const values = Object.fromEntries(
        Array.from(new FormData(event.currentTarget), ([k, v]) => [k, typeof v === 'string' ? v : '']),
      );
      const problems = validate?.(values) ?? {};
      if (Object.keys(problems).length) {
        fail(problems);
        return;
      }
      setPending(true);
      setErrors({});
      setMessage(undefined);
      try {
        await submit(values);
      } catch (error) {
        const { fields, message: text } = explain(error);
        fail(fields, Object.keys(fields).length ? undefined : text);
      } finally {
        setPending(false);
      }
    },
    [pending, validate, submit, explain, fail],
  );

  return { ref, errors, message, pending, onSubmit: (e: FormEvent<HTMLFormElement>) => void onSubmit(e) };
}

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  name: string;
  error?: string;
  hint?: string;
}

/** A labelled input with its hint and error. */
export function Field({ label, name, error, hint, className, ...input }: FieldProps) {
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
      <input
        id={id}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={described}
        className={`mt-1.5 block w-full rounded-lg border bg-surface px-3 py-2.5 text-base shadow-xs outline-offset-1 transition-colors placeholder:text-muted/70 focus:border-accent ${
          error ? 'border-danger' : 'border-ink/30'
        }`}
        {...input}
      />
      {error && (
        <p id={`${id}-error`} className="mt-1.5 text-sm text-danger">
          {error}
        </p>
      )}
    </div>
  );
}

/** The message of a failed submit, announced and focusable. */
export function FormMessage({ children }: { children?: ReactNode }) {
  if (!children) return null;
  return (
    <div
      role="alert"
      tabIndex={-1}
      data-form-message
      className="rounded-lg border border-danger/30 bg-danger/5 px-4 py-3 text-danger"
    >
      {children}
    </div>
  );
}

// On hover a filled button takes a little of the ink colour: darker in the
// light themes, lighter in the dark one, so its text keeps (and gains)
// contrast in every theme. (Fading it, as bg-accent/90 did, let the light
// theme's accent fall to 4.0:1 against its text.)
const buttonKinds = {
  primary: 'bg-accent text-paper hover:bg-[color-mix(in_srgb,var(--color-accent)_85%,var(--color-ink))]',
  quiet: 'border border-ink/20 text-ink hover:bg-ink/5',
  danger: 'bg-danger text-paper hover:bg-[color-mix(in_srgb,var(--color-danger)_85%,var(--color-ink))]',
};

/** A submit button that shows it is working, and refuses a second press meanwhile. */
export function SubmitButton({
  pending,
  children,
  kind = 'primary',
  className = '',
}: {
  pending: boolean;
  children: ReactNode;
  kind?: keyof typeof buttonKinds;
  className?: string;
}) {
  return (
    <button
      type="submit"
      aria-disabled={pending || undefined}
      className={`${buttonStyle(kind)} ${pending ? 'cursor-progress opacity-80' : ''} ${className}`}
    >
      {pending && <Spinner />}
      {children}
    </button>
  );
}

/** The look of a button of the given kind, for buttons that are not SubmitButtons. */
export function buttonStyle(kind: keyof typeof buttonKinds = 'primary'): string {
  return `inline-flex items-center justify-center gap-2 rounded-lg px-4 py-2.5 font-medium transition-colors ${buttonKinds[kind]}`;
}

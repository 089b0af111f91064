// The "add a reading" and "add a practice" forms' shared part: a button
// that opens the form, and a form that sends once at a time, closes when
// the server took it, and puts what it refused beside the fields.
import type { TFunction } from 'i18next';
import { useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { buttonStyle, FormMessage } from '../../components/form';
import { Spinner } from '../../components/spinner';
import { problemWords } from '../../lib/problem-words';
import { smallButton, useFocusProblem } from './fields';
import { classify, DiscardedError } from './save-queue';

/** Field errors of a refused request, and its message when none is about a field. */
export function explain(error: unknown, t: TFunction): { fields: Record<string, string>; message?: string } {
  const failure = classify(error);
  if (failure.type === 'invalid' && Object.keys(failure.fields).length) return { fields: failure.fields };
  return { fields: {}, message: problemWords(error, t) };
}

/**
 * The state of an add form. clear empties its own fields. run(send) sends:
 * once it succeeds the form closes and clears, then what send returned (if
 * anything) runs; a refusal leaves the form open with the errors shown.
 */
export function useAddForm(clear: () => void) {
  const { t } = useTranslation('studio');
  const [open, setOpen] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string>();
  const [pending, setPending] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusProblem(formRef, errors, message);

  const reset = () => {
    setOpen(false);
    clear();
    setErrors({});
    setMessage(undefined);
  };

  const run = async (send: () => Promise<(() => void) | void>) => {
    if (pending) return;
    setPending(true);
    setErrors({});
    setMessage(undefined);
    try {
      const after = await send();
      reset();
      after?.();
    } catch (error) {
      if (error instanceof DiscardedError) return reset(); // the person dropped their changes
      const { fields, message: m } = explain(error, t);
      setErrors(fields);
      setMessage(m ?? (fields._ || undefined));
    } finally {
      setPending(false);
    }
  };

  return { open, setOpen, errors, setErrors, message, pending, formRef, reset, run };
}

export type AddForm = ReturnType<typeof useAddForm>;

/** The closed form's button, or the open form around children with Cancel and the add button. */
export function AddFormFrame({
  form,
  title,
  open,
  openNamed,
  submit,
  disabled,
  onSubmit,
  children,
}: {
  form: AddForm;
  /** The open form's heading and name, e.g. "Add a reading to day 2". */
  title: string;
  /** The button that opens it, and its name for screen readers. */
  open: string;
  openNamed: string;
  /** The add button's words. */
  submit: string;
  disabled: boolean;
  onSubmit: () => void;
  children: ReactNode;
}) {
  const { t } = useTranslation('studio');
  if (!form.open) {
    return (
      <button type="button" onClick={() => form.setOpen(true)} disabled={disabled} className={smallButton} aria-label={openNamed}>
        <span aria-hidden="true">+</span> {open}
      </button>
    );
  }
  const send = (e: FormEvent) => {
    e.preventDefault();
    onSubmit();
  };
  return (
    <form ref={form.formRef} onSubmit={send} noValidate className="space-y-4 rounded-lg border border-accent/30 bg-accent/5 p-4" aria-label={title}>
      <p className="font-medium">{title}</p>
      <FormMessage>{form.message}</FormMessage>
      {children}
      <div className="flex flex-wrap justify-end gap-3">
        <button type="button" onClick={form.reset} className={buttonStyle('quiet')}>
          {t('cancel')}
        </button>
        <button type="submit" aria-disabled={form.pending || undefined} className={buttonStyle('primary')}>
          {form.pending && <Spinner />}
          {submit}
        </button>
      </div>
    </form>
  );
}

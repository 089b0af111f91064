// "New plan": a title, a tradition and a language are enough to start; the
// rest is written in the editor. A slug that is taken is shown with the
// free one the server suggests.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { buttonStyle, Field, FormMessage } from '../../components/form';
import { Spinner } from '../../components/spinner';
import { createPlan, studioKeys, traditions, type Tradition } from './api';
import { SelectField, useFocusProblem } from './fields';
import { explain } from './add-form';
import { suggestedSlug } from './words';

export function NewPlanButton() {
  const { t, i18n } = useTranslation('studio');
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState('');
  const [tradition, setTradition] = useState<Tradition>('theravada');
  const [language, setLanguage] = useState(i18n.language === 'vi' ? 'vi' : 'en');
  const [slug, setSlug] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string>();
  const [pending, setPending] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusProblem(formRef, errors, message);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  const close = () => {
    setOpen(false);
    setErrors({});
    setMessage(undefined);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (pending) return;
    if (!title.trim()) {
      setErrors({ title: t('create.titleRequired') });
      return;
    }
    setPending(true);
    setErrors({});
    setMessage(undefined);
    try {
      const plan = await createPlan({ title, tradition, language, ...(slug.trim() ? { slug: slug.trim() } : {}) });
      queryClient.setQueryData(studioKeys.plan(plan.id), plan);
      await queryClient.invalidateQueries({ queryKey: studioKeys.lists() });
      setTitle('');
      setSlug('');
      close();
      void navigate(`/plans/${plan.id}`);
    } catch (error) {
      const { fields, message: m } = explain(error, t);
      setErrors(fields);
      setMessage(m ?? (fields._ || undefined));
    } finally {
      setPending(false);
    }
  };

  const free = suggestedSlug(errors.slug);

  return (
    <>
      <button type="button" onClick={() => setOpen(true)} className={buttonStyle('primary')}>
        <span aria-hidden="true">+</span> {t('create.button')}
      </button>
      <dialog
        ref={ref}
        onClose={close}
        aria-labelledby={`${id}-title`}
        className="m-auto w-[calc(100%-2rem)] max-w-lg rounded-2xl border border-ink/10 bg-surface p-6 text-ink shadow-xl backdrop:bg-ink/40"
      >
        {open && (
          <form ref={formRef} onSubmit={(e) => void submit(e)} noValidate className="space-y-5">
            <h2 id={`${id}-title`} className="font-serif text-2xl">
              {t('create.title')}
            </h2>
            <FormMessage>{message}</FormMessage>
            <Field
              label={t('field.title')}
              name="title"
              value={title}
              onChange={(e) => setTitle(e.target.value)}
              error={errors.title}
              required
              autoFocus
              maxLength={1000}
            />
            <div className="grid gap-5 sm:grid-cols-2">
              <SelectField
                label={t('field.tradition')}
                name="tradition"
                value={tradition}
                options={traditions.map((x) => ({ value: x, label: t(`tradition.${x}`) }))}
                onEdit={(x) => setTradition(x as Tradition)}
                error={errors.tradition}
              />
              <Field
                label={t('field.language')}
                name="language"
                value={language}
                onChange={(e) => setLanguage(e.target.value)}
                error={errors.language}
                hint={t('create.languageHint')}
                spellCheck={false}
                autoCapitalize="none"
              />
            </div>
            <div>
              <Field
                label={t('create.slug')}
                name="slug"
                value={slug}
                onChange={(e) => setSlug(e.target.value)}
                error={errors.slug}
                hint={t('create.slugHint')}
                spellCheck={false}
                autoCapitalize="none"
              />
              {free && (
                <button
                  type="button"
                  onClick={() => {
                    setSlug(free);
                    setErrors(({ slug: _, ...rest }) => rest);
                  }}
                  className="mt-2 text-sm text-accent underline underline-offset-4"
                >
                  {t('create.useFree', { slug: free })}
                </button>
              )}
            </div>
            <div className="flex flex-wrap justify-end gap-3">
              <button type="button" onClick={close} className={buttonStyle('quiet')}>
                {t('cancel')}
              </button>
              <button type="submit" aria-disabled={pending || undefined} className={buttonStyle('primary')}>
                {pending && <Spinner />}
                {t('create.submit')}
              </button>
            </div>
          </form>
        )}
      </dialog>
    </>
  );
}

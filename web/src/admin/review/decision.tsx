import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { FormMessage, SubmitButton, buttonStyle, useForm } from '../../components/form';
import { fieldErrors, problemWords } from '../../lib/problem-words';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { usePublish, useReject } from './api';
import type { QueueState } from './queue-route';

/** The largest note the server takes (catalog.MaxNote). */
const maxNote = 20000;

/** The reviewer's decision: publish the revision, or send it back with a note the authors see. */
export function Decision({ id, title }: { id: string; title: string }) {
  const { t } = useTranslation('review');
  const navigate = useNavigate();
  const publish = usePublish(id);
  const reject = useReject(id);
  const [confirming, setConfirming] = useState(false);
  const noteId = useId();

  const known = { 409: t('decision.conflict') };
  const back = (message: string) => void navigate('/review', { state: { message } satisfies QueueState });

  const form = useForm(
    async (values) => {
      await reject.mutateAsync(values.note!.trim());
      back(t('decision.sentBack', { title }));
    },
    {
      validate: (v): Record<string, string> => {
        const note = v.note?.trim() ?? '';
        if (!note) return { note: t('decision.noteRequired') };
        if (note.length > maxNote) return { note: t('decision.noteTooLong', { max: maxNote }) };
        return {};
      },
      explain: (error) => ({ fields: fieldErrors(error), message: problemWords(error, t, known) }),
    },
  );

  return (
    <section aria-labelledby={`${noteId}-title`} className="mt-10 rounded-xl border border-ink/10 bg-surface p-5">
      <h2 id={`${noteId}-title`} className="font-serif text-2xl">
        {t('decision.title')}
      </h2>
      <div className="mt-4 grid gap-8 md:grid-cols-2">
        <div>
          <h3 className="font-semibold">{t('decision.publishHeading')}</h3>
          <p className="mt-1 text-muted">{t('decision.publishHint')}</p>
          <button type="button" onClick={() => setConfirming(true)} className={`mt-4 ${buttonStyle('primary')}`}>
            {t('decision.publish')}
          </button>
        </div>
        <form ref={form.ref} onSubmit={form.onSubmit} noValidate>
          <h3 className="font-semibold">{t('decision.rejectHeading')}</h3>
          <FormMessage>{form.message}</FormMessage>
          <label htmlFor={noteId} className="mt-3 block font-medium">
            {t('decision.note')}
          </label>
          <p id={`${noteId}-hint`} className="mt-0.5 text-sm text-muted">
            {t('decision.noteHint')}
          </p>
          <textarea
            id={noteId}
            name="note"
            rows={5}
            required
            aria-invalid={form.errors.note ? true : undefined}
            aria-describedby={[`${noteId}-hint`, form.errors.note && `${noteId}-error`].filter(Boolean).join(' ')}
            className={`mt-1.5 block w-full rounded-lg border bg-surface px-3 py-2.5 text-base shadow-xs focus:border-accent ${
              form.errors.note ? 'border-danger' : 'border-ink/30'
            }`}
          />
          {form.errors.note && (
            <p id={`${noteId}-error`} className="mt-1.5 text-sm text-danger">
              {form.errors.note}
            </p>
          )}
          <SubmitButton pending={form.pending} kind="quiet" className="mt-4">
            {form.pending ? t('decision.sendingBack') : t('decision.sendBack')}
          </SubmitButton>
        </form>
      </div>
      <ConfirmDialog
        open={confirming}
        title={t('decision.confirmTitle', { title })}
        body={t('decision.confirmBody')}
        confirm={publish.isPending ? t('decision.publishing') : t('decision.publish')}
        cancel={t('cancel')}
        pending={publish.isPending}
        onCancel={() => {
          setConfirming(false);
          publish.reset();
        }}
        onConfirm={() =>
          void publish.mutateAsync().then(
            () => {
              setConfirming(false);
              back(t('decision.published', { title }));
            },
            () => {}, // shown in the dialog
          )
        }
      >
        {publish.isError && (
          <p role="alert" className="mt-3 rounded-lg border border-danger/30 bg-danger/5 px-3 py-2 text-danger">
            {problemWords(publish.error, t, known)}
          </p>
        )}
      </ConfirmDialog>
    </section>
  );
}

import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError } from '../../../api/problem';
import { buttonStyle, FormMessage, SubmitButton, useForm } from '../../../components/form';
import { fieldErrors, problemWords } from '../../../lib/problem-words';
import { PasswordField } from '../../auth/components/password-field';
import { check } from '../../auth/validate';
import { useDeleteAccount } from '../api/use-delete-account';
import { Section } from './section';

/** Deleting the account, after the password confirms it; then a goodbye. */
export function DeleteSection() {
  const { t } = useTranslation(['settings', 'auth']);
  const [confirming, setConfirming] = useState(false);
  const start = useRef<HTMLButtonElement>(null);
  const cancelled = useRef(false);
  // Back to the button that opened the confirmation, when it is closed.
  useEffect(() => {
    if (!confirming && cancelled.current) start.current?.focus();
  }, [confirming]);
  const navigate = useNavigate();
  const remove = useDeleteAccount();
  const form = useForm(
    async (v) => {
      await remove.mutateAsync(v.password!);
      // The server has ended every session; the goodbye page forgets this one.
      await navigate('/goodbye', { replace: true, state: { deleted: true } });
    },
    {
      validate: (v) => check(v, t, { required: ['password'] }),
      explain: (error) =>
        error instanceof ApiError && error.status === 401
          ? { fields: { password: t('delete.wrongPassword') } }
          : { fields: fieldErrors(error), message: problemWords(error, t) },
    },
  );

  return (
    <Section title={t('delete.title')} intro={t('delete.intro')} tone="danger">
      {confirming ? (
        <form ref={form.ref} onSubmit={form.onSubmit} noValidate className="space-y-5">
          <FormMessage>{form.message}</FormMessage>
          <p>{t('delete.confirmBody')}</p>
          <PasswordField label={t('delete.password')} name="password" autoComplete="current-password" error={form.errors.password} autoFocus />
          <div className="flex flex-wrap gap-3">
            <SubmitButton pending={form.pending} kind="danger">
              {form.pending ? t('delete.pending') : t('delete.confirm')}
            </SubmitButton>
            <button
              type="button"
              onClick={() => {
                cancelled.current = true;
                setConfirming(false);
              }}
              className={buttonStyle('quiet')}
            >
              {t('delete.cancel')}
            </button>
          </div>
        </form>
      ) : (
        <button
          ref={start}
          type="button"
          onClick={() => setConfirming(true)}
          className={`${buttonStyle('quiet')} border-danger/40 text-danger`}
        >
          {t('delete.start')}
        </button>
      )}
    </Section>
  );
}

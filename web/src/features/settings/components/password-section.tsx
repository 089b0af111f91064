import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/problem';
import { FormMessage, SubmitButton, useForm } from '../../../components/form';
import { fieldErrors, problemWords } from '../../../lib/problem-words';
import { PasswordField } from '../../auth/components/password-field';
import { check } from '../../auth/validate';
import { useChangePassword } from '../api/use-change-password';
import { Section } from './section';

/** Changing the password, which signs out the other devices. */
export function PasswordSection() {
  const { t } = useTranslation(['settings', 'auth']);
  const change = useChangePassword();
  const form = useForm(
    async (v) => {
      await change.mutateAsync({ current_password: v.current_password!, new_password: v.new_password! });
      form.ref.current?.reset();
    },
    {
      validate: (v) => check(v, t, { required: ['current_password', 'new_password'], newPassword: 'new_password' }),
      explain: (error) =>
        error instanceof ApiError && error.status === 401
          ? { fields: { current_password: t('password.wrongCurrent') } }
          : { fields: fieldErrors(error), message: problemWords(error, t) },
    },
  );

  return (
    <Section title={t('password.title')} intro={t('password.intro')}>
      <form ref={form.ref} onSubmit={form.onSubmit} noValidate className="space-y-5">
        <FormMessage>{form.message}</FormMessage>
        <PasswordField label={t('password.current')} name="current_password" autoComplete="current-password" error={form.errors.current_password} />
        <PasswordField label={t('password.new')} hint={t('auth:signUp.passwordHint')} name="new_password" autoComplete="new-password" error={form.errors.new_password} />
        <SubmitButton pending={form.pending} kind="quiet">
          {form.pending ? t('password.pending') : t('password.submit')}
        </SubmitButton>
        {change.isSuccess && (
          <p role="status" className="text-sm text-muted">
            {t('password.done')}
          </p>
        )}
      </form>
    </Section>
  );
}

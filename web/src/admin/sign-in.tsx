import { useTranslation } from 'react-i18next';
import { Navigate, useSearchParams } from 'react-router';
import { Field, FormMessage, SubmitButton, useForm } from '../components/form';
import { AuthCard, textLink } from '../features/auth/components/auth-card';
import { PasswordField } from '../features/auth/components/password-field';
import { useSession } from '../features/auth/session';
import { check, nextPath } from '../features/auth/validate';
import { fieldErrors, problemWords } from '../lib/problem-words';

/** /admin/sign-in: the reader's sign-in, coming back to the panel's page that asked (?next=). */
export function Component() {
  const { t } = useTranslation('auth');
  const { t: ta } = useTranslation('admin');
  const session = useSession();
  const [params] = useSearchParams();
  const next = nextPath(params.get('next'));
  const form = useForm((v) => session.signIn(v.email!.trim(), v.password!), {
    validate: (v) => check(v, t, { required: ['email', 'password'], email: 'email' }),
    explain: (error) => ({
      fields: fieldErrors(error),
      message: problemWords(error, t, { 401: t('signIn.wrong'), 403: t('signIn.disabled') }),
    }),
  });

  if (session.status === 'signed-in') return <Navigate to={next} replace />;

  return (
    <main id="main" className="px-4 py-10">
      <AuthCard
        title={ta('signIn.title')}
        intro={ta('signIn.intro')}
        footer={
          <a href="/forgot-password" className={textLink}>
            {t('signIn.forgot')}
          </a>
        }
      >
        <form ref={form.ref} onSubmit={form.onSubmit} noValidate className="space-y-5">
          <FormMessage>{form.message}</FormMessage>
          <Field label={t('email')} name="email" type="email" autoComplete="email" inputMode="email" spellCheck={false} autoCapitalize="off" error={form.errors.email} />
          <PasswordField label={t('password')} name="password" autoComplete="current-password" error={form.errors.password} />
          <SubmitButton pending={form.pending}>{form.pending ? t('signIn.pending') : t('signIn.submit')}</SubmitButton>
        </form>
      </AuthCard>
    </main>
  );
}

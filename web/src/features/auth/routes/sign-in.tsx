import { useTranslation } from 'react-i18next';
import { Link, Navigate, useSearchParams } from 'react-router';
import { Field, FormMessage, SubmitButton, useForm } from '../../../components/form';
import { fieldErrors, problemWords } from '../../../lib/problem-words';
import { AuthCard, textLink } from '../components/auth-card';
import { PasswordField } from '../components/password-field';
import { useSession } from '../session';
import { check, nextPath } from '../validate';

/** /sign-in: email and password, then back to the page that asked (?next=). */
export function Component() {
  const { t } = useTranslation('auth');
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

  const withNext = next === '/' ? '' : `?next=${encodeURIComponent(next)}`;
  return (
    <AuthCard
      title={t('signIn.title')}
      intro={t('signIn.intro')}
      footer={
        <>
          {t('signIn.noAccount')}{' '}
          <Link to={`/sign-up${withNext}`} className={textLink}>
            {t('signIn.signUp')}
          </Link>
        </>
      }
    >
      <form ref={form.ref} onSubmit={form.onSubmit} noValidate className="space-y-5">
        <FormMessage>{form.message}</FormMessage>
        <Field label={t('email')} name="email" type="email" autoComplete="email" inputMode="email" spellCheck={false} autoCapitalize="off" error={form.errors.email} />
        <PasswordField label={t('password')} name="password" autoComplete="current-password" error={form.errors.password} />
        <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-3 pt-1">
          <SubmitButton pending={form.pending}>{form.pending ? t('signIn.pending') : t('signIn.submit')}</SubmitButton>
          <Link to="/forgot-password" className={textLink}>
            {t('signIn.forgot')}
          </Link>
        </div>
      </form>
    </AuthCard>
  );
}

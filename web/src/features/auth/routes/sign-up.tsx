import { useTranslation } from 'react-i18next';
import { Link, Navigate, useSearchParams } from 'react-router';
import { Field, FormMessage, SubmitButton, useForm } from '../../../components/form';
import { fieldErrors, problemWords } from '../../../lib/problem-words';
import { AuthCard, textLink } from '../components/auth-card';
import { PasswordField } from '../components/password-field';
import { useSession } from '../session';
import { check, nextPath } from '../validate';

/**
 * /sign-up: a name, an email and a password; the time zone and language come
 * from the browser. An invitation link (/sign-up?invite=CODE, made in the
 * admin panel) carries the code a site open by invitation only needs.
 */
export function Component() {
  const { t } = useTranslation('auth');
  const session = useSession();
  const [params] = useSearchParams();
  const next = nextPath(params.get('next'));
  const invite = params.get('invite')?.trim() || undefined;
  const form = useForm(
    (v) => session.signUp({ display_name: v.display_name!.trim(), email: v.email!.trim(), password: v.password!, invite_code: invite }),
    {
      validate: (v) => check(v, t, { required: ['display_name', 'email', 'password'], email: 'email', newPassword: 'password' }),
      // Without an invitation, a 403 means the site takes invited people only;
      // with one, the server's words say what is wrong with it (used, expired).
      explain: (error) => ({
        fields: fieldErrors(error),
        message: problemWords(error, t, invite ? { 409: t('signUp.taken') } : { 409: t('signUp.taken'), 403: t('signUp.byInvitation') }),
      }),
    },
  );

  if (session.status === 'signed-in') return <Navigate to={next} replace />;

  const withNext = next === '/' ? '' : `?next=${encodeURIComponent(next)}`;
  return (
    <AuthCard
      title={t('signUp.title')}
      intro={invite ? t('signUp.invited') : t('signUp.intro')}
      footer={
        <>
          {t('signUp.haveAccount')}{' '}
          <Link to={`/sign-in${withNext}`} className={textLink}>
            {t('signUp.signIn')}
          </Link>
        </>
      }
    >
      <form ref={form.ref} onSubmit={form.onSubmit} noValidate className="space-y-5">
        <FormMessage>{form.message}</FormMessage>
        <Field label={t('signUp.name')} hint={t('signUp.nameHint')} name="display_name" autoComplete="name" maxLength={200} error={form.errors.display_name} />
        <Field label={t('email')} name="email" type="email" autoComplete="email" inputMode="email" spellCheck={false} autoCapitalize="off" error={form.errors.email} />
        <PasswordField label={t('password')} hint={t('signUp.passwordHint')} name="password" autoComplete="new-password" error={form.errors.password} />
        <SubmitButton pending={form.pending} className="w-full sm:w-auto">
          {form.pending ? t('signUp.pending') : t('signUp.submit')}
        </SubmitButton>
      </form>
    </AuthCard>
  );
}

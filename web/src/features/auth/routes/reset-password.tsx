import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../../api/client';
import { dataOf } from '../../../api/problem';
import { FormMessage, SubmitButton, useForm } from '../../../components/form';
import { fieldErrors, problemWords } from '../../../lib/problem-words';
import { AuthCard, textLink } from '../components/auth-card';
import { LinkProblem } from '../components/link-problem';
import { PasswordField } from '../components/password-field';
import { useSession } from '../session';
import { useLinkToken } from '../use-link-token';
import { check } from '../validate';

/** /reset-password?token=...: the page the password reset email links to. */
export function Component() {
  const { t } = useTranslation('auth');
  const token = useLinkToken();
  const session = useSession();
  const [done, setDone] = useState(false);
  const [expired, setExpired] = useState(false);
  const form = useForm(
    async (v) => {
      const result = await api.POST('/v1/auth/password-reset/confirm', { body: { token: token!, password: v.password! } });
      if (result.response.status === 401) return setExpired(true);
      dataOf(result);
      // Every session of the account has ended, this browser's too.
      if (session.status === 'signed-in') session.forget();
      setDone(true);
    },
    {
      validate: (v) => check(v, t, { required: ['password'], newPassword: 'password' }),
      explain: (error) => ({ fields: fieldErrors(error), message: problemWords(error, t) }),
    },
  );

  if (!token || expired) {
    return (
      <LinkProblem title={t('reset.title')} problem={token ? 'expired' : 'incomplete'}>
        <Link to="/forgot-password" className={textLink}>
          {t('link.askAgain')}
        </Link>
      </LinkProblem>
    );
  }
  if (done) {
    return (
      <AuthCard title={t('reset.doneTitle')} focusTitle>
        <p>{t('reset.done')}</p>
        <p className="mt-6">
          <Link to="/sign-in" className={textLink}>
            {t('reset.signIn')}
          </Link>
        </p>
      </AuthCard>
    );
  }
  return (
    <AuthCard title={t('reset.title')} intro={t('reset.intro')}>
      <form ref={form.ref} onSubmit={form.onSubmit} noValidate className="space-y-5">
        <FormMessage>{form.message}</FormMessage>
        <PasswordField label={t('reset.password')} hint={t('signUp.passwordHint')} name="password" autoComplete="new-password" error={form.errors.password} />
        <SubmitButton pending={form.pending}>{form.pending ? t('reset.pending') : t('reset.submit')}</SubmitButton>
      </form>
    </AuthCard>
  );
}

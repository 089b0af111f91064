import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../../api/client';
import { dataOf } from '../../../api/problem';
import { FormMessage, SubmitButton, useForm } from '../../../components/form';
import { problemWords } from '../../../lib/problem-words';
import { AuthCard, textLink } from '../components/auth-card';
import { LinkProblem } from '../components/link-problem';
import { ResendVerification } from '../components/resend-verification';
import { useSession } from '../session';
import { useLinkToken } from '../use-link-token';

/**
 * /verify-email?token=...: the page the confirmation email links to. It asks
 * for a press of the button rather than confirming on opening, because mail
 * scanners open links too and must not spend the token.
 */
export function Component() {
  const { t } = useTranslation('auth');
  const token = useLinkToken();
  const session = useSession();
  const [outcome, setOutcome] = useState<'confirmed' | 'expired'>();
  const form = useForm(
    async () => {
      const result = await api.POST('/v1/auth/verify-email', { body: { token: token! } });
      if (result.response.status === 401) return setOutcome('expired');
      dataOf(result);
      if (session.user) session.setUser({ ...session.user, email_verified: true });
      setOutcome('confirmed');
    },
    { explain: (error) => ({ fields: {}, message: problemWords(error, t) }) },
  );

  if (!token || outcome === 'expired') {
    return (
      <LinkProblem title={t('verify.title')} problem={token ? 'expired' : 'incomplete'}>
        {session.status === 'signed-in' ? (
          <ResendVerification />
        ) : (
          <Link to="/sign-in?next=%2Fsettings" className={textLink}>
            {t('verify.signInToResend')}
          </Link>
        )}
      </LinkProblem>
    );
  }
  if (outcome === 'confirmed') {
    return (
      <AuthCard title={t('verify.doneTitle')} focusTitle>
        <p>{t('verify.done')}</p>
        <p className="mt-6">
          <Link to="/" className={textLink}>
            {t('verify.continue')}
          </Link>
        </p>
      </AuthCard>
    );
  }
  return (
    <AuthCard title={t('verify.title')} intro={t('verify.intro')}>
      <form ref={form.ref} onSubmit={form.onSubmit} noValidate className="space-y-5">
        <FormMessage>{form.message}</FormMessage>
        <SubmitButton pending={form.pending}>{form.pending ? t('verify.pending') : t('verify.submit')}</SubmitButton>
      </form>
    </AuthCard>
  );
}

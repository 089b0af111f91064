import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../../api/client';
import { dataOf } from '../../../api/problem';
import { Field, FormMessage, SubmitButton, useForm } from '../../../components/form';
import { fieldErrors, problemWords } from '../../../lib/problem-words';
import { AuthCard, textLink } from '../components/auth-card';
import { check } from '../validate';

/** /forgot-password: asks for a reset link. The answer never says whether the address has an account. */
export function Component() {
  const { t } = useTranslation('auth');
  const [sentTo, setSentTo] = useState<string>();
  const form = useForm(
    async (v) => {
      const email = v.email!.trim();
      dataOf(await api.POST('/v1/auth/password-reset', { body: { email } }));
      setSentTo(email);
    },
    {
      validate: (v) => check(v, t, { required: ['email'], email: 'email' }),
      explain: (error) => ({ fields: fieldErrors(error), message: problemWords(error, t) }),
    },
  );
  const back = (
    <Link to="/sign-in" className={textLink}>
      {t('forgot.back')}
    </Link>
  );

  if (sentTo) {
    return (
      <AuthCard title={t('forgot.sentTitle')} footer={back} focusTitle>
        <p>{t('forgot.sent', { email: sentTo })}</p>
      </AuthCard>
    );
  }
  return (
    <AuthCard title={t('forgot.title')} intro={t('forgot.intro')} footer={back}>
      <form ref={form.ref} onSubmit={form.onSubmit} noValidate className="space-y-5">
        <FormMessage>{form.message}</FormMessage>
        <Field label={t('email')} name="email" type="email" autoComplete="email" inputMode="email" spellCheck={false} autoCapitalize="off" error={form.errors.email} />
        <SubmitButton pending={form.pending}>{form.pending ? t('forgot.pending') : t('forgot.submit')}</SubmitButton>
      </form>
    </AuthCard>
  );
}

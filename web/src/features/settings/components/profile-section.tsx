import { useTranslation } from 'react-i18next';
import { Field, SubmitButton, useForm } from '../../../components/form';
import { fieldErrors, problemWords } from '../../../lib/problem-words';
import { ResendVerification } from '../../auth/components/resend-verification';
import type { User } from '../../auth/session';
import { check } from '../../auth/validate';
import { useUpdateMe } from '../api/use-update-me';
import { SaveStatus, Section } from './section';

/** The display name, and the email address with whether it is confirmed. */
export function ProfileSection({ user }: { user: User }) {
  const { t } = useTranslation(['settings', 'auth']);
  const update = useUpdateMe();
  const form = useForm(
    async (v) => {
      await update.mutateAsync({ display_name: v.display_name!.trim() });
    },
    {
      validate: (v) => check(v, t, { required: ['display_name'] }),
      explain: (error) => ({ fields: fieldErrors(error), message: problemWords(error, t) }),
    },
  );

  return (
    <Section title={t('profile.title')}>
      <form ref={form.ref} onSubmit={form.onSubmit} noValidate>
        <div className="flex flex-col gap-3 sm:flex-row sm:items-end">
          <Field
            label={t('profile.name')}
            name="display_name"
            autoComplete="name"
            maxLength={200}
            defaultValue={user.display_name}
            error={form.errors.display_name}
            className="flex-1"
            onChange={() => update.reset()}
          />
          <SubmitButton pending={form.pending} kind="quiet">
            {form.pending ? t('saving') : t('save')}
          </SubmitButton>
        </div>
        <SaveStatus saved={update.isSuccess} error={form.message} />
      </form>

      <div className="mt-4 border-t border-ink/10 pt-5">
        <p className="font-medium">{t('profile.email')}</p>
        <p className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1 break-all">
          {user.email}
          {user.email_verified && (
            <span className="rounded-full bg-accent/10 px-2.5 py-0.5 text-sm text-accent">{t('profile.verified')}</span>
          )}
        </p>
        {!user.email_verified && (
          <div className="mt-3 space-y-3">
            <p className="text-sm text-muted">{t('profile.unverified')}</p>
            <ResendVerification />
          </div>
        )}
      </div>
    </Section>
  );
}

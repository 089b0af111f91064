import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import { dataOf } from '../../../api/problem';
import { buttonStyle } from '../../../components/form';
import { Spinner } from '../../../components/spinner';
import { problemWords } from '../../../lib/problem-words';
import { useSession } from '../session';

/** Sends the signed-in person a new link to confirm their email address. */
export function ResendVerification() {
  const { t } = useTranslation('auth');
  const { user } = useSession();
  const resend = useMutation({
    mutationFn: async () => dataOf(await api.POST('/v1/me/verify-email')),
  });
  return (
    <div aria-live="polite">
      {resend.isSuccess ? (
        <p>{t('verify.resent', { email: user?.email })}</p>
      ) : (
        <button
          type="button"
          onClick={() => !resend.isPending && resend.mutate()}
          aria-disabled={resend.isPending || undefined}
          className={buttonStyle('quiet')}
        >
          {resend.isPending && <Spinner />}
          {resend.isPending ? t('verify.resending') : t('verify.resend')}
        </button>
      )}
      {resend.isError && (
        <p role="alert" className="mt-2 text-sm text-danger">
          {problemWords(resend.error, t)}
        </p>
      )}
    </div>
  );
}

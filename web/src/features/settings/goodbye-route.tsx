import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { useSession } from '../auth/session';

/**
 * /goodbye: where someone lands after deleting their account. It forgets
 * the session here, once the settings page (which needs one) is gone.
 */
export function Component() {
  const { t } = useTranslation('settings');
  const { forget } = useSession();
  const deleted = (useLocation().state as { deleted?: boolean } | null)?.deleted === true;
  useEffect(() => {
    if (deleted) forget();
  }, [deleted, forget]);
  return (
    <section aria-labelledby="goodbye-title" className="mx-auto max-w-md py-10 text-center">
      <title>{`${t('goodbye.title')} · ${t('common:appName')}`}</title>
      <svg aria-hidden="true" viewBox="0 0 48 48" className="mx-auto size-12 text-accent">
        <path
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          strokeLinecap="round"
          d="M24 38c-6-3-12-8-12-15 0-3 1-6 3-8 3 1 6 4 9 9 3-5 6-8 9-9 2 2 3 5 3 8 0 7-6 12-12 15Zm0 0v-6M8 38h32"
        />
      </svg>
      <h1 id="goodbye-title" className="mt-6 font-serif text-3xl">
        {t('goodbye.title')}
      </h1>
      <p className="mt-3 text-muted">{t('goodbye.body')}</p>
      <p className="mt-8">
        <Link to="/" className="text-accent underline decoration-accent/40 underline-offset-4 hover:decoration-accent">
          {t('goodbye.home')}
        </Link>
      </p>
    </section>
  );
}

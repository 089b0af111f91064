import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router';
import { MessagePage } from '../../components/message-page';
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
    <MessagePage
      title={t('goodbye.title')}
      body={t('goodbye.body')}
      to="/"
      link={t('goodbye.home')}
      icon={
        <svg aria-hidden="true" viewBox="0 0 48 48" className="mx-auto size-12 text-accent">
          <path
            fill="none"
            stroke="currentColor"
            strokeWidth="2"
            strokeLinecap="round"
            d="M24 38c-6-3-12-8-12-15 0-3 1-6 3-8 3 1 6 4 9 9 3-5 6-8 9-9 2 2 3 5 3 8 0 7-6 12-12 15Zm0 0v-6M8 38h32"
          />
        </svg>
      }
    />
  );
}

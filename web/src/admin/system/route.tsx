// /admin/settings: the system settings, saved on purpose (they change the
// live site), and the invitations that invitation-only registration needs.
import { useTranslation } from 'react-i18next';
import { PageSkeleton } from '../../components/page-skeleton';
import { QueryError } from '../../components/query-error';
import { useSettings } from './api';
import { Invitations } from './invitations';
import { SettingsEditor } from './settings-editor';

export function Component() {
  const { t } = useTranslation('system');
  const query = useSettings();
  return (
    <div className="max-w-4xl space-y-6">
      <title>{`${t('title')} · ${t('name', { ns: 'admin' })}`}</title>
      <header>
        <h1 className="font-serif text-3xl">{t('title')}</h1>
        <p className="mt-2 text-muted">{t('intro')}</p>
      </header>
      {query.data ? (
        <>
          <SettingsEditor stored={query.data} />
          <Invitations registration={query.data.settings.registration} />
        </>
      ) : query.isError ? (
        <QueryError error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <PageSkeleton />
      )}
    </div>
  );
}

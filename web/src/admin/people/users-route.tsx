import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { buttonStyle, Spinner } from '../../components/form';
import { PageSkeleton } from '../../components/page-skeleton';
import { QueryError } from '../../components/query-error';
import { When } from '../audit/when';
import { useUsers } from './api';
import { SearchField, useSearchQuery } from './search-field';
import { linkStyle, StatusPill, td, th } from './ui';

/** /admin/users: find users by email or name. */
export function Component() {
  const { t } = useTranslation('people');
  const { t: ta } = useTranslation('admin');
  const [q, text, setText] = useSearchQuery();
  const users = useUsers(q);
  const rows = users.data?.pages.flatMap((p) => p.items ?? []) ?? [];

  return (
    <section aria-labelledby="users-title">
      <title>{`${t('users.title')} · ${ta('name')}`}</title>
      <h1 id="users-title" className="font-serif text-3xl">
        {t('users.title')}
      </h1>
      <p className="mt-2 text-muted">{t('users.intro')}</p>
      <div className="mt-6">
        <SearchField label={t('users.search')} value={text} onChange={setText} placeholder={t('users.searchPlaceholder')} />
      </div>
      <p role="status" className="mt-4 text-sm text-muted">
        {users.isSuccess && !users.isPlaceholderData ? (q ? t(users.hasNextPage ? 'users.foundMore' : 'users.found', { count: rows.length }) : '') : ''}
      </p>
      <div className="mt-2" aria-busy={users.isFetching || undefined}>
        {users.isPending ? (
          <PageSkeleton />
        ) : users.isError ? (
          <QueryError error={users.error} onRetry={() => void users.refetch()} />
        ) : rows.length === 0 ? (
          <p className="rounded-xl border border-ink/10 bg-surface p-6 text-center text-muted">{q ? t('users.noMatch', { q }) : t('users.none')}</p>
        ) : (
          <div className={`overflow-x-auto rounded-xl border border-ink/10 bg-surface ${users.isPlaceholderData ? 'opacity-60' : ''}`}>
            <table className="w-full text-left">
              <caption className="sr-only">{t('users.caption')}</caption>
              <thead className="border-b border-ink/10 text-sm text-muted">
                <tr>
                  <th scope="col" className={th}>
                    {t('users.email')}
                  </th>
                  <th scope="col" className={th}>
                    {t('users.name')}
                  </th>
                  <th scope="col" className={th}>
                    {t('users.role')}
                  </th>
                  <th scope="col" className={th}>
                    {t('users.status')}
                  </th>
                  <th scope="col" className={th}>
                    {t('users.created')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((u) => (
                  <tr key={u.id} className="border-b border-ink/10 last:border-b-0 hover:bg-ink/[0.03]">
                    <th scope="row" className={`${td} font-normal`}>
                      <Link to={`/users/${u.id}`} className={`${linkStyle} break-all`}>
                        {u.email}
                      </Link>
                    </th>
                    <td className={td}>{u.display_name || <span className="text-muted">—</span>}</td>
                    <td className={td}>{t(`role.${u.role}`)}</td>
                    <td className={td}>
                      <StatusPill disabled={u.disabled} verified={u.email_verified} />
                    </td>
                    <td className={`${td} whitespace-nowrap`}>
                      <When at={u.created_at} dateOnly />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
      {users.hasNextPage && (
        <p className="mt-4">
          <button type="button" onClick={() => !users.isFetchingNextPage && void users.fetchNextPage()} aria-disabled={users.isFetchingNextPage || undefined} className={buttonStyle('quiet')}>
            {users.isFetchingNextPage && <Spinner />}
            {t('showMore')}
          </button>
        </p>
      )}
      {users.isFetchNextPageError && <QueryError error={users.error} onRetry={() => void users.fetchNextPage()} />}
    </section>
  );
}

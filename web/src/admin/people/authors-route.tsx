import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { buttonStyle, Spinner } from '../../components/form';
import { MediaImage } from '../../components/media-image';
import { PageSkeleton } from '../../components/page-skeleton';
import { QueryError } from '../../components/query-error';
import { useAuthors } from './api';
import { SearchField, useSearchQuery } from './search-field';
import { linkStyle, td, th } from './ui';

/** What the author page says when it comes back here (after a deletion). */
export interface AuthorsState {
  message?: string;
}

/** /admin/authors: the authors plans can name, found by name. */
export function Component() {
  const { t } = useTranslation('people');
  const { t: ta } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const [q, text, setText] = useSearchQuery();
  const authors = useAuthors(q);
  const rows = authors.data?.pages.flatMap((p) => p.items ?? []) ?? [];
  const sent = (useLocation().state as AuthorsState | null)?.message;
  const [message, setMessage] = useState('');
  useEffect(() => setMessage(sent ?? ''), [sent]);

  return (
    <section aria-labelledby="authors-title">
      <title>{`${t('authors.title')} · ${ta('name')}`}</title>
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 id="authors-title" className="font-serif text-3xl">
            {t('authors.title')}
          </h1>
          <p className="mt-2 text-muted">{t('authors.intro')}</p>
        </div>
        <Link to="/authors/new" className={buttonStyle('primary')}>
          {t('authors.add')}
        </Link>
      </div>
      <p role="status" className="mt-4 rounded-lg border border-accent/30 bg-accent/10 px-4 py-3 empty:hidden">
        {message}
      </p>
      <div className="mt-6">
        <SearchField label={t('authors.search')} value={text} onChange={setText} />
      </div>
      <div className="mt-4" aria-busy={authors.isFetching || undefined}>
        {authors.isPending ? (
          <PageSkeleton />
        ) : authors.isError ? (
          <QueryError error={authors.error} onRetry={() => void authors.refetch()} />
        ) : rows.length === 0 ? (
          <p className="rounded-xl border border-ink/10 bg-surface p-6 text-center text-muted">{q ? t('authors.noMatch', { q }) : t('authors.none')}</p>
        ) : (
          <div className={`overflow-x-auto rounded-xl border border-ink/10 bg-surface ${authors.isPlaceholderData ? 'opacity-60' : ''}`}>
            <table className="w-full text-left">
              <caption className="sr-only">{t('authors.caption')}</caption>
              <thead className="border-b border-ink/10 text-sm text-muted">
                <tr>
                  <th scope="col" className={th}>
                    <span className="sr-only">{t('authors.photo')}</span>
                  </th>
                  <th scope="col" className={th}>
                    {t('authors.name')}
                  </th>
                  <th scope="col" className={th}>
                    {t('authors.tradition')}
                  </th>
                  <th scope="col" className={th}>
                    {t('authors.account')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((a) => (
                  <tr key={a.id} className="border-b border-ink/10 last:border-b-0 hover:bg-ink/[0.03]">
                    <td className={`${td} w-16`}>
                      {a.photo ? (
                        <MediaImage media={a.photo} alt="" sizes="2.5rem" className="size-10 rounded-full object-cover" />
                      ) : (
                        <span aria-hidden="true" className="flex size-10 items-center justify-center rounded-full bg-ink/5 font-serif text-muted">
                          {a.name.slice(0, 1)}
                        </span>
                      )}
                    </td>
                    <th scope="row" className={`${td} font-normal`}>
                      <Link to={`/authors/${a.id}`} className={`${linkStyle} font-serif text-lg`}>
                        {a.name}
                      </Link>
                    </th>
                    <td className={td}>{tc(`catalog.tradition.${a.tradition}`)}</td>
                    <td className={td}>{a.user_id ? t('authors.linked') : <span className="text-muted">{t('authors.notLinked')}</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
      {authors.hasNextPage && (
        <p className="mt-4">
          <button type="button" onClick={() => !authors.isFetchingNextPage && void authors.fetchNextPage()} aria-disabled={authors.isFetchingNextPage || undefined} className={buttonStyle('quiet')}>
            {authors.isFetchingNextPage && <Spinner />}
            {t('showMore')}
          </button>
        </p>
      )}
    </section>
  );
}

import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { PageSkeleton } from '../../components/page-skeleton';
import { QueryError } from '../../components/query-error';
import { When } from '../audit/when';
import { isUpdate, submittedAt, useReviewQueue } from './api';

/** What the review page says when it sends the admin back here. */
export interface QueueState {
  message?: string;
}

/** /admin/review: the plans waiting for review, the one waiting longest first. */
export function Component() {
  const { t } = useTranslation('review');
  const { t: ta } = useTranslation('admin');
  const location = useLocation();
  const sent = (location.state as QueueState | null)?.message;
  // Filled in after the live region is on the page, so that it is announced.
  const [message, setMessage] = useState('');
  useEffect(() => setMessage(sent ?? ''), [sent]);
  const queue = useReviewQueue();

  return (
    <section aria-labelledby="review-queue-title">
      <title>{`${t('queue.title')} · ${ta('name')}`}</title>
      <h1 id="review-queue-title" className="font-serif text-3xl">
        {t('queue.title')}
      </h1>
      <p className="mt-2 text-muted">{t('queue.intro')}</p>
      <p role="status" className="empty:hidden mt-4 rounded-lg border border-accent/30 bg-accent/10 px-4 py-3">
        {message}
      </p>
      <div className="mt-6">
        {queue.isPending ? (
          <PageSkeleton />
        ) : queue.isError ? (
          <QueryError error={queue.error} onRetry={() => void queue.refetch()} />
        ) : queue.data.length === 0 ? (
          <p className="rounded-xl border border-ink/10 bg-surface p-6 text-center text-muted">{t('queue.empty')}</p>
        ) : (
          <>
            <p className="mb-3 text-sm text-muted">{t('queue.count', { count: queue.data.length })}</p>
            <div className="overflow-x-auto rounded-xl border border-ink/10 bg-surface">
              <table className="w-full text-left">
                <caption className="sr-only">{t('queue.caption')}</caption>
                <thead className="border-b border-ink/10 text-sm text-muted">
                  <tr>
                    <th scope="col" className="px-4 py-3 font-medium">
                      {t('queue.plan')}
                    </th>
                    <th scope="col" className="px-4 py-3 font-medium">
                      {t('queue.authors')}
                    </th>
                    <th scope="col" className="px-4 py-3 font-medium">
                      {t('queue.submitted')}
                    </th>
                    <th scope="col" className="px-4 py-3 font-medium">
                      {t('queue.kind')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {queue.data.map((card) => (
                    <tr key={card.id} className="border-b border-ink/10 last:border-b-0 hover:bg-ink/[0.03]">
                      <th scope="row" className="px-4 py-3 font-normal">
                        <Link to={`/review/${card.id}`} className="font-serif text-lg text-accent underline decoration-accent/40 underline-offset-4 hover:decoration-accent">
                          {card.title || t('untitled')}
                        </Link>
                        {card.subtitle && <span className="block text-sm text-muted">{card.subtitle}</span>}
                      </th>
                      <td className="px-4 py-3">{(card.authors ?? []).map((a) => a.name).join(', ') || <span className="text-muted">{t('queue.noAuthors')}</span>}</td>
                      <td className="px-4 py-3 whitespace-nowrap">
                        <When at={submittedAt(card)} />
                      </td>
                      <td className="px-4 py-3">
                        <span className="inline-block rounded-full border border-ink/15 px-2.5 py-0.5 text-sm">
                          {isUpdate(card) ? t('queue.update') : t('queue.new')}
                        </span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </div>
    </section>
  );
}

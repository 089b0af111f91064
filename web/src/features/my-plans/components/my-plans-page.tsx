import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { components } from '../../../api/schema';
import { buttonStyle, Spinner } from '../../../components/form';
import { QueryError } from '../../../components/query-error';
import { useMyEnrollments } from '../api/use-my-enrollments';
import { EnrollmentCard } from './enrollment-card';

type Enrollment = components['schemas']['EnrollmentBody'];

const groups = ['active', 'paused', 'completed'] as const;

function Group({ status, plans }: { status: (typeof groups)[number]; plans: Enrollment[] }) {
  const { t } = useTranslation('myPlans');
  if (plans.length === 0) return null;
  return (
    <section aria-labelledby={`plans-${status}`}>
      <h2 id={`plans-${status}`} className="font-serif text-2xl">
        {t(`group.${status}`)} <span className="text-base text-muted">({plans.length})</span>
      </h2>
      <ul className="mt-4 space-y-4">
        {plans.map((e) => (
          <EnrollmentCard key={e.id} enrollment={e} />
        ))}
      </ul>
    </section>
  );
}

function ListSkeleton() {
  const { t } = useTranslation();
  return (
    <div aria-busy="true" className="space-y-4">
      <span role="status" className="sr-only">
        {t('loading')}
      </span>
      {[0, 1, 2].map((i) => (
        <div key={i} className="h-40 animate-pulse rounded-2xl bg-ink/5" />
      ))}
    </div>
  );
}

/** My plans: the plans being followed, paused and completed, with what can be done with each. */
export function MyPlansPage() {
  const { t } = useTranslation('myPlans');
  const query = useMyEnrollments();
  const plans = query.data?.pages.flatMap((p) => p.items ?? []) ?? [];

  return (
    <div className="mx-auto max-w-2xl">
      <title>{`${t('title')} · ${t('appName', { ns: 'common' })}`}</title>
      <h1 className="font-serif text-3xl">{t('title')}</h1>
      <div className="mt-8">
        {query.isPending ? (
          <ListSkeleton />
        ) : query.isError ? (
          <QueryError error={query.error} onRetry={() => void query.refetch()} />
        ) : plans.length === 0 ? (
          <div className="rounded-2xl border border-ink/10 bg-surface p-8 text-center">
            <p>{t('empty')}</p>
            <Link to="/" className={`mt-5 ${buttonStyle('primary')}`}>
              {t('discover')}
            </Link>
          </div>
        ) : (
          <div className="space-y-12">
            {groups.map((status) => (
              <Group key={status} status={status} plans={plans.filter((e) => e.status === status)} />
            ))}
            {query.hasNextPage && (
              <button
                type="button"
                onClick={() => void query.fetchNextPage()}
                aria-disabled={query.isFetchingNextPage || undefined}
                className={buttonStyle('quiet')}
              >
                {query.isFetchingNextPage && <Spinner />}
                {t('more')}
              </button>
            )}
          </div>
        )}
      </div>
    </div>
  );
}

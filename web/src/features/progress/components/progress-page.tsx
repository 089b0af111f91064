import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../components/query-error';
import { useActivity } from '../api/use-activity';
import { useStats } from '../api/use-stats';
import { StatTiles } from './stat-tiles';
import { YearHeatmap } from './year-heatmap';

// The chart library is most of this page's weight: the figures come first.
const WeeklyMinutesChart = lazy(() => import('./weekly-minutes-chart').then((m) => ({ default: m.WeeklyMinutesChart })));

function Placeholder({ height }: { height: string }) {
  return <div aria-hidden="true" className={`${height} animate-pulse rounded-2xl bg-ink/5`} />;
}

/** Progress: the streak, grace days, a year of practice, minutes meditated per week, plans completed. */
export function ProgressPage() {
  const { t } = useTranslation('progress');
  const stats = useStats();
  const activity = useActivity();
  const loading = stats.isPending || activity.isPending;

  return (
    <div className="space-y-12" aria-busy={loading}>
      <title>{`${t('title')} · ${t('appName', { ns: 'common' })}`}</title>
      <div>
        <h1 className="font-serif text-3xl">{t('title')}</h1>
        <p className="mt-2 text-muted">{t('intro')}</p>
      </div>
      <section aria-label={t('glance')}>
        {stats.isPending ? (
          <Placeholder height="h-48" />
        ) : stats.isError ? (
          <QueryError error={stats.error} onRetry={() => void stats.refetch()} />
        ) : (
          <StatTiles stats={stats.data} />
        )}
      </section>
      {activity.isPending ? (
        <Placeholder height="h-64" />
      ) : activity.isError ? (
        <QueryError error={activity.error} onRetry={() => void activity.refetch()} />
      ) : (
        <>
          <YearHeatmap from={activity.data.from} to={activity.data.to} days={activity.data.items ?? []} />
          <Suspense fallback={<Placeholder height="h-72" />}>
            <WeeklyMinutesChart to={activity.data.to} days={activity.data.items ?? []} />
          </Suspense>
        </>
      )}
    </div>
  );
}

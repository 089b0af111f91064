import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { components } from '../../../api/schema';
import { dateLocale } from '../../../lib/calendar-date';

type Stats = components['schemas']['StatsBody'];

function Tile({ label, value }: { label: string; value: string }) {
  return (
    <div className="flex flex-col-reverse justify-end rounded-2xl border border-ink/10 bg-surface p-5">
      <dt className="mt-1 text-sm text-muted">{label}</dt>
      <dd className="font-serif text-3xl tabular-nums">{value}</dd>
    </div>
  );
}

/** The streak (unless hidden), grace days, and the totals of a person's practice. */
export function StatTiles({ stats }: { stats: Stats }) {
  const { t, i18n } = useTranslation('progress');
  const n = (x: number) => new Intl.NumberFormat(dateLocale(i18n.language)).format(x);
  const { streak } = stats;
  return (
    <>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3">
        {streak && (
          <>
            <Tile label={t('streak.current', { count: streak.current })} value={n(streak.current)} />
            <Tile label={t('streak.longest', { count: streak.longest })} value={n(streak.longest)} />
            <Tile label={t('streak.grace', { count: streak.grace_days_left })} value={n(streak.grace_days_left)} />
          </>
        )}
        <Tile label={t('totals.days', { count: stats.days_practised })} value={n(stats.days_practised)} />
        <Tile label={t('totals.minutes', { count: stats.minutes_meditated })} value={n(stats.minutes_meditated)} />
        <Tile label={t('totals.plans', { count: stats.plans_completed })} value={n(stats.plans_completed)} />
      </dl>
      {streak && <p className="mt-3 text-sm text-muted">{t('streak.graceNote', { count: stats.grace_days_per_week })}</p>}
      {!streak && (
        <p className="mt-3 text-sm text-muted">
          {t('streak.hidden')}{' '}
          <Link to="/settings" className="text-accent underline underline-offset-4">
            {t('streak.settings')}
          </Link>
        </p>
      )}
    </>
  );
}

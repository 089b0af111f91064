// /admin/dashboard: how the site is used, counted by the server now. The
// period (?days=) is in the URL so that a view can be shared and reloaded;
// the graphics (recharts) load after the numbers, and every one of them has
// a caption that says what it shows and a table with its numbers.
import { lazy, Suspense, useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { PageSkeleton } from '../../components/page-skeleton';
import { QueryError } from '../../components/query-error';
import { useSession } from '../../features/auth/session';
import { dateLocale, formatInstant } from '../../lib/calendar-date';
import { useDashboard, type Dashboard } from './api';
import type { ChartLine, ChartRow } from './charts';
import {
  bucketSeries,
  busiest,
  completionRate,
  formatBucket,
  formatCount,
  formatRate,
  periodOf,
  periods,
  totals,
  unitFor,
  type Bucket,
  type Measure,
} from './stats';

const DashboardChart = lazy(() => import('./charts'));

const link = 'text-accent underline decoration-accent/40 underline-offset-4 hover:decoration-accent';

export function Component() {
  const { t, i18n } = useTranslation('dashboard');
  const [search] = useSearchParams();
  const days = periodOf(search.get('days'));
  const query = useDashboard(days);
  const locale = dateLocale(i18n.language);
  const { user } = useSession();

  return (
    <div className="space-y-10">
      <title>{`${t('title')} · ${t('name', { ns: 'admin' })}`}</title>
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="font-serif text-3xl">{t('title')}</h1>
          {query.data && (
            <p className="mt-1 text-sm text-muted">
              {t('counted', { time: formatInstant(query.data.generated_at, locale, user?.timezone, { timeStyle: 'short' }) })}
            </p>
          )}
        </div>
        <PeriodSwitch days={days} />
      </header>
      <p role="status" className="sr-only">
        {query.isPlaceholderData ? t('updating') : ''}
      </p>
      {query.data ? (
        <div className={`space-y-10 transition-opacity ${query.isPlaceholderData ? 'opacity-60' : ''}`}>
          <Glance data={query.data} />
          <Activity data={query.data} />
          <TopPlans data={query.data} />
        </div>
      ) : query.isError ? (
        <QueryError error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <PageSkeleton />
      )}
    </div>
  );
}

/** The period, as links that put ?days= in the URL. */
function PeriodSwitch({ days }: { days: number }) {
  const { t } = useTranslation('dashboard');
  return (
    <div role="group" aria-label={t('period.label')} className="inline-flex rounded-lg border border-ink/20 bg-surface p-0.5">
      {periods.map((p) => (
        <Link
          key={p}
          to={{ search: `?days=${p}` }}
          replace
          aria-current={p === days ? 'true' : undefined}
          className={`rounded-md px-3 py-1.5 text-sm ${p === days ? 'bg-accent font-semibold text-paper' : 'text-ink hover:bg-ink/5'}`}
        >
          {p === 365 ? t('period.year') : t('period.days', { count: p })}
        </Link>
      ))}
    </div>
  );
}

function usePeriodWords(days: number): string {
  const { t } = useTranslation('dashboard');
  return t('period.last', { count: days });
}

function useCount(): (n: number) => string {
  const { i18n } = useTranslation();
  const locale = dateLocale(i18n.language);
  return (n: number) => formatCount(n, locale);
}

function Tile({ value, label, children }: { value: string; label: string; children?: ReactNode }) {
  return (
    <div className="flex flex-col rounded-2xl border border-ink/10 bg-surface p-5">
      <dt className="order-2 mt-1 text-sm text-muted">{label}</dt>
      <dd className="order-1 font-serif text-3xl tabular-nums">{value}</dd>
      {children && <dd className="order-3 mt-2 space-y-0.5 text-sm text-muted">{children}</dd>}
    </div>
  );
}

/** The headline numbers. */
function Glance({ data }: { data: Dashboard }) {
  const { t } = useTranslation('dashboard');
  const n = useCount();
  const period = usePeriodWords(data.days);
  const id = useId();
  const { users, active, plans } = data;
  return (
    <section aria-labelledby={id}>
      <h2 id={id} className="font-serif text-2xl">
        {t('glance.title')}
      </h2>
      <dl className="mt-4 grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
        <Tile value={n(users.total)} label={t('glance.users', { count: users.total })}>
          <p>{t('glance.new', { count: users.new, n: n(users.new), period })}</p>
          <p>
            {t('glance.roles', { readers: n(users.by_role.user), authors: n(users.by_role.author), admins: n(users.by_role.admin) })}
          </p>
          {users.disabled > 0 && <p>{t('glance.disabled', { n: n(users.disabled) })}</p>}
        </Tile>
        <Tile value={n(plans.review_queue)} label={t('glance.review', { count: plans.review_queue })}>
          <p>{t('glance.reviewParts', { new: n(plans.in_review), revisions: n(Math.max(0, plans.review_queue - plans.in_review)) })}</p>
          <p>
            <Link to="/review" className={link}>
              {t('glance.reviewLink')}
            </Link>
          </p>
        </Tile>
        <Tile value={n(plans.published)} label={t('glance.published', { count: plans.published })}>
          <p>{t('glance.planParts', { draft: n(plans.draft), archived: n(plans.archived) })}</p>
        </Tile>
        <Tile value={n(active.today)} label={t('glance.today')} />
        <Tile value={n(active.week)} label={t('glance.week')} />
        <Tile value={n(active.month)} label={t('glance.month')} />
      </dl>
      <p className="mt-3 text-sm text-muted">{t('glance.activeHint')}</p>
    </section>
  );
}

interface ChartSpec {
  /** Its words in dashboard.json, under activity. */
  key: 'enrolments' | 'minutes' | 'ticks' | 'newUsers';
  kind: 'line' | 'bar';
  measures: { measure: Measure; column: string; tone: ChartLine['tone'] }[];
}

/** The series, drawn. */
function Activity({ data }: { data: Dashboard }) {
  const { t } = useTranslation('dashboard');
  const id = useId();
  const specs: ChartSpec[] = [
    {
      key: 'enrolments',
      kind: 'line',
      measures: [
        { measure: 'enrollments', column: t('activity.enrolments.started'), tone: 'accent' },
        { measure: 'completions', column: t('activity.enrolments.finished'), tone: 'ink' },
      ],
    },
    { key: 'minutes', kind: 'bar', measures: [{ measure: 'practice_minutes', column: t('activity.minutes.column'), tone: 'accent' }] },
    { key: 'ticks', kind: 'bar', measures: [{ measure: 'ticks', column: t('activity.ticks.column'), tone: 'accent' }] },
    { key: 'newUsers', kind: 'bar', measures: [{ measure: 'new_users', column: t('activity.newUsers.column'), tone: 'accent' }] },
  ];
  const unit = unitFor(data.days);
  const buckets = bucketSeries(data.series ?? [], unit);
  return (
    <section aria-labelledby={id}>
      <h2 id={id} className="font-serif text-2xl">
        {t('activity.title')}
      </h2>
      <div className="mt-4 grid gap-4 xl:grid-cols-2">
        {specs.map((spec) => (
          <ChartFigure key={spec.key} spec={spec} buckets={buckets} unit={unit} days={data.days} />
        ))}
      </div>
    </section>
  );
}

/** What a chart's caption says: the totals, and the busiest day or week. */
function useSummary(spec: ChartSpec, buckets: Bucket[], unit: 'day' | 'week', days: number): { summary: string; empty: boolean } {
  const { t, i18n } = useTranslation('dashboard');
  const locale = dateLocale(i18n.language);
  const n = useCount();
  const period = usePeriodWords(days);
  const sum = totals(buckets);
  const first = spec.measures[0]!.measure;
  const empty = spec.measures.every((m) => sum[m.measure] === 0);
  if (empty) return { summary: t(`activity.${spec.key}.empty`, { period }), empty };
  const summary =
    spec.key === 'enrolments'
      ? t('activity.enrolments.summary', {
          started: t('activity.enrolments.startedCount', { count: sum.enrollments, n: n(sum.enrollments) }),
          finished: t('activity.enrolments.finishedCount', { count: sum.completions, n: n(sum.completions) }),
          period,
        })
      : t(`activity.${spec.key}.summary`, { count: sum[first], n: n(sum[first]), period });
  const peak = busiest(buckets, first);
  const peakWords = peak
    ? ` ${t(unit === 'week' ? 'activity.busiestWeek' : 'activity.busiestDay', {
        date: formatBucket(peak, locale, true),
        value: t(`activity.${spec.key}.value`, { count: peak[first], n: n(peak[first]) }),
      })}`
    : '';
  return { summary: summary + peakWords, empty };
}

function ChartFigure({ spec, buckets, unit, days }: { spec: ChartSpec; buckets: Bucket[]; unit: 'day' | 'week'; days: number }) {
  const { t, i18n } = useTranslation('dashboard');
  const locale = dateLocale(i18n.language);
  const n = useCount();
  const id = useId();
  const title = t(`activity.${spec.key}.title`);
  const { summary, empty } = useSummary(spec, buckets, unit, days);
  const titles = buckets.map((b) => formatBucket(b, locale, true));
  const rows: ChartRow[] = buckets.map((b, i) => ({
    ...b,
    // A week is named on the axis by its first day, in full in the tooltip.
    label: formatBucket({ from: b.from, to: b.from }, locale),
    title: titles[i]!,
  }));
  const lines: ChartLine[] = spec.measures.map((m) => ({ measure: m.measure, name: m.column, tone: m.tone }));
  return (
    <figure aria-labelledby={`${id}-title`} aria-describedby={`${id}-summary`} className="rounded-2xl border border-ink/10 bg-surface p-5">
      <figcaption>
        <h3 id={`${id}-title`} className="font-serif text-xl">
          {title}
        </h3>
        {!empty && (
          <p id={`${id}-summary`} className="mt-1 text-sm text-muted">
            {summary}
          </p>
        )}
      </figcaption>
      {empty ? (
        <p
          id={`${id}-summary`}
          className="mt-4 flex min-h-40 items-center justify-center rounded-xl border border-dashed border-ink/20 p-6 text-center text-sm text-muted"
        >
          {summary}
        </p>
      ) : (
        <>
          {lines.length > 1 && (
            <ul aria-hidden="true" className="mt-3 flex flex-wrap gap-4 text-sm text-muted">
              {lines.map((l) => (
                <li key={l.measure} className="inline-flex items-center gap-2">
                  <span
                    className={`inline-block h-0 w-5 border-t-2 ${l.tone === 'ink' ? 'border-dashed border-ink' : 'border-accent'}`}
                  />
                  {l.name}
                </li>
              ))}
            </ul>
          )}
          <div aria-hidden="true" className="mt-3 h-60">
            <Suspense fallback={<div className="h-full animate-pulse rounded-lg bg-ink/5 motion-reduce:animate-none" />}>
              <DashboardChart rows={rows} lines={lines} kind={spec.kind} format={n} />
            </Suspense>
          </div>
          <details className="mt-3">
            <summary className="cursor-pointer text-sm text-accent underline decoration-accent/40 underline-offset-4">
              {t('activity.showTable')}
            </summary>
            {/* A scrolling box that keyboards can reach (tabIndex) and screen readers name. */}
            <div role="region" aria-label={title} tabIndex={0} className="mt-2 max-h-96 overflow-y-auto">
              <table className="w-full text-sm">
                <caption className="sr-only">{title}</caption>
                <thead className="sticky top-0 bg-surface">
                  <tr className="border-b border-ink/10 text-left">
                    <th scope="col" className="py-1.5 pr-4 font-medium">
                      {unit === 'week' ? t('activity.week') : t('activity.day')}
                    </th>
                    {spec.measures.map((m) => (
                      <th key={m.measure} scope="col" className="py-1.5 pr-4 text-right font-medium">
                        {m.column}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {buckets.map((b, i) => (
                    <tr key={b.from} className="border-b border-ink/5">
                      <th scope="row" className="py-1 pr-4 text-left font-normal">
                        {titles[i]}
                      </th>
                      {spec.measures.map((m) => (
                        <td key={m.measure} className="py-1 pr-4 text-right tabular-nums">
                          {n(b[m.measure])}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      )}
    </figure>
  );
}

/** The plans most started in the period. */
function TopPlans({ data }: { data: Dashboard }) {
  const { t, i18n } = useTranslation('dashboard');
  const locale = dateLocale(i18n.language);
  const n = useCount();
  const period = usePeriodWords(data.days);
  const id = useId();
  return (
    <section aria-labelledby={id}>
      <h2 id={id} className="font-serif text-2xl">
        {t('top.title')}
      </h2>
      {!data.top_plans?.length ? (
        <div className="mt-4 rounded-2xl border border-dashed border-ink/20 p-5 text-muted">
          <p>{t('top.empty', { period })}</p>
          {data.plans.published === 0 && (
            <p className="mt-2">
              {t('top.nothingPublished')}{' '}
              <Link to="/plans" className={link}>
                {t('top.toPlans')}
              </Link>
            </p>
          )}
        </div>
      ) : (
        <>
          <p className="mt-1 text-sm text-muted">{t('top.intro', { period })}</p>
          <div className="mt-4 overflow-x-auto rounded-2xl border border-ink/10 bg-surface">
            <table className="w-full text-sm">
              <thead>
                <tr className="border-b border-ink/10 text-left">
                  <th scope="col" className="px-4 py-2.5 font-medium">
                    {t('top.plan')}
                  </th>
                  {(['inPeriod', 'allTime', 'completions', 'rate', 'active'] as const).map((k) => (
                    <th key={k} scope="col" className="px-4 py-2.5 text-right font-medium">
                      {t(`top.${k}`)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {(data.top_plans ?? []).map((p) => (
                  <tr key={p.id} className="border-b border-ink/5 last:border-0">
                    <th scope="row" className="min-w-48 px-4 py-2.5 text-left font-normal">
                      <Link to={`/plans/${p.id}`} className={link}>
                        {p.title}
                      </Link>
                    </th>
                    <td className="px-4 py-2.5 text-right tabular-nums">{n(p.enrollments_in_window)}</td>
                    <td className="px-4 py-2.5 text-right tabular-nums">{n(p.enrollments)}</td>
                    <td className="px-4 py-2.5 text-right tabular-nums">{n(p.completions)}</td>
                    <td className="px-4 py-2.5 text-right tabular-nums">{formatRate(completionRate(p.completions, p.enrollments), locale)}</td>
                    <td className="px-4 py-2.5 text-right tabular-nums">{n(p.active_readers)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="mt-2 text-sm text-muted">{t('top.rateHint')}</p>
        </>
      )}
    </section>
  );
}

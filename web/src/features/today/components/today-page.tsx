import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { buttonStyle } from '../../../components/form';
import { QueryError } from '../../../components/query-error';
import { useCurrentEnrollments } from '../api/use-current-enrollments';
import { DaySkeleton, DayView } from './day-view';
import { PlanSwitcher } from './plan-switcher';

/** Today with no plan to read: an invitation, never a reproach. */
function NoPlan() {
  const { t } = useTranslation('today');
  return (
    <section aria-labelledby="no-plan-title" className="mx-auto max-w-xl py-10 text-center">
      <h1 id="no-plan-title" className="font-serif text-3xl">
        {t('noPlan.title')}
      </h1>
      <p className="mt-3 text-muted">{t('noPlan.body')}</p>
      <div className="mt-6 flex flex-wrap justify-center gap-3">
        <Link to="/" className={buttonStyle('primary')}>
          {t('noPlan.discover')}
        </Link>
        <Link to="/my-plans" className={buttonStyle('quiet')}>
          {t('noPlan.myPlans')}
        </Link>
      </div>
    </section>
  );
}

/**
 * Today: the day's reading of one plan (the one in the address, else the
 * first being followed), with a switch between plans when there are several.
 * ?day=n reads another day of it.
 */
export function TodayPage() {
  const { t } = useTranslation('today');
  const { enrollmentId } = useParams();
  const [search] = useSearchParams();
  const day = Number.parseInt(search.get('day') ?? '', 10);
  const current = useCurrentEnrollments();

  if (current.isPending) return <DaySkeleton />;
  if (current.isError) return <QueryError error={current.error} onRetry={() => void current.refetch()} />;

  const plans = current.data;
  const chosen = enrollmentId ?? plans[0]?.id;
  if (!chosen) {
    return (
      <>
        <title>{`${t('title')} · ${t('appName', { ns: 'common' })}`}</title>
        <NoPlan />
      </>
    );
  }
  return (
    <>
      {plans.length > 1 && <PlanSwitcher plans={plans} current={chosen} />}
      <DayView key={`${chosen}:${day}`} enrollmentId={chosen} day={day > 0 ? day : undefined} />
    </>
  );
}

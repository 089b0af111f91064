import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { components } from '../../../api/schema';
import { buttonStyle, Spinner } from '../../../components/form';
import { dateLocale, formatDate } from '../../../lib/calendar-date';
import { problemWords } from '../../../lib/problem-words';
import { useCatchUp } from '../api/use-catch-up';

type Enrollment = components['schemas']['EnrollmentBody'];

const note = 'mx-auto max-w-2xl rounded-2xl border border-accent/25 bg-accent/5 px-5 py-4';

/** A catch-up button: the next unfinished day becomes today's. */
function CatchUp({ enrollment }: { enrollment: Enrollment }) {
  const { t } = useTranslation('today');
  const catchUp = useCatchUp(enrollment.id);
  return (
    <div className="mt-3">
      <button
        type="button"
        onClick={() => catchUp.mutate()}
        aria-disabled={catchUp.isPending || undefined}
        className={`${buttonStyle('primary')} ${catchUp.isPending ? 'cursor-progress opacity-80' : ''}`}
      >
        {catchUp.isPending && <Spinner />}
        {t('schedule.catchUp', { day: enrollment.progress.next_day })}
      </button>
      {catchUp.isError && (
        <p role="alert" className="mt-2 text-sm text-danger">
          {problemWords(catchUp.error, t)}
        </p>
      )}
    </div>
  );
}

/**
 * Where the plan stands, said gently: days waiting (with catch-up), a
 * pause, a start still ahead, today's day done, a plan finished. Nothing
 * when today's day is still to read.
 */
export function ScheduleNote({ enrollment, shownDay }: { enrollment: Enrollment; shownDay: number }) {
  const { t, i18n } = useTranslation('today');
  const { progress } = enrollment;
  switch (progress.state) {
    case 'behind':
      return (
        <div className={note}>
          <p>{t('schedule.behind', { count: progress.behind })}</p>
          {progress.can_catch_up && <CatchUp enrollment={enrollment} />}
        </div>
      );
    case 'paused':
      return (
        <div className={note}>
          <p>
            {enrollment.paused_on
              ? t('schedule.pausedSince', { date: formatDate(enrollment.paused_on, dateLocale(i18n.language)) })
              : t('schedule.paused')}
          </p>
          {progress.can_catch_up && <CatchUp enrollment={enrollment} />}
        </div>
      );
    case 'not_started':
      return (
        <div className={note}>
          <p>{t('schedule.notStarted', { date: formatDate(enrollment.start_date, dateLocale(i18n.language)) })}</p>
        </div>
      );
    case 'ahead':
      return (
        <div className={note}>
          <p>{t('schedule.caughtUp')}</p>
          {progress.next_day > 0 && progress.next_day !== shownDay && (
            <Link to={`/today/${enrollment.id}?day=${progress.next_day}`} className="mt-2 inline-block text-accent underline underline-offset-4">
              {t('schedule.readOn', { day: progress.next_day })}
            </Link>
          )}
        </div>
      );
    case 'finished':
      return (
        <div className={note}>
          <p>{t('schedule.finished')}</p>
          <Link to="/my-plans" className="mt-2 inline-block text-accent underline underline-offset-4">
            {t('schedule.myPlans')}
          </Link>
        </div>
      );
    default:
      return null;
  }
}

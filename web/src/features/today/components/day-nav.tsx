import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

const link = 'rounded-lg px-3 py-2 text-accent hover:bg-ink/5';

/** Links to the days before and after this one, and back to today's. */
export function DayNav({
  enrollmentId,
  day,
  days,
  isToday,
}: {
  enrollmentId: string;
  day: number;
  days: number;
  isToday: boolean;
}) {
  const { t } = useTranslation('today');
  const to = (n: number) => `/today/${enrollmentId}?day=${n}`;
  return (
    <nav aria-label={t('dayNav.label')} className="mx-auto flex max-w-2xl items-center justify-between gap-2 border-t border-ink/10 pt-6">
      <div className="flex-1">
        {day > 1 && (
          <Link to={to(day - 1)} className={link}>
            <span aria-hidden="true">← </span>
            {t('dayNav.day', { day: day - 1 })}
          </Link>
        )}
      </div>
      {!isToday && (
        <Link to={`/today/${enrollmentId}`} className={link}>
          {t('dayNav.today')}
        </Link>
      )}
      <div className="flex flex-1 justify-end">
        {day < days && (
          <Link to={to(day + 1)} className={link}>
            {t('dayNav.day', { day: day + 1 })}
            <span aria-hidden="true"> →</span>
          </Link>
        )}
      </div>
    </nav>
  );
}

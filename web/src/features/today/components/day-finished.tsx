import { useTranslation } from 'react-i18next';
import { useStats } from '../api/use-stats';

/**
 * The quiet moment after a day is finished: the streak (unless the person
 * hides streaks) and, when the whole plan is done, a word about that.
 */
export function DayFinished({ day, planTitle, planDone }: { day: number; planTitle: string; planDone: boolean }) {
  const { t } = useTranslation('today');
  const stats = useStats();
  const streak = stats.data?.streak;
  return (
    <section
      aria-labelledby="day-finished-title"
      className="mx-auto max-w-2xl rounded-2xl border border-accent/25 bg-accent/5 px-6 py-8 text-center"
    >
      <div aria-hidden="true" className="mx-auto mb-4 size-3 rounded-full bg-accent/70 ring-8 ring-accent/15" />
      <h2 id="day-finished-title" className="font-serif text-2xl">
        {t('finished.title', { day })}
      </h2>
      <p className="mt-2 text-muted">{planDone ? t('finished.planDone', { plan: planTitle }) : t('finished.body')}</p>
      <div aria-live="polite" className="min-h-7">
        {streak && streak.current > 0 && (
          <p className="mt-4 font-serif text-lg">
            {t('finished.streak', { count: streak.current })}
            {streak.longest > streak.current && (
              <span className="block text-sm text-muted">{t('finished.longest', { count: streak.longest })}</span>
            )}
          </p>
        )}
      </div>
    </section>
  );
}

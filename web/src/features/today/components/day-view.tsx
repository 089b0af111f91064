import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/problem';
import { buttonStyle, Spinner } from '../../../components/form';
import { QueryError } from '../../../components/query-error';
import type { Target } from '../completion-sync';
import { useCompletions } from '../api/use-completions';
import { useEnrolledDay } from '../api/use-enrolled-day';
import { DayFinished } from './day-finished';
import { DayNav } from './day-nav';
import { ItemCard } from './item-card';
import { Journal } from './journal';
import { Prose } from '../../../components/prose';
import { ScheduleNote } from './schedule-note';
import { TaskList } from './task-list';

/** A page-shaped placeholder while the day loads. */
export function DaySkeleton() {
  const { t } = useTranslation();
  return (
    <div aria-busy="true" className="mx-auto max-w-2xl space-y-4">
      <span role="status" className="sr-only">
        {t('loading')}
      </span>
      <div className="h-4 w-1/3 animate-pulse rounded bg-ink/5" />
      <div className="h-9 w-2/3 animate-pulse rounded bg-ink/5" />
      <div className="h-4 w-full animate-pulse rounded bg-ink/5" />
      <div className="h-4 w-11/12 animate-pulse rounded bg-ink/5" />
      <div className="h-4 w-4/5 animate-pulse rounded bg-ink/5" />
    </div>
  );
}

/** A failed tick, put back as it was, said gently; it goes away with the next click or on request. */
function FailureNote({ onDismiss }: { onDismiss: () => void }) {
  const { t } = useTranslation('today');
  return (
    <div className="fixed inset-x-4 bottom-4 z-10 mx-auto flex max-w-xl items-start gap-3 rounded-xl border border-ink/10 bg-surface px-4 py-3 shadow-lg">
      <p className="flex-1">{t('failed')}</p>
      <button type="button" onClick={onDismiss} className="rounded-md px-2 text-muted hover:bg-ink/5" aria-label={t('dismiss')}>
        <span aria-hidden="true">×</span>
      </button>
    </div>
  );
}

/**
 * One day of an enrolment, for reading and practice: today's by the
 * schedule, or day `day` when given.
 */
export function DayView({ enrollmentId, day }: { enrollmentId: string; day: number | undefined }) {
  const { t } = useTranslation('today');
  const query = useEnrolledDay(enrollmentId, day);
  const completions = useCompletions(enrollmentId, day);

  if (query.isPending) return <DaySkeleton />;
  if (query.isError) {
    if (query.error instanceof ApiError && query.error.status === 404) {
      return <p className="mx-auto max-w-2xl text-muted">{t('notFound')}</p>;
    }
    return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  }

  const { enrollment, day: content, finished } = query.data;
  const items = (content.items ?? []).map((i) => {
    const target: Target = { kind: 'item', id: i.id };
    return { ...i, target, shown: completions.shown(target, i.done) };
  });
  const tasks = (content.tasks ?? []).map((x) => {
    const target: Target = { kind: 'task', id: x.id };
    return { ...x, target, shown: completions.shown(target, x.done) };
  });
  // What "Mark the day complete" ticks: the items and the tasks the day needs.
  const left = [...items, ...tasks.filter((x) => !x.optional)].filter((x) => !x.shown);

  return (
    <article aria-labelledby="day-title" className="space-y-12">
      <title>{`${content.title} · ${t('appName', { ns: 'common' })}`}</title>
      <header className="mx-auto max-w-2xl">
        <p className="text-sm tracking-wide text-muted">
          {enrollment.plan.title} · {t('dayOf', { day: content.number, total: enrollment.plan.days })}
        </p>
        <h1 id="day-title" className="mt-2 font-serif text-4xl leading-tight text-balance">
          {content.title}
        </h1>
        {content.minutes > 0 && <p className="mt-2 text-muted">{t('minutes', { count: content.minutes })}</p>}
      </header>

      <ScheduleNote enrollment={enrollment} shownDay={content.number} />

      {content.intro_html && <Prose html={content.intro_html} className="mx-auto max-w-2xl italic text-ink/85" />}

      {items.map((i) => (
        <ItemCard
          key={i.id}
          enrollmentId={enrollmentId}
          item={i}
          done={i.shown}
          onDone={(done) => completions.set(i.target, done)}
        />
      ))}

      {tasks.length > 0 && (
        <section aria-labelledby="practice-title" className="mx-auto max-w-2xl">
          <h2 id="practice-title" className="mb-4 font-serif text-2xl">
            {t('practice')}
          </h2>
          <TaskList
            tasks={tasks}
            onDone={(x, done) => completions.set(x.target, done)}
          />
        </section>
      )}

      {finished ? (
        <DayFinished day={content.number} planTitle={enrollment.plan.title} planDone={enrollment.status === 'completed'} />
      ) : completions.busy && left.length === 0 ? (
        <p role="status" className="mx-auto flex max-w-2xl items-center justify-center gap-2 text-muted">
          <Spinner /> {t('completing')}
        </p>
      ) : (
        left.length > 0 && (
          <div className="mx-auto max-w-2xl text-center">
            <button
              type="button"
              onClick={() => left.forEach((x) => completions.set(x.target, true))}
              className={`${buttonStyle('primary')} min-h-12 px-6`}
            >
              {t('completeDay')}
            </button>
          </div>
        )
      )}

      <Journal enrollmentId={enrollmentId} day={content.number} />

      <DayNav enrollmentId={enrollmentId} day={content.number} days={enrollment.plan.days} isToday={day === undefined} />

      <div aria-live="polite">{completions.failed && <FailureNote onDismiss={completions.dismiss} />}</div>
    </article>
  );
}

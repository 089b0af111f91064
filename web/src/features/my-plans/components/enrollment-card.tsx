import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { components } from '../../../api/schema';
import { buttonStyle, Spinner } from '../../../components/form';
import { dateLocale, formatDate, formatInstant } from '../../../lib/calendar-date';
import { problemWords } from '../../../lib/problem-words';
import { useSession } from '../../auth/session';
import { useEnrollmentAction, type EnrollmentAction } from '../api/use-enrollment-action';
import { ConfirmDialog } from '../../../components/confirm-dialog';

type Enrollment = components['schemas']['EnrollmentBody'];

/** Where a plan stands, in a few words. */
function useStanding(e: Enrollment): string {
  const { t, i18n } = useTranslation('myPlans');
  const { user } = useSession();
  const { progress } = e;
  const locale = dateLocale(i18n.language);
  const date = (d: string) => formatDate(d, locale, { day: 'numeric', month: 'long' });
  switch (progress.state) {
    case 'finished':
      return e.completed_at
        ? t('state.completedOn', { date: formatInstant(e.completed_at, locale, user?.timezone, { dateStyle: 'long' }) })
        : t('state.completed');
    case 'paused':
      return e.paused_on ? t('state.pausedSince', { date: date(e.paused_on) }) : t('state.paused');
    case 'not_started':
      return t('state.notStarted', { date: date(e.start_date) });
    case 'behind':
      return t('state.behind', { count: progress.behind });
    case 'ahead':
      return t('state.ahead');
    case 'self_paced':
      return t('state.selfPaced', { day: progress.next_day });
    default:
      return t('state.onTrack', { day: progress.due_day });
  }
}

/** The actions each status offers; those that need a confirmation say so. */
const actionsFor: Record<Enrollment['status'], EnrollmentAction[]> = {
  active: ['pause', 'restart', 'leave'],
  paused: ['resume', 'restart', 'leave'],
  completed: ['restart'],
  abandoned: [],
};
const confirmed: EnrollmentAction[] = ['restart', 'leave'];

/** One of the person's plans: where it stands, how far along, and what can be done with it. */
export function EnrollmentCard({ enrollment: e }: { enrollment: Enrollment }) {
  const { t } = useTranslation('myPlans');
  const action = useEnrollmentAction(e.id);
  const [asking, setAsking] = useState<EnrollmentAction>();
  const standing = useStanding(e);
  const actions: EnrollmentAction[] = [
    ...(e.progress.behind > 0 && e.progress.can_catch_up ? (['catch-up'] as const) : []),
    ...actionsFor[e.status],
  ];
  const act = (a: EnrollmentAction) => (confirmed.includes(a) ? setAsking(a) : action.mutate(a));
  const busy = (a: EnrollmentAction) => action.isPending && action.variables === a;

  return (
    <li className="rounded-2xl border border-ink/10 bg-surface p-5 sm:p-6">
      <div className="flex flex-wrap items-start justify-between gap-x-4 gap-y-3">
        <div className="min-w-0">
          <h3 className="font-serif text-xl leading-snug">
            <Link to={`/plans/${e.plan.slug}`} className="hover:underline hover:underline-offset-4">
              {e.plan.title}
            </Link>
          </h3>
          <p className="mt-1 text-muted">{standing}</p>
        </div>
        {e.status !== 'completed' && (
          <Link to={`/today/${e.id}`} className={buttonStyle('primary')}>
            {t('read')}
          </Link>
        )}
      </div>

      <div className="mt-5">
        <div
          role="progressbar"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={e.progress.percent}
          aria-label={t('progressLabel', { plan: e.plan.title })}
          className="h-2 overflow-hidden rounded-full bg-ink/10"
        >
          <div className="h-full rounded-full bg-accent" style={{ width: `${e.progress.percent}%` }} />
        </div>
        <p className="mt-2 text-sm text-muted">
          {t('daysDone', { count: e.progress.days_done, total: e.plan.days })} · {t(`pace.${e.pace}`, { count: e.per_week ?? 0 })}
          {e.cycle > 1 && <> · {t('cycle', { n: e.cycle })}</>}
        </p>
      </div>

      {actions.length > 0 && (
        <div className="mt-5 flex flex-wrap gap-2">
          {actions.map((a) => (
            <button
              key={a}
              type="button"
              onClick={() => !action.isPending && act(a)}
              aria-disabled={action.isPending || undefined}
              className={`${buttonStyle('quiet')} px-3 py-1.5 text-sm aria-disabled:opacity-60 ${busy(a) ? 'cursor-progress' : ''}`}
            >
              {busy(a) && <Spinner />}
              {t(`action.${a}`)}
            </button>
          ))}
        </div>
      )}
      {action.isError && (
        <p role="alert" className="mt-3 text-sm text-danger">
          {problemWords(action.error, t)}
        </p>
      )}

      <ConfirmDialog
        open={asking !== undefined}
        title={asking ? t(`confirm.${asking}.title`, { plan: e.plan.title }) : ''}
        body={asking ? t(`confirm.${asking}.body`) : ''}
        confirm={asking ? t(`confirm.${asking}.confirm`) : ''}
        cancel={t('cancel')}
        onCancel={() => setAsking(undefined)}
        onConfirm={() => {
          if (asking) action.mutate(asking);
          setAsking(undefined);
        }}
      />
    </li>
  );
}

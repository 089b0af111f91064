import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { components } from '../../../api/schema';
import { buttonStyle, FormMessage, SubmitButton } from '../../../components/form';
import { addDays, formatDate } from '../../../lib/calendar-date';
import { problemWords } from '../../../lib/problem-words';
import { useSession } from '../../auth/session';
import { useEnroll } from '../api/use-enroll';
import { useFollowing } from '../api/use-following';
import { enrollBody, latestStartDays, openStartDates, paces, todayIn, type Pace } from '../start-options';

type Plan = components['schemas']['PlanBody'];
type Enrollment = components['schemas']['EnrollmentBody'];

const panel = 'rounded-2xl border border-ink/10 bg-surface p-5 shadow-xs';

/**
 * Starting the plan: a start date and a pace for someone signed in; a way
 * to sign in first for someone who is not; "Continue" for someone already
 * following it.
 */
export function StartPlan({ plan }: { plan: Plan }) {
  const { t } = useTranslation('plan');
  const session = useSession();
  const following = useFollowing(plan.slug);

  if (session.status === 'loading' || (session.status === 'signed-in' && following.isPending)) {
    return (
      <div className={panel} aria-busy="true">
        <span className="sr-only" role="status">
          {t('common:loading')}
        </span>
        <div className="h-5 w-2/3 animate-pulse rounded bg-ink/10 motion-reduce:animate-none" />
        <div className="mt-4 h-11 w-full rounded-lg bg-ink/5" />
      </div>
    );
  }
  if (following.data) return <Following enrollment={following.data} />;
  if (plan.status === 'archived') {
    return (
      <div className={panel}>
        <p className="text-muted">{t('start.archived')}</p>
      </div>
    );
  }
  if (session.status === 'signed-out') {
    const next = `/plans/${plan.slug}`;
    return (
      <div className={panel}>
        <h2 className="font-serif text-xl">{t('start.heading')}</h2>
        <p className="mt-1 text-sm text-muted">{t('start.signedOut')}</p>
        <Link to={`/sign-in?next=${encodeURIComponent(next)}`} className={`mt-4 w-full ${buttonStyle()}`}>
          {t('start.submit')}
        </Link>
      </div>
    );
  }
  return <StartForm plan={plan} timeZone={session.user?.timezone} />;
}

/** For a plan the reader already follows: where they are, and the way back to it. */
function Following({ enrollment }: { enrollment: Enrollment }) {
  const { t } = useTranslation('plan');
  const { progress } = enrollment;
  return (
    <div className={panel}>
      <h2 className="font-serif text-xl">{enrollment.status === 'paused' ? t('following.paused') : t('following.heading')}</h2>
      <p className="mt-1 text-sm text-muted">
        {progress.next_day > 0
          ? t('following.next', { n: progress.next_day, count: enrollment.plan.days })
          : t('following.allDone')}
      </p>
      <div className="mt-3 h-1.5 overflow-hidden rounded-full bg-ink/10" aria-hidden="true">
        <div className="h-full rounded-full bg-accent" style={{ width: `${progress.percent}%` }} />
      </div>
      <Link to={`/today/${enrollment.id}`} className={`mt-4 w-full ${buttonStyle()}`}>
        {t('following.continue')}
      </Link>
    </div>
  );
}

function StartForm({ plan, timeZone }: { plan: Plan; timeZone: string | undefined }) {
  const { t, i18n } = useTranslation('plan');
  const navigate = useNavigate();
  const enroll = useEnroll();
  const id = useId();
  const today = todayIn(timeZone);
  const fixed = (plan.fixed_start_dates ?? []).length > 0;
  const dates = fixed ? openStartDates(plan.fixed_start_dates ?? [], plan.days, today) : [];
  const [start, setStart] = useState(fixed ? (dates[0] ?? '') : today);
  const [pace, setPace] = useState<Pace>('daily');
  const [perWeek, setPerWeek] = useState(3);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (enroll.isPending) return;
    enroll.mutate(enrollBody({ slug: plan.slug, today, start, fixed, pace, perWeek }), {
      onSuccess: () => void navigate('/today'),
    });
  }

  if (fixed && dates.length === 0) {
    return (
      <div className={panel}>
        <h2 className="font-serif text-xl">{t('start.heading')}</h2>
        <p className="mt-1 text-muted">{t('start.noDates')}</p>
      </div>
    );
  }

  return (
    <form onSubmit={onSubmit} className={panel} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="font-serif text-xl">
        {t('start.heading')}
      </h2>
      <div className="mt-4">
        <label htmlFor={`${id}-start`} className="block font-medium">
          {t('start.date')}
        </label>
        {fixed ? (
          <>
            <p id={`${id}-fixed`} className="mt-0.5 text-sm text-muted">
              {t('start.fixedHint')}
            </p>
            <select
              id={`${id}-start`}
              value={start}
              onChange={(e) => setStart(e.target.value)}
              aria-describedby={`${id}-fixed`}
              className="mt-1.5 block h-11 w-full rounded-lg border border-ink/20 bg-surface px-3"
            >
              {dates.map((d) => (
                <option key={d} value={d}>
                  {formatDate(d, i18n.language, { dateStyle: 'full' })}
                </option>
              ))}
            </select>
          </>
        ) : (
          <>
            <input
              id={`${id}-start`}
              type="date"
              required
              min={today}
              max={addDays(today, latestStartDays)}
              value={start}
              onChange={(e) => setStart(e.target.value || today)}
              aria-describedby={`${id}-when`}
              className="mt-1.5 block h-11 w-full rounded-lg border border-ink/20 bg-surface px-3"
            />
            <p id={`${id}-when`} className="mt-1 text-sm text-muted">
              {start === today ? t('start.today') : formatDate(start, i18n.language, { dateStyle: 'full' })}
            </p>
          </>
        )}
      </div>
      {!fixed && (
        <fieldset className="mt-5">
          <legend className="font-medium">{t('start.pace')}</legend>
          <div className="mt-2 space-y-1">
            {paces.map((p) => (
              <label
                key={p}
                className={`flex cursor-pointer gap-3 rounded-lg border px-3 py-2.5 transition-colors ${
                  pace === p ? 'border-accent bg-accent/5' : 'border-transparent hover:bg-ink/5'
                }`}
              >
                <input
                  type="radio"
                  name="pace"
                  value={p}
                  checked={pace === p}
                  onChange={() => setPace(p)}
                  className="mt-1 accent-accent"
                />
                <span>
                  <span className="block">{t(`start.paces.${p}.name`)}</span>
                  <span className="block text-sm text-muted">{t(`start.paces.${p}.about`)}</span>
                </span>
              </label>
            ))}
          </div>
          {pace === 'n_per_week' && (
            <div className="mt-3 pl-3">
              <label htmlFor={`${id}-per-week`} className="block text-sm font-medium">
                {t('start.perWeek')}
              </label>
              <select
                id={`${id}-per-week`}
                value={perWeek}
                onChange={(e) => setPerWeek(Number(e.target.value))}
                className="mt-1 block h-10 w-full rounded-lg border border-ink/20 bg-surface px-3"
              >
                {[1, 2, 3, 4, 5, 6].map((n) => (
                  <option key={n} value={n}>
                    {t('start.daysAWeek', { count: n })}
                  </option>
                ))}
              </select>
            </div>
          )}
        </fieldset>
      )}
      {enroll.isError && (
        <div className="mt-4">
          <FormMessage>{problemWords(enroll.error, t, { 409: t('start.already') })}</FormMessage>
        </div>
      )}
      <SubmitButton pending={enroll.isPending} className="mt-5 w-full">
        {t('start.submit')}
      </SubmitButton>
    </form>
  );
}

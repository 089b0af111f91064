import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { components } from '../../../api/schema';
import { MediaImage } from '../../../components/media-image';

type Plan = components['schemas']['PlanBody'];

/** The top of a plan's page: its cover, what it is, and how long it takes. */
export function PlanHeader({ plan }: { plan: Plan }) {
  const { t } = useTranslation('plan');
  const names = (plan.authors ?? []).map((a) => a.name);
  return (
    <header>
      <Link to="/" className="inline-flex items-center gap-1.5 text-sm text-muted hover:text-ink">
        <span aria-hidden="true">←</span> {t('back')}
      </Link>
      {plan.cover && (
        <div className="mt-4 overflow-hidden rounded-2xl bg-accent/5">
          <MediaImage
            media={plan.cover}
            alt=""
            priority
            sizes="(min-width: 896px) 864px, 100vw"
            className="aspect-[2/1] w-full object-cover"
          />
        </div>
      )}
      <p className="mt-6 text-xs font-medium uppercase tracking-wider text-muted">
        {t(`common:catalog.tradition.${plan.tradition}`)} · {t(`common:catalog.level.${plan.level}`)}
      </p>
      <h1 id="plan-title" className="mt-2 font-serif text-3xl leading-tight text-balance sm:text-4xl">
        {plan.title}
      </h1>
      {plan.subtitle && <p className="mt-2 font-serif text-xl text-muted text-pretty">{plan.subtitle}</p>}
      <p className="mt-4 text-muted">
        {t('common:catalog.days', { count: plan.days })}
        {plan.minutes_per_day > 0 && <> · {t('common:catalog.minutesPerDay', { count: plan.minutes_per_day })}</>}
      </p>
      {names.length > 0 && (
        <p className="text-muted">{t('common:catalog.by', { names: names.join(', ') })}</p>
      )}
    </header>
  );
}

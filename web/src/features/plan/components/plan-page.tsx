import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ApiError } from '../../../api/problem';
import type { components } from '../../../api/schema';
import { MessagePage } from '../../../components/message-page';
import { Prose } from '../../../components/prose';
import { QueryError } from '../../../components/query-error';
import { usePlan } from '../api/use-plan';
import { Authors } from './authors';
import { DayPreview } from './day-preview';
import { Outline } from './outline';
import { PlanHeader } from './plan-header';
import { StartPlan } from './start-plan';

type Plan = components['schemas']['PlanBody'];

/** /plans/:slug, a plan's page: what it is, who wrote it, its days, a taste of the first ones, and starting it. */
export function PlanPage() {
  const { slug = '' } = useParams();
  const plan = usePlan(slug);
  if (plan.isPending) return <PlanSkeleton />;
  if (plan.isError) {
    if (plan.error instanceof ApiError && plan.error.status === 404) return <NoSuchPlan />;
    return <QueryError error={plan.error} onRetry={() => void plan.refetch()} />;
  }
  // Another plan opened from this one (a suggestion) starts afresh.
  return <PlanView key={plan.data.slug} plan={plan.data} />;
}

function PlanView({ plan }: { plan: Plan }) {
  const { t } = useTranslation('plan');
  const outline = plan.outline ?? [];
  const previewDays = outline.filter((d) => d.preview).map((d) => d.number);
  const [previewDay, setPreviewDay] = useState(previewDays[0] ?? 0);
  const previewHeading = useRef<HTMLHeadingElement>(null);

  function openPreview(n: number) {
    setPreviewDay(n);
    previewHeading.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
    previewHeading.current?.focus({ preventScroll: true });
  }

  return (
    <article aria-labelledby="plan-title">
      <title>{`${plan.title} · ${t('common:appName')}`}</title>
      <PlanHeader plan={plan} />
      <div className="mt-8 grid gap-x-10 gap-y-8 lg:grid-cols-[minmax(0,1fr)_18rem]">
        <div className="lg:order-2">
          <div className="lg:sticky lg:top-6">
            <StartPlan plan={plan} />
          </div>
        </div>
        <div className="min-w-0 lg:order-1">
          {plan.description_html && (
            <section aria-label={t('about')}>
              <Prose html={plan.description_html} lang={plan.language} />
            </section>
          )}
          <Outline days={outline} onPreview={openPreview} />
          {previewDays.length > 0 && (
            <DayPreview slug={plan.slug} days={previewDays} day={previewDay} onDay={setPreviewDay} headingRef={previewHeading} />
          )}
          <Authors authors={plan.author_details ?? []} />
        </div>
      </div>
    </article>
  );
}

function NoSuchPlan() {
  const { t } = useTranslation('plan');
  return <MessagePage title={t('missing.title')} body={t('missing.body')} to="/" link={t('missing.discover')} />;
}

function PlanSkeleton() {
  const { t } = useTranslation();
  return (
    <div aria-busy="true">
      <span role="status" className="sr-only">
        {t('loading')}
      </span>
      <div className="mt-10 h-3 w-32 rounded bg-ink/5" />
      <div className="mt-3 h-9 w-3/4 animate-pulse rounded bg-ink/10 motion-reduce:animate-none" />
      <div className="mt-3 h-5 w-1/2 rounded bg-ink/5" />
      <div className="mt-8 space-y-3">
        <div className="h-4 w-full rounded bg-ink/5" />
        <div className="h-4 w-11/12 rounded bg-ink/5" />
        <div className="h-4 w-4/5 rounded bg-ink/5" />
      </div>
    </div>
  );
}

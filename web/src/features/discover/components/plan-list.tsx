import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { components } from '../../../api/schema';
import { Spinner } from '../../../components/form';
import { Lotus } from './lotus';
import { PlanCard } from './plan-card';

type Plan = components['schemas']['PlanCard'];

/** Plan cards in a grid: one column on a phone, two from 640 px. */
export function PlanGrid({ plans }: { plans: Plan[] }) {
  return (
    <ul className="grid gap-5 sm:grid-cols-2">
      {plans.map((plan) => (
        <li key={plan.id}>
          <PlanCard plan={plan} />
        </li>
      ))}
    </ul>
  );
}

/** The shape of cards to come, while they load. */
export function PlanGridSkeleton({ count = 4, label }: { count?: number; label: string }) {
  return (
    <div role="status" aria-label={label}>
      <ul className="grid gap-5 sm:grid-cols-2" aria-hidden="true">
        {Array.from({ length: count }, (_, i) => (
          <li key={i} className="overflow-hidden rounded-2xl border border-ink/10 bg-surface">
            <div className="aspect-[2/1] animate-pulse bg-ink/5 motion-reduce:animate-none" />
            <div className="space-y-3 p-5">
              <div className="h-3 w-1/3 rounded bg-ink/5" />
              <div className="h-5 w-3/4 rounded bg-ink/10" />
              <div className="h-4 w-full rounded bg-ink/5" />
              <div className="h-3 w-1/2 rounded bg-ink/5" />
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** "Show more plans", while there are more. */
export function LoadMore({ loading, onClick }: { loading: boolean; onClick: () => void }) {
  const { t } = useTranslation('discover');
  return (
    <div className="mt-8 flex justify-center">
      <button
        type="button"
        // Asked again while loading, the next page would be fetched twice.
        onClick={() => loading || onClick()}
        aria-disabled={loading || undefined}
        className="inline-flex items-center gap-2 rounded-full border border-ink/20 px-6 py-2.5 font-medium transition-colors hover:bg-ink/5"
      >
        {loading && <Spinner />}
        {loading ? t('results.loadingMore') : t('results.loadMore')}
      </button>
    </div>
  );
}

/** A gentle word when nothing is found, with a way back to everything. */
export function NothingFound({ children, action }: { children: ReactNode; action?: ReactNode }) {
  return (
    <div className="rounded-2xl border border-dashed border-ink/20 px-6 py-10 text-center">
      <Lotus className="mx-auto w-12 text-accent/50" />
      <div className="mt-4 text-muted">{children}</div>
      {action && <div className="mt-5">{action}</div>}
    </div>
  );
}

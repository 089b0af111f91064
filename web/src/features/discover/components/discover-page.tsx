import { errorMessage } from '../../../api/problem';
import { usePublishedPlans } from '../api/use-published-plans';
import { PlanCard } from './plan-card';

/** Discover: the published plans, for choosing one to begin. */
export function DiscoverPage() {
  const plans = usePublishedPlans();

  return (
    <section aria-labelledby="discover-title">
      <title>Discover · Dharma Plans</title>
      <h1 id="discover-title" className="font-serif text-3xl">
        Discover
      </h1>
      <p className="mt-2 text-muted">Choose a plan and read one day at a time.</p>

      <div className="mt-8" aria-live="polite" aria-busy={plans.isPending}>
        {plans.isPending ? (
          <PlanListSkeleton />
        ) : plans.isError ? (
          <div role="alert" className="rounded-xl border border-red-800/20 bg-red-50 p-5">
            <p>{errorMessage(plans.error)}</p>
            <button
              type="button"
              onClick={() => void plans.refetch()}
              className="mt-3 rounded-lg bg-ink px-4 py-2 text-paper hover:bg-ink/85"
            >
              Try again
            </button>
          </div>
        ) : !plans.data.items?.length ? (
          <p>No plans are published yet.</p>
        ) : (
          <ul className="grid gap-4 sm:grid-cols-2">
            {plans.data.items.map((plan) => (
              <li key={plan.id}>
                <PlanCard plan={plan} />
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}

function PlanListSkeleton() {
  return (
    <ul className="grid gap-4 sm:grid-cols-2" aria-label="Loading plans">
      {[0, 1, 2, 3].map((i) => (
        <li key={i} className="h-28 animate-pulse rounded-xl bg-ink/5" />
      ))}
    </ul>
  );
}

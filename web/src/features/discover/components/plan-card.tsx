import type { components } from '../../../api/schema';

type Plan = components['schemas']['PlanCard'];

const days = new Intl.PluralRules('en');

function daysLabel(n: number): string {
  return days.select(n) === 'one' ? `${n} day` : `${n} days`;
}

/** A published plan as Discover lists it. */
export function PlanCard({ plan }: { plan: Plan }) {
  return (
    <article className="rounded-xl border border-ink/10 bg-white/60 p-5 shadow-sm">
      <h2 className="font-serif text-xl leading-snug">{plan.title}</h2>
      {plan.subtitle && <p className="mt-1 text-muted">{plan.subtitle}</p>}
      <p className="mt-3 text-sm text-muted">{daysLabel(plan.days)}</p>
    </article>
  );
}

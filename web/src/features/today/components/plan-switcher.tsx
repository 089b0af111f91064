import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { components } from '../../../api/schema';

type Enrollment = components['schemas']['EnrollmentBody'];

/** The plans being followed, to switch today's reading between them. */
export function PlanSwitcher({ plans, current }: { plans: Enrollment[]; current: string }) {
  const { t } = useTranslation('today');
  const active = useRef<HTMLAnchorElement>(null);
  // On a phone the list scrolls sideways: keep the plan being read in sight.
  useEffect(() => {
    active.current?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [current]);
  return (
    <nav aria-label={t('switcher')} className="-mx-4 mb-8 overflow-x-auto px-4">
      <ul className="flex gap-2">
        {plans.map((e) => {
          const isCurrent = e.id === current;
          return (
            <li key={e.id} className="shrink-0">
              <Link
                ref={isCurrent ? active : undefined}
                to={`/today/${e.id}`}
                aria-current={isCurrent ? 'page' : undefined}
                className={`block rounded-full border px-4 py-2 text-sm transition-colors ${
                  isCurrent ? 'border-ink bg-ink text-paper' : 'border-ink/15 text-muted hover:bg-ink/5'
                }`}
              >
                {e.plan.title}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

import { useTranslation } from 'react-i18next';
import type { PlanStatus } from './api';

const looks: Record<PlanStatus, string> = {
  draft: 'border-ink/20 text-muted',
  in_review: 'border-accent/40 bg-accent/10 text-accent',
  published: 'border-ink/20 bg-ink text-paper',
  archived: 'border-ink/15 text-muted line-through decoration-ink/30',
};

/** Where a plan is: draft, in review, published or archived. */
export function StatusBadge({ status }: { status: PlanStatus }) {
  const { t } = useTranslation('studio');
  return (
    <span className={`inline-flex items-center rounded-full border px-2.5 py-0.5 text-xs font-medium whitespace-nowrap ${looks[status]}`}>
      {t(`status.${status}`)}
    </span>
  );
}

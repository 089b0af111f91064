// /admin/plans: the plans the person may edit (every plan, for admins),
// newest first, by status; a new plan, or one imported from a folder.
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { buttonStyle } from '../../components/form';
import { PageSkeleton } from '../../components/page-skeleton';
import { QueryError } from '../../components/query-error';
import { Spinner } from '../../components/spinner';
import { useIsAdmin } from '../access';
import { statuses, useStudioPlans, type PlanStatus, type StudioCard } from './api';
import { ImportPlanButton } from './import-export';
import { NewPlanButton } from './new-plan';
import { StatusBadge } from './status-badge';

export function Component() {
  const { t } = useTranslation('studio');
  const admin = useIsAdmin();
  const [params, setParams] = useSearchParams();
  const raw = params.get('status');
  const status = statuses.includes(raw as PlanStatus) ? (raw as PlanStatus) : undefined;
  const query = useStudioPlans(status);
  const plans = query.data?.pages.flatMap((p) => p.items ?? []) ?? [];

  const filter = (s: PlanStatus | undefined) => {
    const current = s === status;
    return (
      <li key={s ?? 'all'}>
        <button
          type="button"
          aria-pressed={current}
          onClick={() => setParams(s ? { status: s } : {}, { replace: true })}
          className={`rounded-full px-3.5 py-1.5 text-sm transition-colors ${current ? 'bg-ink text-paper' : 'text-muted hover:bg-ink/5'}`}
        >
          {s ? t(`status.${s}`) : t('list.all')}
        </button>
      </li>
    );
  };

  return (
    <div className="space-y-6">
      <title>{`${t('list.title')} · ${t('name', { ns: 'admin' })}`}</title>
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="font-serif text-3xl">{t('list.title')}</h1>
          <p className="mt-1 text-muted">{admin ? t('list.introAdmin') : t('list.intro')}</p>
        </div>
        <div className="flex flex-wrap items-center gap-3">
          <ImportPlanButton />
          <NewPlanButton />
        </div>
      </header>

      <ul aria-label={t('list.filter')} className="flex flex-wrap gap-1">
        {filter(undefined)}
        {statuses.map(filter)}
      </ul>

      {query.isPending ? (
        <PageSkeleton />
      ) : query.isError ? (
        <QueryError error={query.error} onRetry={() => void query.refetch()} />
      ) : plans.length === 0 ? (
        <p className="rounded-xl border border-dashed border-ink/20 p-8 text-center text-muted">
          {status ? t('list.noneWith', { status: t(`status.${status}`) }) : t('list.none')}
        </p>
      ) : (
        <>
          <ul className={`divide-y divide-ink/10 rounded-xl border border-ink/10 bg-surface ${query.isPlaceholderData ? 'opacity-60' : ''}`}>
            {plans.map((p) => (
              <PlanRow key={p.id} plan={p} />
            ))}
          </ul>
          {query.hasNextPage && (
            <p className="text-center">
              <button
                type="button"
                onClick={() => void query.fetchNextPage()}
                aria-disabled={query.isFetchingNextPage || undefined}
                className={buttonStyle('quiet')}
              >
                {query.isFetchingNextPage && <Spinner />}
                {t('list.more')}
              </button>
            </p>
          )}
        </>
      )}
    </div>
  );
}

function PlanRow({ plan }: { plan: StudioCard }) {
  const { t, i18n } = useTranslation('studio');
  const updated = new Date(plan.updated_at).toLocaleDateString(i18n.language, { dateStyle: 'medium' });
  const sentBack = plan.revision_state === 'draft' && !!plan.review_note;
  const newDraft = plan.status === 'published' && plan.revision_state === 'draft';
  const newInReview = plan.status === 'published' && plan.revision_state === 'in_review';
  const authors = (plan.authors ?? []).map((a) => a.name).join(', ');
  return (
    <li className="flex flex-wrap items-start gap-x-4 gap-y-1 px-5 py-4">
      <div className="min-w-0 flex-1">
        <Link to={`/plans/${plan.id}`} className="font-serif text-lg text-ink underline-offset-4 hover:underline">
          {plan.title || t('untitled')}
        </Link>
        {plan.subtitle && <p className="truncate text-sm text-muted">{plan.subtitle}</p>}
        <p className="mt-1 text-sm text-muted">
          {[authors, t('days.count', { count: plan.days }), t(`tradition.${plan.tradition}`), t('list.updated', { date: updated })]
            .filter(Boolean)
            .join(' · ')}
        </p>
        {sentBack && (
          <p className="mt-1 text-sm text-accent">
            {t('list.sentBack')}: <span className="text-ink">{plan.review_note}</span>
          </p>
        )}
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <StatusBadge status={plan.status} />
        {newDraft && !sentBack && <span className="text-xs text-muted">{t('list.changesInDraft')}</span>}
        {newInReview && <span className="text-xs text-muted">{t('list.changesInReview')}</span>}
      </div>
    </li>
  );
}

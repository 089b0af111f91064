import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/problem';
import { PageSkeleton } from '../../components/page-skeleton';
import { QueryError } from '../../components/query-error';
import { When } from '../audit/when';
import { usePublishedRevision, useReviewPlan } from './api';
import { DayCard } from './day-diff';
import { Decision } from './decision';
import { MetaDiff } from './meta-diff';
import { dayBlocks, diffPlan, hasChanges, type DayDiff, type PlanBody } from './plan-diff';

const backLink = 'text-accent underline decoration-accent/40 underline-offset-4 hover:decoration-accent';

/** /admin/review/:id: what changed since the published revision, and the reviewer's decision. */
export function Component() {
  const { id = '' } = useParams();
  const { t } = useTranslation('review');
  const { t: ta } = useTranslation('admin');
  const plan = useReviewPlan(id);
  const published = usePublishedRevision(id, plan.isSuccess && plan.data.has_published);

  const title = plan.data?.title || t('untitled');
  const head = <title>{`${plan.data ? t('review.title', { title }) : t('queue.title')} · ${ta('name')}`}</title>;

  if (plan.isPending || (plan.data?.has_published && published.isPending)) return (
    <>
      {head}
      <PageSkeleton />
    </>
  );
  if (plan.isError) {
    const missing = plan.error instanceof ApiError && plan.error.status === 404;
    return (
      <section className="py-6">
        {head}
        <p>
          <Link to="/review" className={backLink}>
            {t('review.back')}
          </Link>
        </p>
        {missing ? (
          <>
            <h1 className="mt-4 font-serif text-3xl">{t('review.missingTitle')}</h1>
            <p className="mt-3 text-muted">{t('review.missingBody')}</p>
          </>
        ) : (
          <div className="mt-4">
            <QueryError error={plan.error} onRetry={() => void plan.refetch()} />
          </div>
        )}
      </section>
    );
  }
  if (published.isError) {
    return (
      <section className="py-6">
        {head}
        <QueryError error={published.error} onRetry={() => void published.refetch()} />
      </section>
    );
  }
  return (
    <>
      {head}
      <Review current={plan.data} published={plan.data.has_published ? (published.data ?? null) : null} />
    </>
  );
}

function Review({ current, published }: { current: PlanBody; published: PlanBody | null }) {
  const { t } = useTranslation('review');
  const diff = useMemo(() => diffPlan(published, current), [published, current]);
  // A new plan is all additions: show it whole. An update: only what changed.
  const [onlyChanges, setOnlyChanges] = useState(!diff.isNew);
  const inReview = current.revision.state === 'in_review';
  const title = current.title || t('untitled');
  const authors = (current.authors ?? []).map((a) => a.name).join(', ');

  return (
    <article aria-labelledby="review-title">
      <p>
        <Link to="/review" className={backLink}>
          {t('review.back')}
        </Link>
      </p>
      <header className="mt-4">
        <p className="text-sm text-muted">
          <span className="inline-block rounded-full border border-ink/15 px-2.5 py-0.5 text-ink">{diff.isNew ? t('queue.new') : t('queue.update')}</span>{' '}
          {t('review.revision', { number: current.revision.number })}
          {current.revision.submitted_at && (
            <>
              {' · '}
              {t('review.submitted')} <When at={current.revision.submitted_at} />
            </>
          )}
        </p>
        <h1 id="review-title" className="mt-2 font-serif text-3xl text-balance">
          {t('review.title', { title })}
        </h1>
        {authors && <p className="mt-1 text-muted">{t('review.by', { names: authors })}</p>}
      </header>

      {!inReview && (
        <p role="status" className="mt-4 rounded-lg border border-ink/20 bg-ink/5 px-4 py-3">
          {t('review.notInReview', { status: t(`planStatus.${current.status}`, { defaultValue: current.status }) })}
        </p>
      )}

      <section aria-labelledby="review-summary" className="mt-6">
        <h2 id="review-summary" className="sr-only">
          {t('review.summary')}
        </h2>
        <p>
          {diff.isNew
            ? t('review.summaryNew', { count: diff.counts.daysAdded })
            : hasChanges(diff)
              ? t('review.summaryUpdate', {
                  added: diff.counts.daysAdded,
                  removed: diff.counts.daysRemoved,
                  changed: diff.counts.daysChanged,
                  unchanged: diff.counts.daysUnchanged,
                })
              : t('review.summaryNothing')}
        </p>
        <fieldset className="mt-4 inline-flex rounded-lg border border-ink/20 p-1">
          <legend className="sr-only">{t('review.show')}</legend>
          {[true, false].map((value) => (
            <label
              key={String(value)}
              className={`cursor-pointer rounded-md px-3 py-1.5 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-accent ${
                onlyChanges === value ? 'bg-ink/10 font-semibold' : 'text-muted'
              }`}
            >
              <input type="radio" name="show" className="sr-only" checked={onlyChanges === value} onChange={() => setOnlyChanges(value)} />
              {value ? t('review.onlyChanges') : t('review.everything')}
            </label>
          ))}
        </fieldset>
      </section>

      <section aria-labelledby="review-details" className="mt-8">
        <h2 id="review-details" className="font-serif text-2xl">
          {t('review.details')}
        </h2>
        <div className="mt-3">
          <MetaDiff diff={diff} published={published} current={current} onlyChanges={onlyChanges} />
        </div>
      </section>

      <section aria-labelledby="review-days" className="mt-8">
        <h2 id="review-days" className="font-serif text-2xl">
          {t('review.days')}
        </h2>
        <Days days={diff.days} onlyChanges={onlyChanges} />
      </section>

      {inReview && <Decision id={current.id} title={title} />}
    </article>
  );
}

function Days({ days, onlyChanges }: { days: DayDiff[]; onlyChanges: boolean }) {
  const { t } = useTranslation('review');
  // Runs of unchanged days the reviewer opened, by their first day's number.
  const [opened, setOpened] = useState<Set<number>>(new Set());
  if (days.length === 0) return <p className="mt-3 text-muted">{t('review.noDays')}</p>;
  return (
    <ol className="mt-3 space-y-4">
      {dayBlocks(days, onlyChanges).map((block) => {
        if (block.kind === 'day') {
          const d = block.day;
          return (
            <li key={`${d.status}-${d.beforeNumber ?? ''}-${d.number ?? ''}`}>
              <DayCard day={d} onlyChanges={onlyChanges} />
            </li>
          );
        }
        const first = block.days[0]!.number!;
        const last = block.days[block.days.length - 1]!.number!;
        if (opened.has(first)) {
          return block.days.map((d) => (
            <li key={`unchanged-${d.number}`}>
              <DayCard day={d} onlyChanges={false} />
            </li>
          ));
        }
        return (
          <li key={`unchanged-${first}`} className="flex flex-wrap items-center gap-3 rounded-xl border border-dashed border-ink/15 px-5 py-3 text-muted">
            <span>
              {first === last ? t('review.dayUnchanged', { number: first }) : t('review.daysUnchanged', { first, last })}
              {block.days.some((d) => d.beforeNumber !== d.number) &&
                ` ${first === last ? t('review.wasDay', { number: block.days[0]!.beforeNumber }) : t('review.wereDays', { first: block.days[0]!.beforeNumber, last: block.days[block.days.length - 1]!.beforeNumber })}`}
            </span>
            <button
              type="button"
              onClick={() => setOpened((s) => new Set(s).add(first))}
              className="text-accent underline decoration-accent/40 underline-offset-4 hover:decoration-accent"
            >
              {t('review.showDays', { count: block.days.length })}
            </button>
          </li>
        );
      })}
    </ol>
  );
}

// /admin/plans/:id: the plan editor. The plan's details on one side, its
// days on the other; every change saves by itself through the plan's save
// queue, whose state is always in view.
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { buttonStyle } from '../../components/form';
import { PageSkeleton } from '../../components/page-skeleton';
import { QueryError } from '../../components/query-error';
import { Spinner } from '../../components/spinner';
import { useSession } from '../../features/auth/session';
import { problemWords } from '../../lib/problem-words';
import { deletePlan, fetchPlan, studioKeys, useStudioPlan, type StudioPlan } from './api';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ConflictDialog } from './conflict-dialog';
import { DaysEditor, OpError } from './days-editor';
import { EditorContext, useEditor, type Editor } from './editor-context';
import { ExportPlanLink } from './import-export';
import { PlanNotFound } from './not-found';
import { PlanDetails } from './plan-details';
import { closeSession, isNotFound, sessionFor } from './plan-session';
import { SaveStatus } from './save-status';
import { StatusBadge } from './status-badge';
import { GapList, SubmitButton, type Gap } from './submit-panel';

export function Component() {
  const { id = '' } = useParams();
  const query = useStudioPlan(id);
  if (query.isPending) return <PageSkeleton />;
  if (query.isError) {
    if (isNotFound(query.error)) return <PlanNotFound />;
    return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  }
  return <PlanEditor key={id} loaded={query.data} />;
}

function PlanEditor({ loaded }: { loaded: StudioPlan }) {
  const queryClient = useQueryClient();
  const owner = useSession().user?.id ?? '';
  // One session per plan, for the whole visit (the component is keyed by the plan's id).
  const [session] = useState(() => sessionFor(owner, loaded, queryClient));
  const snapshot = useSyncExternalStore(session.subscribe, session.getSnapshot);

  // A plan loaded afresh (the page opened again later) is taken when nothing is unsaved here.
  useEffect(() => {
    session.adopt(loaded);
  }, [session, loaded]);

  // Coming back to the tab: show what was saved elsewhere meanwhile, if nothing here is unsaved.
  useEffect(() => {
    const refresh = () => {
      if (document.visibilityState !== 'visible' || session.queue.hasUnsaved()) return;
      fetchPlan(session.id).then(
        (fresh) => session.adopt(fresh),
        () => undefined, // the next save tells
      );
    };
    document.addEventListener('visibilitychange', refresh);
    return () => document.removeEventListener('visibilitychange', refresh);
  }, [session]);

  const locked = snapshot.plan.revision.state === 'in_review';
  const editor = useMemo<Editor>(() => ({ session, snapshot, locked }), [session, snapshot, locked]);
  return (
    <EditorContext value={editor}>
      <EditorPage />
      <ConflictDialog />
    </EditorContext>
  );
}

function EditorPage() {
  const { t, i18n } = useTranslation('studio');
  const { session, snapshot, locked } = useEditor();
  const plan = snapshot.plan;
  const [open, setOpenState] = useState<Set<string>>(() => new Set(session.days().length === 1 ? [session.days()[0]!.key] : []));
  const [gaps, setGaps] = useState<Gap[]>([]);
  const [submitError, setSubmitError] = useState<unknown>();
  const title = session.value('plan.title', 'title', plan.title) || t('untitled');
  const date = (iso: string | undefined) => (iso ? new Date(iso).toLocaleDateString(i18n.language, { dateStyle: 'long' }) : '');

  const setOpen = useCallback((key: string, o: boolean) => {
    setOpenState((s) => {
      const next = new Set(s);
      if (o) next.add(key);
      else next.delete(key);
      return next;
    });
  }, []);

  const openDay = (n: number) => {
    const key = session.keyOf(n);
    if (!key) return;
    setOpen(key, true);
    requestAnimationFrame(() => {
      const el = document.getElementById(`day-${key}`);
      el?.scrollIntoView({ block: 'start', behavior: 'smooth' });
      el?.querySelector<HTMLElement>('button[aria-expanded]')?.focus({ preventScroll: true });
    });
  };

  // The gaps the server listed, less those mended since.
  const days = plan.days ?? [];
  const openGaps = gaps.filter((g) =>
    g.about === 'days'
      ? days.length === 0
      : g.about === 'authors'
        ? (plan.authors ?? []).length === 0
        : g.about === 'day' && g.day !== undefined
          ? !!days[g.day - 1] && !days[g.day - 1]!.items?.length && !days[g.day - 1]!.tasks?.length
          : true,
  );

  const revision = plan.revision;
  let line: string;
  if (plan.status === 'archived') line = t('revision.archived');
  else if (revision.state === 'in_review') line = t('revision.inReview', { date: date(revision.submitted_at) });
  else if (revision.state === 'published') line = t('revision.published', { date: date(plan.first_published_at) });
  else if (revision.review_note) line = t('revision.sentBack');
  else if (plan.has_published) line = t('revision.draftOfPublished', { n: revision.number });
  else line = t('revision.draft');

  return (
    <div className="space-y-6">
      <title>{`${title} · ${t('name', { ns: 'admin' })}`}</title>
      <nav aria-label={t('breadcrumb')} className="text-sm">
        <Link to="/plans" className="text-accent underline decoration-accent/40 underline-offset-4">
          {t('list.title')}
        </Link>
        <span aria-hidden="true" className="text-muted">
          {' '}
          /
        </span>
      </nav>
      <header className="flex flex-wrap items-start justify-between gap-4 border-b border-ink/10 pb-5">
        <div className="min-w-64 flex-1">
          <h1 className="font-serif text-3xl text-balance">{title}</h1>
          <p className="mt-2 flex flex-wrap items-center gap-2 text-sm text-muted">
            <StatusBadge status={plan.status} />
            <span>{line}</span>
          </p>
        </div>
        <div className="flex flex-col items-end gap-3">
          <div className="flex flex-wrap items-center justify-end gap-3">
            <ExportPlanLink planId={plan.id} slug={plan.slug} />
            <SubmitButton
              onGaps={(g, error) => {
                setGaps(g);
                setSubmitError(error);
              }}
            />
          </div>
          <SaveStatus />
        </div>
      </header>

      {revision.state === 'draft' && revision.review_note && (
        <section aria-labelledby="review-note" className="rounded-xl border-l-4 border-accent bg-accent/10 px-5 py-4">
          <h2 id="review-note" className="font-serif text-xl">
            {t('review.sentBack')}
          </h2>
          <p className="mt-2 whitespace-pre-line">{revision.review_note}</p>
          {revision.reviewed_at && <p className="mt-2 text-sm text-muted">{t('review.on', { date: date(revision.reviewed_at) })}</p>}
        </section>
      )}
      {locked && (
        <p className="rounded-xl border border-ink/10 bg-surface px-5 py-4">{t('review.locked')}</p>
      )}
      <GapList gaps={openGaps} error={submitError} onOpenDay={openDay} />
      <OpError />

      <fieldset disabled={locked} className="min-w-0 xl:grid xl:grid-cols-[minmax(0,5fr)_minmax(0,7fr)] xl:gap-10">
        <section aria-labelledby="details-title" className="min-w-0">
          <h2 id="details-title" className="mb-4 font-serif text-2xl">
            {t('details.heading')}
          </h2>
          <PlanDetails />
        </section>
        <section aria-labelledby="days-title" className="mt-10 min-w-0 xl:mt-0">
          <h2 id="days-title" tabIndex={-1} className="mb-4 font-serif text-2xl">
            {t('days.heading')}
          </h2>
          <DaysEditor open={open} setOpen={setOpen} gaps={new Set(openGaps.flatMap((g) => (g.day ? [g.day] : [])))} />
        </section>
      </fieldset>

      {!plan.first_published_at && <DeletePlan />}
    </div>
  );
}

/** Deleting a plan that was never published. */
function DeletePlan() {
  const { t } = useTranslation('studio');
  const { session, snapshot } = useEditor();
  const queryClient = useQueryClient();
  const owner = useSession().user?.id ?? '';
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>();
  const remove = async () => {
    setConfirming(false);
    setPending(true);
    setError(undefined);
    try {
      await deletePlan(session.id);
      closeSession(owner, session.id);
      queryClient.removeQueries({ queryKey: studioKeys.plan(session.id) });
      await queryClient.invalidateQueries({ queryKey: studioKeys.lists() });
      void navigate('/plans', { replace: true });
    } catch (e) {
      setError(e);
      setPending(false);
    }
  };
  return (
    <section aria-labelledby="danger-title" className="mt-12 rounded-xl border border-danger/30 p-5">
      <h2 id="danger-title" className="font-serif text-xl">
        {t('delete.heading')}
      </h2>
      <p className="mt-1 text-muted">{t('delete.body')}</p>
      {error !== undefined && (
        <p role="alert" className="mt-3 text-danger">
          {problemWords(error, t)}
        </p>
      )}
      <button
        type="button"
        onClick={() => !pending && !snapshot.busy && setConfirming(true)}
        aria-disabled={pending || snapshot.busy || undefined}
        className={`mt-4 ${buttonStyle('danger')}`}
      >
        {pending && <Spinner />}
        {t('delete.button')}
      </button>
      <ConfirmDialog
        open={confirming}
        title={t('delete.confirmTitle', { title: snapshot.plan.title })}
        confirm={t('delete.confirm')}
        danger
        onConfirm={() => void remove()}
        onCancel={() => setConfirming(false)}
        body={t('delete.confirmBody')}

        cancel={t('cancel')}

      />
    </section>
  );
}

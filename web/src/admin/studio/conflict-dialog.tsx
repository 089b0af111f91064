// When someone else saved the plan meanwhile (another tab, a co-author),
// the save queue stops and this asks what to do: take their version (after
// confirming that the unsaved changes here go), or send these changes
// again over theirs. Nothing is dropped without the person choosing it.
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { buttonStyle } from '../../components/form';
import { Spinner } from '../../components/spinner';
import { problemWords } from '../../lib/problem-words';
import { useEditor } from './editor-context';
import { isNotFound, type PlanSession, type StudioOp, type Target } from './plan-session';
import type { Write } from './save-queue';

/** A few words for an unsaved change: "Title", "Day 3: introduction". */
function useDescribe(session: PlanSession) {
  const { t } = useTranslation('studio');
  const plan = session.getSnapshot().plan;
  const dayName = (key: string) => t('conflict.day', { n: session.numberOf(key) ?? '?' });
  const entry = (day: string, id: string, kind: 'items' | 'tasks') => {
    const d = plan.days?.[(session.numberOf(day) ?? 0) - 1];
    const found = d?.[kind]?.find((x) => x.id === id);
    return found && 'title' in found ? found.title : found && 'kind' in found ? t(`taskKind.${found.kind}`) : '';
  };
  return (w: Write<Target, StudioOp>): string => {
    if (w.kind === 'edit') {
      const fields = Object.keys(w.fields)
        .map((f) => t(`field.${f}`, { defaultValue: f }))
        .join(', ');
      switch (w.target.type) {
        case 'plan':
          return fields;
        case 'day':
          return `${dayName(w.target.day)}: ${fields}`;
        case 'item':
          return `${dayName(w.target.day)} · ${t('conflict.item', { title: entry(w.target.day, w.target.id, 'items') })}: ${fields}`;
        case 'task':
          return `${dayName(w.target.day)} · ${t('conflict.task', { title: entry(w.target.day, w.target.id, 'tasks') })}: ${fields}`;
      }
    }
    const op = w.op;
    return op.type === 'submit' || op.type === 'reorderDays' || op.type === 'addDay'
      ? t(`conflict.op.${op.type}`)
      : `${dayName(op.day)}: ${t(`conflict.op.${op.type}`)}`;
  };
}

export function ConflictDialog() {
  const { t } = useTranslation('studio');
  const { session, snapshot } = useEditor();
  const conflict = snapshot.conflict;
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const [confirming, setConfirming] = useState(false);
  const [working, setWorking] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  const describe = useDescribe(session);
  const open = !!conflict;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
    if (!open) {
      setConfirming(false);
      setFailure(undefined);
    }
  }, [open]);

  const writes = open ? session.queue.writes() : [];
  const fresh = conflict?.fresh;
  const inReview = fresh?.revision.state === 'in_review';

  const reload = async () => {
    setWorking(true);
    setFailure(undefined);
    try {
      await session.reload();
    } catch (error) {
      setFailure(error);
    } finally {
      setWorking(false);
    }
  };

  let body;
  if (conflict?.error) {
    body = isNotFound(conflict.error) ? (
      <>
        <h2 id={`${id}-title`} className="font-serif text-xl">
          {t('conflict.goneTitle')}
        </h2>
        <p className="mt-2 text-muted">{t('conflict.goneBody')}</p>
        <p className="mt-6 text-right">
          <Link to="/plans" className={buttonStyle('primary')}>
            {t('notFound.back')}
          </Link>
        </p>
      </>
    ) : (
      <>
        <h2 id={`${id}-title`} className="font-serif text-xl">
          {t('conflict.title')}
        </h2>
        <p role="alert" className="mt-2 text-danger">
          {problemWords(conflict.error, t)}
        </p>
        <p className="mt-6 text-right">
          <button type="button" className={buttonStyle('primary')} onClick={() => void reload()}>
            {t('tryAgain')}
          </button>
        </p>
      </>
    );
  } else if (!fresh) {
    body = (
      <>
        <h2 id={`${id}-title`} className="font-serif text-xl">
          {t('conflict.title')}
        </h2>
        <p role="status" className="mt-4 flex items-center gap-2 text-muted">
          <Spinner /> {t('conflict.loading')}
        </p>
      </>
    );
  } else if (confirming) {
    body = (
      <>
        <h2 id={`${id}-title`} className="font-serif text-xl">
          {t('conflict.confirmTitle')}
        </h2>
        <p className="mt-2 text-muted">{t('conflict.confirmBody', { count: writes.length })}</p>
        {failure !== undefined && (
          <p role="alert" className="mt-3 text-danger">
            {problemWords(failure, t)}
          </p>
        )}
        <div className="mt-6 flex flex-wrap justify-end gap-3">
          <button type="button" className={buttonStyle('quiet')} onClick={() => setConfirming(false)} autoFocus>
            {t('conflict.keepMine')}
          </button>
          <button type="button" className={buttonStyle('danger')} onClick={() => void reload()} aria-disabled={working || undefined}>
            {working && <Spinner />}
            {t('conflict.dropAndReload')}
          </button>
        </div>
      </>
    );
  } else {
    body = (
      <>
        <h2 id={`${id}-title`} className="font-serif text-xl">
          {inReview ? t('conflict.inReviewTitle') : t('conflict.title')}
        </h2>
        <p className="mt-2 text-muted">{inReview ? t('conflict.inReviewBody') : t('conflict.body')}</p>
        {writes.length > 0 && (
          <>
            <p className="mt-4 font-medium">{t('conflict.yours', { count: writes.length })}</p>
            <ul className="mt-1 max-h-48 list-disc overflow-y-auto pl-6 text-sm text-muted">
              {writes.map((w, i) => (
                <li key={i}>{describe(w)}</li>
              ))}
            </ul>
          </>
        )}
        <div className="mt-6 flex flex-wrap justify-end gap-3">
          <button type="button" className={buttonStyle('quiet')} onClick={() => setConfirming(true)} autoFocus={inReview}>
            {t('conflict.reload')}
          </button>
          {!inReview && (
            <button type="button" className={buttonStyle('primary')} onClick={() => session.overwrite()} autoFocus>
              {t('conflict.overwrite')}
            </button>
          )}
        </div>
      </>
    );
  }

  return (
    <dialog
      ref={ref}
      // A choice must be made: Escape does not close it.
      onCancel={(e) => e.preventDefault()}
      aria-labelledby={`${id}-title`}
      className="m-auto w-[calc(100%-2rem)] max-w-lg rounded-2xl border border-ink/10 bg-surface p-6 text-ink shadow-xl backdrop:bg-ink/40"
    >
      {open && body}
    </dialog>
  );
}

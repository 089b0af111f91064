// Plan folders in and out of the studio: import a zip as a new draft plan
// (with upload progress, a way to stop, and every problem the folder has
// listed), and download a plan as a zip to edit elsewhere or keep.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { buttonStyle } from '../../components/form';
import { Spinner } from '../../components/spinner';
import { problemWords } from '../../lib/problem-words';
import { formatBytes, percentOf, progressStep } from '../media/format';
import { ProgressBar } from '../media/progress-bar';
import { checkZip, exportPlanFolder, importPlanFolder, importProblems, planZipLimit, saveBlob, zipName } from '../media/plan-folder';
import { isAbort } from '../media/xhr';

// Progress and problems open under the button, over the page, so that the
// header the button sits in keeps its layout.
const panel = 'absolute left-0 top-full z-20 mt-2 w-[min(30rem,calc(100vw-2rem))] rounded-lg border p-3 shadow-lg';

type ImportState =
  | { phase: 'idle' }
  | { phase: 'sending'; name: string; loaded: number; total: number }
  | { phase: 'reading'; name: string }
  | { phase: 'failed'; name: string; message: string; problems: string[] };

/** Imports a plan folder (.zip) as a new draft plan and opens it. */
export function ImportPlanButton() {
  const { t, i18n } = useTranslation('media');
  const id = useId();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const stop = useRef<AbortController | null>(null);
  const announced = useRef(-1);
  const [state, setState] = useState<ImportState>({ phase: 'idle' });
  const [notice, setNotice] = useState('');
  const limit = formatBytes(planZipLimit, i18n.language);

  // Leaving the page stops an import under way.
  useEffect(() => () => stop.current?.abort(), []);

  async function start(file: File) {
    const name = file.name;
    const wrong = checkZip(file);
    if (wrong) {
      const message =
        wrong === 'too-large' ? t('planFolder.tooLarge', { name, size: formatBytes(file.size, i18n.language), limit }) : t('planFolder.notZip', { name });
      setState({ phase: 'failed', name, message, problems: [] });
      return;
    }
    const controller = new AbortController();
    stop.current = controller;
    announced.current = -1;
    setState({ phase: 'sending', name, loaded: 0, total: file.size });
    try {
      const plan = await importPlanFolder(file, {
        signal: controller.signal,
        onProgress: (loaded, total) => {
          if (controller.signal.aborted) return;
          const step = progressStep(percentOf(loaded, total));
          if (step !== announced.current) {
            announced.current = step;
            setNotice(t('planFolder.announce', { name, percent: step }));
          }
          // All sent: the server now reads the folder and stores its media.
          setState(loaded >= total ? { phase: 'reading', name } : { phase: 'sending', name, loaded, total });
          if (loaded >= total) setNotice(t('planFolder.reading'));
        },
      });
      setState({ phase: 'idle' });
      setNotice(t('planFolder.done', { title: plan.title }));
      void queryClient.invalidateQueries({ queryKey: ['studio', 'plans'] });
      void navigate(`/plans/${plan.id}`);
    } catch (error) {
      if (isAbort(error)) {
        setState({ phase: 'idle' });
        setNotice(t('planFolder.cancelled'));
        button.current?.focus();
        return;
      }
      setState({ phase: 'failed', name, message: problemWords(error, t), problems: importProblems(error) });
    } finally {
      if (stop.current === controller) stop.current = null;
    }
  }

  const busy = state.phase === 'sending' || state.phase === 'reading';
  return (
    <div className="relative inline-block">
      <button
        ref={button}
        type="button"
        onClick={() => !busy && input.current?.click()}
        aria-disabled={busy || undefined}
        aria-describedby={`${id}-hint`}
        className={`${buttonStyle('quiet')} ${busy ? 'cursor-progress opacity-70' : ''}`}
      >
        {busy && <Spinner />}
        {t('planFolder.import')}
      </button>
      <p id={`${id}-hint`} className="sr-only">
        {t('planFolder.importHint', { limit })}
      </p>
      <input
        ref={input}
        type="file"
        hidden
        accept=".zip,application/zip"
        aria-label={t('planFolder.inputLabel')}
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          e.currentTarget.value = '';
          if (file) void start(file);
        }}
      />
      {busy && (
        <div className={`${panel} space-y-2 border-ink/10 bg-surface`}>
          <p id={`${id}-progress`} className="text-sm font-medium break-all">
            {t('planFolder.uploading', { name: state.name })}
          </p>
          {state.phase === 'sending' ? (
            <>
              <ProgressBar labelledBy={`${id}-progress`} value={state.loaded} max={state.total} />
              <p className="text-sm text-muted tabular-nums">
                {t('planFolder.progress', {
                  percent: percentOf(state.loaded, state.total),
                  loaded: formatBytes(state.loaded, i18n.language),
                  total: formatBytes(state.total, i18n.language),
                })}
              </p>
            </>
          ) : (
            <p className="flex items-center gap-2 text-sm text-muted">
              <Spinner />
              {t('planFolder.reading')}
            </p>
          )}
          <button type="button" onClick={() => stop.current?.abort()} className={buttonStyle('quiet')}>
            {t('planFolder.cancel')}
          </button>
        </div>
      )}
      {state.phase === 'failed' && (
        <div role="alert" className={`${panel} border-danger/40 bg-surface text-sm`}>
          <p className="font-semibold text-danger break-all">{t('planFolder.failed', { name: state.name })}</p>
          {state.problems.length > 0 ? (
            <>
              <p className="mt-1">{t('planFolder.problems', { count: state.problems.length })}</p>
              <ul className="mt-1 list-disc space-y-0.5 pl-5">
                {state.problems.map((line) => (
                  <li key={line} className="break-words">
                    {line}
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p className="mt-1">{state.message}</p>
          )}
          <p className="mt-2 text-muted">{t('planFolder.importHint', { limit })}</p>
          <button
            type="button"
            onClick={() => {
              setState({ phase: 'idle' });
              button.current?.focus();
            }}
            className={`mt-2 ${buttonStyle('quiet')}`}
          >
            {t('planFolder.dismiss')}
          </button>
        </div>
      )}
      <p aria-live="polite" className="sr-only">
        {notice}
      </p>
    </div>
  );
}

/** Downloads a plan as its folder's zip, named after its slug. */
export function ExportPlanLink({ planId, slug }: { planId: string; slug: string }) {
  const { t } = useTranslation('media');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState('');
  const stop = useRef<AbortController | null>(null);
  useEffect(() => () => stop.current?.abort(), []);

  async function download() {
    if (pending) return;
    const controller = new AbortController();
    stop.current = controller;
    setPending(true);
    setError(undefined);
    setNotice(t('planFolder.exporting'));
    try {
      const blob = await exportPlanFolder(planId, { signal: controller.signal });
      const file = zipName(slug);
      saveBlob(blob, file);
      setNotice(t('planFolder.exported', { file }));
    } catch (e) {
      if (isAbort(e)) return;
      setNotice('');
      setError(t('planFolder.exportFailed', { reason: problemWords(e, t) }));
    } finally {
      if (!controller.signal.aborted) setPending(false);
    }
  }

  return (
    <div className="inline-flex flex-col items-start gap-1">
      <button
        type="button"
        onClick={() => void download()}
        aria-disabled={pending || undefined}
        className={`${buttonStyle('quiet')} ${pending ? 'cursor-progress opacity-70' : ''}`}
      >
        {pending && <Spinner />}
        {pending ? t('planFolder.exporting') : t('planFolder.export')}
      </button>
      {error && (
        <p role="alert" className="text-sm text-danger">
          {error}
        </p>
      )}
      <p aria-live="polite" className="sr-only">
        {notice}
      </p>
    </div>
  );
}

// The save state of the plan, always in view: saved, saving, retrying,
// offline, or stopped with what to do about it.
import { useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { Spinner } from '../../components/spinner';
import { problemWords } from '../../lib/problem-words';
import { useEditor } from './editor-context';

function subscribeOnline(change: () => void) {
  window.addEventListener('online', change);
  window.addEventListener('offline', change);
  return () => {
    window.removeEventListener('online', change);
    window.removeEventListener('offline', change);
  };
}

/** Whether the browser is online, following it. */
export function useOnline(): boolean {
  return useSyncExternalStore(subscribeOnline, () => navigator.onLine, () => true);
}

export function SaveStatus() {
  const { t } = useTranslation('studio');
  const { session, snapshot } = useEditor();
  const online = useOnline();
  const { status, error, invalid } = snapshot.queue;
  const offline = !online && status !== 'saved' && status !== 'conflict' && status !== 'invalid';

  let words: string;
  let tone = 'text-muted';
  let busy = false;
  let action: { label: string; run: () => void } | undefined;
  if (offline || status === 'offline') {
    words = t('save.offline');
    tone = 'text-danger';
  } else {
    switch (status) {
      case 'saved':
        words = t('save.saved');
        break;
      case 'waiting':
      case 'saving':
        words = t('save.saving');
        busy = true;
        break;
      case 'retrying':
        words = t('save.retrying');
        tone = 'text-danger';
        action = { label: t('save.tryNow'), run: () => session.queue.online() };
        break;
      case 'conflict':
        words = t('save.conflict');
        tone = 'text-danger';
        break;
      case 'invalid':
        words = t('save.invalid', { count: invalid });
        tone = 'text-danger';
        break;
      case 'failed':
        words = t('save.failed', { problem: problemWords(error, t) });
        tone = 'text-danger';
        action = { label: t('save.tryAgain'), run: () => session.queue.resume() };
        break;
    }
  }

  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
      <p role="status" className={`inline-flex items-center gap-2 ${tone}`}>
        {busy ? <Spinner /> : <span aria-hidden="true">{status === 'saved' && !offline ? '✓' : '•'}</span>}
        {words}
      </p>
      {action && (
        <button type="button" onClick={action.run} className="rounded-md px-2 py-1 text-accent underline underline-offset-4 hover:bg-ink/5">
          {action.label}
        </button>
      )}
    </div>
  );
}

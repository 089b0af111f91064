import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../components/query-error';
import { dateLocale, formatInstant } from '../../../lib/calendar-date';
import { useSession } from '../../auth/session';
import { createAutosave, type Autosave, type AutosaveStatus } from '../autosave';
import { saveJournal } from '../api/save-journal';
import { useJournal } from '../api/use-journal';

interface EditorProps {
  enrollmentId: string;
  day: number;
  initial: string;
  updatedAt: string | undefined;
}

function JournalEditor({ enrollmentId, day, initial, updatedAt }: EditorProps) {
  const { t, i18n } = useTranslation('today');
  const { user } = useSession();
  const id = useId();
  const [text, setText] = useState(initial);
  const [status, setStatus] = useState<AutosaveStatus>();
  const [savedAt, setSavedAt] = useState(updatedAt);
  const autosave = useRef<Autosave>(null);

  useEffect(() => {
    const saver = createAutosave({
      save: async (body, at, leaving) => setSavedAt((await saveJournal(enrollmentId, day, body, at, leaving)).updated_at),
      onStatus: setStatus,
    });
    autosave.current = saver;
    const leave = () => void saver.flush(true);
    const onHidden = () => document.visibilityState === 'hidden' && leave();
    window.addEventListener('pagehide', leave);
    document.addEventListener('visibilitychange', onHidden);
    return () => {
      window.removeEventListener('pagehide', leave);
      document.removeEventListener('visibilitychange', onHidden);
      leave();
      saver.dispose();
    };
  }, [enrollmentId, day]);

  const time = (at: string) => formatInstant(at, dateLocale(i18n.language), user?.timezone, { timeStyle: 'short' });
  const words: Record<AutosaveStatus, string> = {
    unsaved: '',
    saving: t('journal.saving'),
    saved: savedAt ? t('journal.saved', { time: time(savedAt) }) : '',
    failed: t('journal.failed'),
  };
  const said = status ? words[status] : savedAt ? t('journal.lastSaved', { time: time(savedAt) }) : '';

  return (
    <div>
      <label htmlFor={id} className="sr-only">
        {t('journal.label', { day })}
      </label>
      <textarea
        id={id}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          autosave.current?.edit(e.target.value);
        }}
        onBlur={() => void autosave.current?.flush()}
        rows={6}
        placeholder={t('journal.placeholder')}
        aria-describedby={`${id}-hint ${id}-status`}
        className="block w-full resize-y rounded-xl border border-ink/15 bg-surface px-4 py-3 font-serif text-reading placeholder:text-muted/70 focus:border-accent"
      />
      <div className="mt-2 flex flex-wrap justify-between gap-x-4 text-sm text-muted">
        <p id={`${id}-hint`}>{t('journal.hint')}</p>
        <p id={`${id}-status`} role="status" className={status === 'failed' ? 'text-danger' : ''}>
          {said}
        </p>
      </div>
    </div>
  );
}

/** The private reflection on a day, saved as it is written. */
export function Journal({ enrollmentId, day }: { enrollmentId: string; day: number }) {
  const { t } = useTranslation('today');
  const journal = useJournal(enrollmentId, day);
  return (
    <section aria-labelledby="journal-title" className="mx-auto max-w-2xl">
      <h2 id="journal-title" className="font-serif text-2xl">
        {t('journal.title')}
      </h2>
      <div className="mt-4">
        {journal.isPending ? (
          <div aria-busy="true" className="h-40 animate-pulse rounded-xl bg-ink/5" />
        ) : journal.isError ? (
          <QueryError error={journal.error} onRetry={() => void journal.refetch()} />
        ) : (
          <JournalEditor
            key={`${enrollmentId}:${day}`}
            enrollmentId={enrollmentId}
            day={day}
            initial={journal.data.body}
            updatedAt={journal.data.updated_at}
          />
        )}
      </div>
    </section>
  );
}

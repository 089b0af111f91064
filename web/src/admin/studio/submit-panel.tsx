// Sending the plan to the reviewers, once everything is saved; the server
// lists every gap at once (no author, no days, an empty day), each with a
// way to it.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { buttonStyle } from '../../components/form';
import { Spinner } from '../../components/spinner';
import { problemWords } from '../../lib/problem-words';
import { useEditor } from './editor-context';
import { gapsOf, type Gap } from './words';

export type { Gap };

export function SubmitButton({ onGaps }: { onGaps: (gaps: Gap[], error?: unknown) => void }) {
  const { t } = useTranslation('studio');
  const { session, snapshot } = useEditor();
  const [pending, setPending] = useState(false);
  if (snapshot.plan.revision.state !== 'draft') return null;

  const submit = async () => {
    if (pending) return;
    setPending(true);
    onGaps([]);
    try {
      await session.submit();
    } catch (error) {
      const gaps = gapsOf(error);
      onGaps(gaps, gaps.length ? undefined : error);
    } finally {
      setPending(false);
    }
  };

  return (
    <button
      type="button"
      onClick={() => void submit()}
      aria-disabled={pending || snapshot.busy || undefined}
      className={`${buttonStyle('primary')} ${pending ? 'cursor-progress opacity-80' : ''}`}
    >
      {pending && <Spinner />}
      {t('submit.button')}
    </button>
  );
}

export function GapList({ gaps, error, onOpenDay }: { gaps: Gap[]; error?: unknown; onOpenDay: (n: number) => void }) {
  const { t } = useTranslation('studio');
  if (!gaps.length && error === undefined) return null;
  const link = 'text-accent underline underline-offset-4';
  return (
    <div role="alert" tabIndex={-1} className="rounded-xl border border-danger/30 bg-danger/5 px-4 py-3">
      {error !== undefined ? (
        <p className="text-danger">{t('submit.failed', { problem: problemWords(error, t) })}</p>
      ) : (
        <>
          <p className="font-medium text-danger">{t('submit.gaps')}</p>
          <ul className="mt-2 list-disc space-y-1 pl-6">
            {gaps.map((g, i) => (
              <li key={i}>
                {g.message}{' '}
                {g.about === 'day' && g.day !== undefined && (
                  <button type="button" className={link} onClick={() => onOpenDay(g.day!)}>
                    {t('submit.openDay', { n: g.day })}
                  </button>
                )}
                {g.about === 'authors' && (
                  <a href="#field-authors" className={link}>
                    {t('submit.toAuthors')}
                  </a>
                )}
                {g.about === 'days' && (
                  <a href="#add-day" className={link}>
                    {t('submit.toDays')}
                  </a>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

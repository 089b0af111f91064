import { useTranslation } from 'react-i18next';
import { problemWords } from '../lib/problem-words';
import { buttonStyle } from './form';

/** A request that failed, in words for people, with a way to ask again. */
export function QueryError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <div role="alert" className="rounded-xl border border-danger/30 bg-danger/5 p-5">
      <p>{problemWords(error, t)}</p>
      <button type="button" onClick={onRetry} className={`mt-3 ${buttonStyle('quiet')}`}>
        {t('tryAgain')}
      </button>
    </div>
  );
}

// The plan's authors, in display order: remove one, or find one by name
// and add it. Saved at once.
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Spinner } from '../../components/spinner';
import { useAuthorChoices, type Author } from './api';
import { smallButton } from './fields';
import { fold } from './words';

export function AuthorsField({
  ids,
  known,
  onEdit,
  error,
}: {
  ids: string[];
  /** Authors whose names are known (the plan's). */
  known: Author[];
  onEdit: (ids: string[]) => void;
  error?: string;
}) {
  const { t } = useTranslation('studio');
  const id = useId();
  const [query, setQuery] = useState('');
  const names = useRef(new Map<string, string>());
  for (const a of known) names.current.set(a.id, a.name);
  const choices = useAuthorChoices(query);
  const q = fold(query.trim());
  const found = (choices.data ?? []).filter((a) => !ids.includes(a.id) && fold(a.name).includes(q)).slice(0, 8);

  const add = (a: Author) => {
    names.current.set(a.id, a.name);
    onEdit([...ids, a.id]);
    setQuery('');
  };

  return (
    <fieldset id="field-authors" aria-describedby={error ? `${id}-error` : undefined} className="space-y-2">
      <legend className="font-medium">{t('field.author_ids')}</legend>
      {ids.length === 0 ? (
        <p className="text-sm text-muted">{t('authors.none')}</p>
      ) : (
        <ul className="flex flex-wrap gap-2">
          {ids.map((a) => {
            const name = names.current.get(a) ?? t('authors.unknown');
            return (
              <li key={a} className="inline-flex items-center gap-1 rounded-full border border-ink/15 bg-surface py-0.5 pl-3 pr-1 text-sm">
                {name}
                <button
                  type="button"
                  onClick={() => onEdit(ids.filter((x) => x !== a))}
                  aria-label={t('authors.remove', { name })}
                  className="rounded-full px-1.5 text-muted hover:bg-ink/5 hover:text-ink"
                >
                  <span aria-hidden="true">×</span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <div>
        <label htmlFor={`${id}-find`} className="text-sm text-muted">
          {t('authors.find')}
        </label>
        <input
          id={`${id}-find`}
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          autoComplete="off"
          className="mt-1 block w-full rounded-lg border border-ink/30 bg-surface px-3 py-2 shadow-xs focus:border-accent"
        />
        {q && (
          <div aria-live="polite" className="mt-1">
            {choices.isPending ? (
              <p className="flex items-center gap-2 text-sm text-muted">
                <Spinner /> {t('loading', { ns: 'common' })}
              </p>
            ) : found.length === 0 ? (
              <p className="text-sm text-muted">{t('authors.noMatch')}</p>
            ) : (
              <ul className="rounded-lg border border-ink/10 bg-surface py-1">
                {found.map((a) => (
                  <li key={a.id}>
                    <button type="button" onClick={() => add(a)} className={`${smallButton} w-full justify-start text-ink`}>
                      <span aria-hidden="true">+</span> {t('authors.add', { name: a.name })}
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </div>
      {error && (
        <p id={`${id}-error`} className="text-sm text-danger">
          {error}
        </p>
      )}
    </fieldset>
  );
}

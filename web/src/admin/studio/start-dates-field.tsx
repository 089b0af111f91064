// The fixed dates a plan starts on (a rains retreat), or none for any day.
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { smallButton } from './fields';
import { cleanDates } from './words';

export function StartDatesField({ dates, onEdit, error }: { dates: string[]; onEdit: (dates: string[]) => void; error?: string }) {
  const { t } = useTranslation('studio');
  const id = useId();
  // Rows being filled in are kept here until they are dates.
  const [rows, setRows] = useState<string[] | null>(null);
  const shown = rows ?? dates;
  const change = (next: string[]) => {
    setRows(next);
    const clean = cleanDates(next);
    if (clean.join() !== cleanDates(dates).join()) onEdit(clean);
  };
  return (
    <fieldset aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`} className="space-y-2">
      <legend className="font-medium">{t('field.fixed_start_dates')}</legend>
      <p id={`${id}-hint`} className="text-sm text-muted">
        {t('dates.hint')}
      </p>
      {shown.length > 0 && (
        <ul className="space-y-2">
          {shown.map((d, i) => (
            <li key={i} className="flex items-center gap-2">
              <input
                type="date"
                value={d}
                aria-label={t('dates.date', { n: i + 1 })}
                onChange={(e) => change(shown.map((x, j) => (j === i ? e.target.value : x)))}
                onBlur={() => setRows(null)}
                className="rounded-lg border border-ink/30 bg-surface px-3 py-2 shadow-xs focus:border-accent"
              />
              <button
                type="button"
                onClick={() => change(shown.filter((_, j) => j !== i))}
                className={smallButton}
                aria-label={t('dates.remove', { n: i + 1 })}
              >
                {t('remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <button type="button" onClick={() => setRows([...shown, ''])} className={smallButton}>
        <span aria-hidden="true">+</span> {t('dates.add')}
      </button>
      {error && (
        <p id={`${id}-error`} className="text-sm text-danger">
          {error}
        </p>
      )}
    </fieldset>
  );
}

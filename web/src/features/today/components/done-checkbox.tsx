import { useTranslation } from 'react-i18next';

/** The "Done" box of an item or task, described by what it marks. */
export function DoneCheckbox({
  checked,
  onChange,
  describedBy,
}: {
  checked: boolean;
  onChange: (done: boolean) => void;
  describedBy: string;
}) {
  const { t } = useTranslation('today');
  return (
    <label className="inline-flex min-h-11 cursor-pointer select-none items-center gap-3 rounded-full border border-ink/15 px-4 py-2 transition-colors hover:bg-ink/5 has-checked:border-accent/40 has-checked:bg-accent/10">
      <input
        type="checkbox"
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
        aria-describedby={describedBy}
        className="size-5 cursor-pointer accent-accent"
      />
      <span>{t('done')}</span>
    </label>
  );
}

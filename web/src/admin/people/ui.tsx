import { useTranslation } from 'react-i18next';

export const linkStyle = 'text-accent underline decoration-accent/40 underline-offset-4 hover:decoration-accent';
export const th = 'px-4 py-3 font-medium';
export const td = 'px-4 py-3';

/** A user's account status in words: disabled, or active (and whether the address was confirmed). */
export function StatusPill({ disabled, verified }: { disabled: boolean; verified?: boolean }) {
  const { t } = useTranslation('people');
  if (disabled) return <span className="inline-block rounded-full border border-danger/40 bg-danger/5 px-2.5 py-0.5 text-sm text-danger">{t('status.disabled')}</span>;
  return (
    <span className="inline-block rounded-full border border-ink/15 px-2.5 py-0.5 text-sm">
      {t('status.active')}
      {verified === false && <span className="text-muted"> · {t('status.unverified')}</span>}
    </span>
  );
}

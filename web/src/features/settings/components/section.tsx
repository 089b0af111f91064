import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** One group of settings: a titled card. */
export function Section({ title, intro, children, tone }: { title: string; intro?: ReactNode; children: ReactNode; tone?: 'danger' }) {
  const id = useId();
  return (
    <section
      aria-labelledby={id}
      className={`rounded-2xl border bg-surface p-5 shadow-sm sm:p-7 ${tone === 'danger' ? 'border-danger/30' : 'border-ink/10'}`}
    >
      <h2 id={id} className={`font-serif text-xl ${tone === 'danger' ? 'text-danger' : ''}`}>
        {title}
      </h2>
      {intro && <p className="mt-1 text-muted">{intro}</p>}
      <div className="mt-5">{children}</div>
    </section>
  );
}

/** Tells quietly that a change was saved, or loudly that it was not. */
export function SaveStatus({ saved, error }: { saved?: boolean; error?: string }) {
  return (
    <p aria-live="polite" className={`text-sm ${error ? 'text-danger' : 'text-muted'}`}>
      {error ?? (saved ? <SavedMark /> : null)}
    </p>
  );
}

function SavedMark() {
  const { t } = useTranslation('settings');
  return (
    <span className="inline-flex items-center gap-1.5">
      <svg aria-hidden="true" viewBox="0 0 20 20" className="size-4 text-accent">
        <path fill="currentColor" d="M16.7 5.3a1 1 0 0 1 0 1.4l-8 8a1 1 0 0 1-1.4 0l-4-4a1 1 0 1 1 1.4-1.4L8 12.6l7.3-7.3a1 1 0 0 1 1.4 0Z" />
      </svg>
      {t('saved')}
    </span>
  );
}

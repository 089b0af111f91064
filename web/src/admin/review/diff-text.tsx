import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Segment } from './plan-diff';

// Insertions are underlined and deletions struck through, on a tint of the
// theme's accent and danger colours: the marks say what changed without
// the colours, and screen readers hear "inserted" and "deleted".
export const insStyle = 'rounded-sm bg-accent/15 px-0.5 text-ink underline decoration-accent decoration-2 underline-offset-2';
export const delStyle = 'rounded-sm bg-danger/10 px-0.5 text-danger line-through decoration-danger decoration-2';

export function Ins({ children }: { children: ReactNode }) {
  const { t } = useTranslation('review');
  return (
    <ins className={insStyle}>
      <span className="sr-only">{t('diff.inserted')} </span>
      {children}
    </ins>
  );
}

export function Del({ children }: { children: ReactNode }) {
  const { t } = useTranslation('review');
  return (
    <del className={delStyle}>
      <span className="sr-only">{t('diff.deleted')} </span>
      {children}
    </del>
  );
}

/** A word diff: text kept as it was, with insertions and deletions marked. Line breaks are kept. */
export function DiffText({ segments, className = '' }: { segments: Segment[]; className?: string }) {
  return (
    <p className={`whitespace-pre-wrap break-words ${className}`}>
      {segments.map((s, i) =>
        s.type === 'added' ? <Ins key={i}>{s.text}</Ins> : s.type === 'removed' ? <Del key={i}>{s.text}</Del> : <span key={i}>{s.text}</span>,
      )}
    </p>
  );
}

/** A value that changed as a whole (a level, a number of minutes): the old one struck, the new one marked. */
export function DiffValue({ before, after }: { before: ReactNode; after: ReactNode }) {
  const { t } = useTranslation('review');
  const none = <span className="text-muted">{t('diff.none')}</span>;
  return (
    <p className="flex flex-wrap items-baseline gap-x-2">
      {before ? <Del>{before}</Del> : none}
      <span aria-hidden="true" className="text-muted">
        →
      </span>
      <span className="sr-only">{t('diff.becomes')}</span>
      {after ? <Ins>{after}</Ins> : none}
    </p>
  );
}

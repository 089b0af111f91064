import { useTranslation } from 'react-i18next';

/** A quiet placeholder for a page that is on its way: a title and a few lines, softly pulsing. */
export function PageSkeleton() {
  const { t } = useTranslation();
  return (
    <div aria-busy="true" className="space-y-4">
      <span className="sr-only" role="status">
        {t('loading')}
      </span>
      <div className="h-9 w-2/5 animate-pulse rounded-md bg-ink/5 motion-reduce:animate-none" />
      <div className="h-4 w-4/5 animate-pulse rounded-md bg-ink/5 motion-reduce:animate-none" />
      <div className="h-4 w-3/5 animate-pulse rounded-md bg-ink/5 motion-reduce:animate-none" />
    </div>
  );
}

import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

/** Any path the reader has no page for. */
export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="not-found-title">
      <title>{`${t('notFound.title')} · ${t('appName')}`}</title>
      <h1 id="not-found-title" className="font-serif text-3xl">
        {t('notFound.title')}
      </h1>
      <p className="mt-2 text-muted">{t('notFound.body')}</p>
      <p className="mt-6">
        <Link to="/" className="text-accent underline underline-offset-4">
          {t('notFound.home')}
        </Link>
      </p>
    </section>
  );
}

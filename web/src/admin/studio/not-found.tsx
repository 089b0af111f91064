import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

/**
 * A plan that is not there for this person: deleted, mistyped, or another
 * author's (the server does not say which, and neither do we).
 */
export function PlanNotFound() {
  const { t } = useTranslation('studio');
  return (
    <section aria-labelledby="not-found-title" className="mx-auto max-w-md py-10 text-center">
      <title>{`${t('notFound.title')} · ${t('name', { ns: 'admin' })}`}</title>
      <h1 id="not-found-title" className="font-serif text-3xl">
        {t('notFound.title')}
      </h1>
      <p className="mt-3 text-muted">{t('notFound.body')}</p>
      <p className="mt-8">
        <Link to="/plans" className="text-accent underline decoration-accent/40 underline-offset-4 hover:decoration-accent">
          {t('notFound.back')}
        </Link>
      </p>
    </section>
  );
}

import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

interface MessagePageProps {
  title: string;
  body: string;
  /** Where the page leads on, and what the link says. */
  to: string;
  link: string;
  /** A drawing above the title. */
  icon?: ReactNode;
}

/** A page that only says something (a plan that is not there, a goodbye) and leads back. */
export function MessagePage({ title, body, to, link, icon }: MessagePageProps) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <section aria-labelledby={id} className="mx-auto max-w-md py-10 text-center">
      <title>{`${title} · ${t('appName')}`}</title>
      {icon}
      <h1 id={id} className={`${icon ? 'mt-6 ' : ''}font-serif text-3xl`}>
        {title}
      </h1>
      <p className="mt-3 text-muted">{body}</p>
      <p className="mt-8">
        <Link to={to} className="text-accent underline decoration-accent/40 underline-offset-4 hover:decoration-accent">
          {link}
        </Link>
      </p>
    </section>
  );
}

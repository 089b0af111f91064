import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

interface AuthCardProps {
  title: string;
  intro?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
  /** Moves focus to the title when shown: for outcomes that replace a form, so they are read out. */
  focusTitle?: boolean;
}

/** The calm, narrow frame of the sign-in, sign-up and account-link pages. */
export function AuthCard({ title, intro, children, footer, focusTitle }: AuthCardProps) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focusTitle) heading.current?.focus();
  }, [focusTitle]);
  return (
    <section aria-labelledby="auth-title" className="mx-auto max-w-md sm:pt-4">
      <title>{`${title} · ${t('appName')}`}</title>
      <h1 id="auth-title" ref={heading} tabIndex={-1} className="font-serif text-3xl leading-tight focus:outline-none">
        {title}
      </h1>
      {intro && <p className="mt-2 text-muted">{intro}</p>}
      <div className="mt-8 rounded-2xl border border-ink/10 bg-surface p-5 shadow-sm sm:p-8">{children}</div>
      {footer && <p className="mt-6 text-center text-muted">{footer}</p>}
    </section>
  );
}

/** A link in the frame's text. */
export const textLink = 'text-accent underline decoration-accent/40 underline-offset-4 hover:decoration-accent';

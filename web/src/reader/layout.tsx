import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet } from 'react-router';

const navLink = ({ isActive }: { isActive: boolean }) =>
  `rounded-md px-3 py-2 hover:bg-ink/5 ${isActive ? 'font-semibold text-ink' : 'text-muted'}`;

/** The frame of every reader page: a skip link, the header and its navigation. */
export function Layout() {
  const { t } = useTranslation();
  return (
    <>
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-4 focus:rounded-md focus:bg-paper focus:px-3 focus:py-2"
      >
        {t('skipToContent')}
      </a>
      <header className="border-b border-ink/10">
        <div className="mx-auto flex max-w-4xl items-center justify-between gap-4 px-4 py-3">
          <Link to="/" className="font-serif text-lg font-semibold">
            {t('appName')}
          </Link>
          <nav aria-label={t('nav.main')}>
            <NavLink to="/" end className={navLink}>
              {t('nav.discover')}
            </NavLink>
          </nav>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-4xl px-4 py-8">
        <Outlet />
      </main>
    </>
  );
}

import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet, ScrollRestoration } from 'react-router';
import { PageSkeleton } from '../components/page-skeleton';
import { AccountMenu } from '../features/auth/components/account-menu';
import { useSession } from '../features/auth/session';

const navLink = ({ isActive }: { isActive: boolean }) =>
  `rounded-md px-3 py-2 hover:bg-ink/5 ${isActive ? 'font-semibold text-ink' : 'text-muted'}`;

/** The frame of every reader page: a skip link, the header and its navigation. */
export function Layout() {
  const { t } = useTranslation();
  const { status } = useSession();
  return (
    <>
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-4 focus:rounded-md focus:bg-paper focus:px-3 focus:py-2"
      >
        {t('skipToContent')}
      </a>
      <header className="border-b border-ink/10">
        <div className="mx-auto flex max-w-4xl flex-wrap items-center gap-x-4 gap-y-1 px-4 py-3">
          <Link to="/" className="font-serif text-lg font-semibold">
            {t('appName')}
          </Link>
          <nav aria-label={t('nav.main')} className="order-last -mx-3 flex w-[calc(100%+1.5rem)] overflow-x-auto sm:order-none sm:mx-0 sm:w-auto">
            <NavLink to="/" end className={navLink}>
              {t('nav.discover')}
            </NavLink>
            {status === 'signed-in' && (
              <>
                <NavLink to="/today" className={navLink}>
                  {t('nav.today')}
                </NavLink>
                <NavLink to="/my-plans" className={navLink}>
                  {t('nav.myPlans')}
                </NavLink>
                <NavLink to="/progress" className={navLink}>
                  {t('nav.progress')}
                </NavLink>
              </>
            )}
          </nav>
          <div className="ml-auto">
            <AccountMenu />
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-4xl px-4 py-8">
        {/* A page whose words are still loading (src/i18n) waits here. */}
        <Suspense fallback={<PageSkeleton />}>
          <Outlet />
        </Suspense>
      </main>
      {/* A new page opens at its top; back and forward return to where the reader was. */}
      <ScrollRestoration />
    </>
  );
}

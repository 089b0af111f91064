import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, Outlet, ScrollRestoration } from 'react-router';
import { PageSkeleton } from '../components/page-skeleton';
import { useSession } from '../features/auth/session';
import { hasRole } from './access';

const navLink = ({ isActive }: { isActive: boolean }) =>
  `block rounded-md px-3 py-2 hover:bg-ink/5 ${isActive ? 'bg-ink/5 font-semibold text-ink' : 'text-muted'}`;

/** The frame of every admin page: the panel's navigation beside the page, for the person's role. */
export function AdminLayout() {
  const { t } = useTranslation('admin');
  const { user, signOut } = useSession();
  const admin = hasRole(user, 'admin');
  return (
    <>
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-4 focus:rounded-md focus:bg-paper focus:px-3 focus:py-2"
      >
        {t('skipToContent')}
      </a>
      <div className="mx-auto flex min-h-dvh max-w-7xl flex-col md:flex-row">
        <header className="border-b border-ink/10 p-4 md:w-60 md:shrink-0 md:border-b-0 md:border-r">
          <p className="font-serif text-lg font-semibold">
            {t('name')}
          </p>
          <p className="truncate text-sm text-muted">{user?.email}</p>
          <nav aria-label={t('nav.label')} className="mt-4">
            <ul className="flex flex-wrap gap-1 md:flex-col">
              {admin && (
                <li>
                  <NavLink to="/dashboard" className={navLink}>
                    {t('nav.dashboard')}
                  </NavLink>
                </li>
              )}
              <li>
                <NavLink to="/plans" className={navLink}>
                  {t('nav.plans')}
                </NavLink>
              </li>
              {admin && (
                <>
                  <li>
                    <NavLink to="/review" className={navLink}>
                      {t('nav.review')}
                    </NavLink>
                  </li>
                  <li>
                    <NavLink to="/users" className={navLink}>
                      {t('nav.users')}
                    </NavLink>
                  </li>
                  <li>
                    <NavLink to="/authors" className={navLink}>
                      {t('nav.authors')}
                    </NavLink>
                  </li>
                  <li>
                    <NavLink to="/audit" className={navLink}>
                      {t('nav.audit')}
                    </NavLink>
                  </li>
                  <li>
                    <NavLink to="/settings" className={navLink}>
                      {t('nav.settings')}
                    </NavLink>
                  </li>
                </>
              )}
            </ul>
          </nav>
          <p className="mt-6 flex flex-wrap gap-x-4 gap-y-1 text-sm md:flex-col">
            <a href="/" className="text-accent underline decoration-accent/40 underline-offset-4">
              {t('toReader')}
            </a>
            <button type="button" onClick={() => void signOut()} className="text-left text-accent underline decoration-accent/40 underline-offset-4">
              {t('signOut')}
            </button>
          </p>
        </header>
        <main id="main" className="min-w-0 flex-1 px-4 py-6 md:px-8">
          {/* A page whose words or code are still loading waits here. */}
          <Suspense fallback={<PageSkeleton />}>
            <Outlet />
          </Suspense>
        </main>
      </div>
      <ScrollRestoration />
    </>
  );
}

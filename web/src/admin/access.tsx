// Who may open which part of the admin panel. The server checks every
// request (a plan an author may not edit is a 404 there too); this keeps
// people from pages that could only fail.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet } from 'react-router';
import { useSession, type User } from '../features/auth/session';

export type Role = User['role'];

const rank: Record<Role, number> = { user: 0, author: 1, admin: 2 };

/** Whether the signed-in person has role or a higher one. */
export function hasRole(user: User | null, role: Role): boolean {
  return !!user && rank[user.role] >= rank[role];
}

/** Whether the signed-in person is an admin. */
export function useIsAdmin(): boolean {
  return hasRole(useSession().user, 'admin');
}

/** The panel is for authors and admins: a reader who comes here is told so, and led back. */
export function StaffOnly({ children }: { children: ReactNode }) {
  const { t } = useTranslation('admin');
  const { user, signOut } = useSession();
  if (hasRole(user, 'author')) return <>{children}</>;
  return (
    <main id="main" className="mx-auto max-w-md px-4 py-16 text-center">
      <title>{`${t('staffOnly.title')} · ${t('name')}`}</title>
      <h1 className="font-serif text-3xl">{t('staffOnly.title')}</h1>
      <p className="mt-3 text-muted">{t('staffOnly.body')}</p>
      <p className="mt-8 flex flex-wrap justify-center gap-4">
        <a href="/" className="text-accent underline decoration-accent/40 underline-offset-4">
          {t('staffOnly.reader')}
        </a>
        <button type="button" onClick={() => void signOut()} className="text-accent underline decoration-accent/40 underline-offset-4">
          {t('signOut')}
        </button>
      </p>
    </main>
  );
}

/** The pages under it only for role and above; others see why not. */
export function RequireRole({ role }: { role: Role }) {
  const { t } = useTranslation('admin');
  const { user } = useSession();
  if (hasRole(user, role)) return <Outlet />;
  return (
    <section className="py-10">
      <title>{`${t('forbidden.title')} · ${t('name')}`}</title>
      <h1 className="font-serif text-3xl">{t('forbidden.title')}</h1>
      <p className="mt-3 text-muted">{t('forbidden.body')}</p>
    </section>
  );
}

/** A path of the panel that leads nowhere. */
export function AdminNotFound() {
  const { t } = useTranslation('admin');
  return (
    <section className="py-10">
      <title>{`${t('notFound.title')} · ${t('name')}`}</title>
      <h1 className="font-serif text-3xl">{t('notFound.title')}</h1>
      <p className="mt-3 text-muted">{t('notFound.body')}</p>
    </section>
  );
}

import { createBrowserRouter } from 'react-router';
import { RequireAuth } from '../features/auth/session';
import { AdminLayout } from './layout';
import { AdminNotFound, RequireRole, StaffOnly } from './access';

/**
 * The admin panel's pages, under /admin/ (the server answers every path
 * there with this app). Authors see their plans and the studio; admins see
 * everything. Each feature's pages are loaded when first visited.
 */
export const router = createBrowserRouter(
  [
    { path: 'sign-in', lazy: () => import('./sign-in') },
    {
      element: (
        <RequireAuth>
          <StaffOnly>
            <AdminLayout />
          </StaffOnly>
        </RequireAuth>
      ),
      children: [
        { index: true, lazy: () => import('./home') },
        // The studio: authors and admins.
        { path: 'plans', lazy: () => import('./studio/plans-route') },
        { path: 'plans/:id', lazy: () => import('./studio/plan-route') },
        { path: 'plans/:id/days/:n/preview', lazy: () => import('./studio/preview-route') },
        // Admins only.
        {
          element: <RequireRole role="admin" />,
          children: [
            { path: 'dashboard', lazy: () => import('./dashboard/route') },
            { path: 'review', lazy: () => import('./review/queue-route') },
            { path: 'review/:id', lazy: () => import('./review/review-route') },
            { path: 'users', lazy: () => import('./people/users-route') },
            { path: 'users/:id', lazy: () => import('./people/user-route') },
            { path: 'authors', lazy: () => import('./people/authors-route') },
            { path: 'authors/:id', lazy: () => import('./people/author-route') },
            { path: 'audit', lazy: () => import('./audit/route') },
            { path: 'settings', lazy: () => import('./system/route') },
          ],
        },
        { path: '*', element: <AdminNotFound /> },
      ],
    },
  ],
  { basename: '/admin' },
);

import { createBrowserRouter } from 'react-router';
import { DiscoverPage } from '../features/discover/components/discover-page';
import { Layout } from './layout';
import { NotFoundPage } from './not-found-page';

/** The reader's pages. The server answers their paths with this app, so a link opens where it points. */
export const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { index: true, element: <DiscoverPage /> },
      { path: 'plans/:slug', lazy: () => import('../features/plan/route') },
      { path: 'sign-in', lazy: () => import('../features/auth/routes/sign-in') },
      { path: 'sign-up', lazy: () => import('../features/auth/routes/sign-up') },
      { path: 'forgot-password', lazy: () => import('../features/auth/routes/forgot-password') },
      { path: 'reset-password', lazy: () => import('../features/auth/routes/reset-password') },
      { path: 'verify-email', lazy: () => import('../features/auth/routes/verify-email') },
      { path: 'settings', lazy: () => import('../features/settings/route') },
      { path: 'goodbye', lazy: () => import('../features/settings/goodbye-route') },
      { path: 'today', lazy: () => import('../features/today/route') },
      { path: 'today/:enrollmentId', lazy: () => import('../features/today/route') },
      { path: 'my-plans', lazy: () => import('../features/my-plans/route') },
      { path: 'progress', lazy: () => import('../features/progress/route') },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

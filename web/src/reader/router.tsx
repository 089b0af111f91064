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
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

import { Navigate } from 'react-router';
import { useIsAdmin } from './access';

/** /admin/: admins start at the dashboard, authors at their plans. */
export function Component() {
  return <Navigate to={useIsAdmin() ? '/dashboard' : '/plans'} replace />;
}

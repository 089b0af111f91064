// The My plans page, loaded when first visited (router.tsx).
import { RequireAuth } from '../auth/session';
import { MyPlansPage } from './components/my-plans-page';

export function Component() {
  return (
    <RequireAuth>
      <MyPlansPage />
    </RequireAuth>
  );
}

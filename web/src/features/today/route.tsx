// The Today page, loaded when first visited (router.tsx).
import { RequireAuth } from '../auth/session';
import { TodayPage } from './components/today-page';

export function Component() {
  return (
    <RequireAuth>
      <TodayPage />
    </RequireAuth>
  );
}

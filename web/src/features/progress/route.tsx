// The Progress page, loaded when first visited (router.tsx); its chart, and
// recharts with it, loads after the figures.
import { RequireAuth } from '../auth/session';
import { ProgressPage } from './components/progress-page';

export function Component() {
  return (
    <RequireAuth>
      <ProgressPage />
    </RequireAuth>
  );
}

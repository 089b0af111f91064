import { RequireAuth } from '../auth/session';
import { SettingsPage } from './components/settings-page';

/** /settings, for the signed-in person. */
export function Component() {
  return (
    <RequireAuth>
      <SettingsPage />
    </RequireAuth>
  );
}

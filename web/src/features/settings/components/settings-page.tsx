import { useTranslation } from 'react-i18next';
import { useSession } from '../../auth/session';
import { AppearanceSection } from './appearance-section';
import { DataSection } from './data-section';
import { DeleteSection } from './delete-section';
import { LanguageSection } from './language-section';
import { PasswordSection } from './password-section';
import { ProfileSection } from './profile-section';
import { SessionsSection } from './sessions-section';
import { StreakSection } from './streak-section';
import { TimeSection } from './time-section';

/** Settings: the account, the person's days, how pages look, devices and data. */
export function SettingsPage() {
  const { t } = useTranslation('settings');
  const { user } = useSession();
  if (!user) return null; // RequireAuth shows this page only once someone is signed in
  return (
    <div className="mx-auto max-w-2xl">
      <title>{`${t('title')} · ${t('common:appName')}`}</title>
      <h1 className="font-serif text-3xl">{t('title')}</h1>
      <p className="mt-2 text-muted">{t('intro')}</p>
      <div className="mt-8 space-y-6">
        <ProfileSection user={user} />
        <TimeSection user={user} />
        <AppearanceSection />
        <LanguageSection user={user} />
        <StreakSection />
        <SessionsSection />
        <PasswordSection />
        <DataSection />
        <DeleteSection />
      </div>
    </div>
  );
}

import { useTranslation } from 'react-i18next';
import { languageOf, languages, type Language } from '../../../i18n';
import { chooseLanguage } from '../../../lib/device-preferences';
import { problemWords } from '../../../lib/problem-words';
import type { User } from '../../auth/session';
import { useUpdateMe } from '../api/use-update-me';
import { ChoiceGroup } from './choice-group';
import { SaveStatus, Section } from './section';

// Each language by its own name, so that someone who cannot read the current one finds theirs.
const names: Record<Language, string> = { en: 'English', vi: 'Tiếng Việt' };

/** The interface's language, switched at once and saved as the account's locale. */
export function LanguageSection({ user }: { user: User }) {
  const { t } = useTranslation('settings');
  const update = useUpdateMe();
  const current = languageOf(update.variables?.locale ?? user.locale);

  return (
    <Section title={t('language.title')}>
      <ChoiceGroup
        legend={t('language.label')}
        name="language"
        value={current}
        onChange={(locale) => {
          chooseLanguage(locale);
          update.mutate({ locale });
        }}
        choices={languages.map((value) => ({ value, label: names[value] }))}
      />
      <div className="mt-2">
        <SaveStatus saved={update.isSuccess} error={update.isError ? problemWords(update.error, t) : undefined} />
      </div>
    </Section>
  );
}

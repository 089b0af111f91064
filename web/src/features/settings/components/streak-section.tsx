import { useTranslation } from 'react-i18next';
import { problemWords } from '../../../lib/problem-words';
import { usePracticeSettings } from '../api/use-practice-settings';
import { useUpdatePracticeSettings } from '../api/use-update-practice-settings';
import { SaveStatus, Section } from './section';

/** Whether streaks are shown, for those who practise more freely without counting. */
export function StreakSection() {
  const { t } = useTranslation('settings');
  const settings = usePracticeSettings();
  const update = useUpdatePracticeSettings();
  const shown = update.isPending ? update.variables.show_streaks : settings.data?.show_streaks;

  return (
    <Section title={t('streaks.title')}>
      {settings.isPending ? (
        <div aria-hidden="true" className="h-12 animate-pulse rounded-lg bg-ink/5" />
      ) : settings.isError ? (
        <p role="alert" className="text-danger">
          {problemWords(settings.error, t)}
        </p>
      ) : (
        <label className="flex cursor-pointer items-start gap-3">
          <input
            type="checkbox"
            role="switch"
            checked={shown ?? true}
            onChange={(e) => update.mutate({ show_streaks: e.target.checked })}
            aria-describedby="streaks-hint"
            className="peer sr-only"
          />
          <span
            aria-hidden="true"
            className="relative mt-0.5 inline-block h-6 w-11 shrink-0 rounded-full bg-ink/20 transition-colors peer-checked:bg-accent peer-focus-visible:outline-2 peer-focus-visible:outline-offset-2 peer-focus-visible:outline-accent after:absolute after:left-0.5 after:top-0.5 after:size-5 after:rounded-full after:bg-surface after:shadow after:transition-transform peer-checked:after:translate-x-5 motion-reduce:after:transition-none"
          />
          <span>
            <span className="font-medium">{t('streaks.show')}</span>
            <span id="streaks-hint" className="mt-0.5 block text-sm text-muted">
              {t('streaks.hint')}
            </span>
          </span>
        </label>
      )}
      <div className="mt-2">
        <SaveStatus saved={update.isSuccess} error={update.isError ? problemWords(update.error, t) : undefined} />
      </div>
    </Section>
  );
}

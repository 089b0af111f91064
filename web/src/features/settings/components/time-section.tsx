import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SubmitButton } from '../../../components/form';
import { problemWords } from '../../../lib/problem-words';
import { detectedTimezone, type User } from '../../auth/session';
import { useUpdateMe } from '../api/use-update-me';
import { zoneGroups } from '../time-zones';
import { SaveStatus, Section } from './section';

const selectStyle = 'mt-1.5 block w-full rounded-lg border border-ink/30 bg-surface px-3 py-2.5 text-base focus:border-accent';

/** The time zone (detected, changeable) and the hour at which the person's day begins. */
export function TimeSection({ user }: { user: User }) {
  const { t, i18n } = useTranslation('settings');
  const update = useUpdateMe();
  const [zone, setZone] = useState(user.timezone);
  const [hour, setHour] = useState(user.day_start_hour);
  const detected = detectedTimezone();
  const groups = useMemo(() => zoneGroups(user.timezone), [user.timezone]);
  const hourFormat = useMemo(
    () => new Intl.DateTimeFormat(i18n.language, { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' }),
    [i18n.language],
  );

  function save(event: React.FormEvent) {
    event.preventDefault();
    if (!update.isPending) update.mutate({ timezone: zone, day_start_hour: hour });
  }

  return (
    <Section title={t('time.title')} intro={t('time.intro')}>
      <form onSubmit={save} className="space-y-5" onChange={() => update.reset()}>
        <div>
          <label htmlFor="timezone" className="block font-medium">
            {t('time.timezone')}
          </label>
          <select id="timezone" value={zone} onChange={(e) => setZone(e.target.value)} className={selectStyle}>
            {groups.map((group) => (
              <optgroup key={group.region} label={group.region}>
                {group.zones.map((z) => (
                  <option key={z.id} value={z.id}>
                    {z.label}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
          {detected !== zone && (
            <p className="mt-2 text-sm text-muted">
              {t('time.detected', { zone: detected.replaceAll('_', ' ') })}{' '}
              <button
                type="button"
                onClick={() => {
                  setZone(detected);
                  update.reset();
                }}
                className="text-accent underline underline-offset-4"
              >
                {t('time.useDetected')}
              </button>
            </p>
          )}
        </div>
        <div>
          <label htmlFor="day-start" className="block font-medium">
            {t('time.dayStart')}
          </label>
          <p id="day-start-hint" className="mt-0.5 text-sm text-muted">
            {t('time.dayStartHint')}
          </p>
          <select
            id="day-start"
            aria-describedby="day-start-hint"
            value={hour}
            onChange={(e) => setHour(Number(e.target.value))}
            className={`${selectStyle} sm:w-48`}
          >
            {Array.from({ length: 24 }, (_, h) => (
              <option key={h} value={h}>
                {hourFormat.format(Date.UTC(2000, 0, 1, h))}
              </option>
            ))}
          </select>
        </div>
        <div className="flex flex-wrap items-center gap-4">
          <SubmitButton pending={update.isPending} kind="quiet">
            {update.isPending ? t('saving') : t('save')}
          </SubmitButton>
          <SaveStatus saved={update.isSuccess} error={update.isError ? problemWords(update.error, t) : undefined} />
        </div>
      </form>
    </Section>
  );
}

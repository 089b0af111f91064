import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { components } from '../../../api/schema';
import { buttonStyle } from '../../../components/form';
import { Spinner } from '../../../components/spinner';
import { problemWords } from '../../../lib/problem-words';
import { useRevokeSessions } from '../api/use-revoke-sessions';
import { useSessions } from '../api/use-sessions';
import { deviceOf } from '../device-name';
import { Section } from './section';

type Session = components['schemas']['SessionBody'];

function deviceName(userAgent: string, t: TFunction): string {
  const { browser, os } = deviceOf(userAgent);
  if (browser && os) return t('sessions.device', { browser, os });
  return browser ?? os ?? t('sessions.unknown');
}

/** "5 minutes ago", "yesterday": how long ago a time was, in the person's language. */
function ago(iso: string, language: string): string {
  const seconds = (new Date(iso).getTime() - Date.now()) / 1000;
  const format = new Intl.RelativeTimeFormat(language, { numeric: 'auto' });
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
  ];
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return format.format(0, 'minute');
}

/** The devices signed in to the account; any but this one can be signed out. */
export function SessionsSection() {
  const { t, i18n } = useTranslation('settings');
  const sessions = useSessions();
  const revoke = useRevokeSessions();
  const others = sessions.data?.filter((s) => !s.current) ?? [];
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium' });

  function row(session: Session) {
    const name = deviceName(session.user_agent, t);
    const leaving = revoke.isPending && revoke.variables.includes(session.id);
    return (
      <li key={session.id} className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2 py-4">
        <div className="min-w-0">
          <p className="font-medium">
            {name}
            {session.current && (
              <span className="ml-2 rounded-full bg-accent/10 px-2.5 py-0.5 align-middle text-sm font-normal text-accent">
                {t('sessions.thisDevice')}
              </span>
            )}
          </p>
          <p className="text-sm text-muted">
            {t('sessions.lastActive', { when: ago(session.last_used_at, i18n.language) })} ·{' '}
            {t('sessions.signedIn', { date: date.format(new Date(session.created_at)) })}
          </p>
        </div>
        {!session.current && (
          <button
            type="button"
            onClick={() => !revoke.isPending && revoke.mutate([session.id])}
            aria-disabled={revoke.isPending || undefined}
            aria-label={t('sessions.signOutNamed', { device: name })}
            className={`${buttonStyle('quiet')} px-3 py-1.5 text-sm`}
          >
            {leaving && <Spinner />}
            {leaving ? t('sessions.signingOut') : t('sessions.signOut')}
          </button>
        )}
      </li>
    );
  }

  return (
    <Section title={t('sessions.title')} intro={t('sessions.intro')}>
      {sessions.isPending ? (
        <div aria-hidden="true" className="space-y-3">
          <div className="h-12 animate-pulse rounded-lg bg-ink/5" />
          <div className="h-12 animate-pulse rounded-lg bg-ink/5" />
        </div>
      ) : sessions.isError ? (
        <p role="alert" className="text-danger">
          {problemWords(sessions.error, t)}
        </p>
      ) : (
        <>
          <ul className="-my-4 divide-y divide-ink/10">{sessions.data.map(row)}</ul>
          <div className={others.length === 1 && !revoke.isError ? '' : 'mt-4 border-t border-ink/10 pt-5'} aria-live="polite">
            {others.length > 1 ? (
              <button
                type="button"
                onClick={() => !revoke.isPending && revoke.mutate(others.map((s) => s.id))}
                aria-disabled={revoke.isPending || undefined}
                className={buttonStyle('quiet')}
              >
                {revoke.isPending && revoke.variables.length > 1 && <Spinner />}
                {t('sessions.signOutOthers')}
              </button>
            ) : (
              others.length === 0 && <p className="text-muted">{t('sessions.only')}</p>
            )}
            {revoke.isError && (
              <p role="alert" className="mt-2 text-sm text-danger">
                {problemWords(revoke.error, t)}
              </p>
            )}
          </div>
        </>
      )}
    </Section>
  );
}

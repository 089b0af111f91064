import { useTranslation } from 'react-i18next';

/** A moment as the admin's local date and time, e.g. "3 Mar 2026, 14:05". */
export function localDateTime(at: string, language: string): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(at));
}

/** The same moment in UTC, e.g. "2026-03-03 07:05:09 UTC", for the title. */
export function utcDateTime(at: string): string {
  return `${new Date(at).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A moment in local time, with the UTC time when the pointer rests on it. */
export function When({ at, dateOnly = false }: { at: string; dateOnly?: boolean }) {
  const { i18n } = useTranslation();
  const local = dateOnly
    ? new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium' }).format(new Date(at))
    : localDateTime(at, i18n.language);
  return (
    <time dateTime={at} title={utcDateTime(at)}>
      {local}
    </time>
  );
}

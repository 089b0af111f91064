// Dates of a person's own calendar, as the API sends them ("2025-03-09"),
// and instants shown in the person's time zone.
//
// A calendar date is not an instant: new Date('2025-03-09') is midnight UTC,
// which a browser west of Greenwich shows as 8 March. The functions here do
// their arithmetic and formatting in UTC, so the browser's own time zone
// never moves a date to the day before or after.

/** A date of someone's calendar, YYYY-MM-DD. */
export type CalendarDate = string;

const DAY_MS = 86_400_000;

function toUTC(date: CalendarDate): Date {
  const [y = 1970, m = 1, d = 1] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

function fromUTC(instant: Date): CalendarDate {
  return instant.toISOString().slice(0, 10);
}

/** The date n days after date (before it when n is negative). */
export function addDays(date: CalendarDate, n: number): CalendarDate {
  return fromUTC(new Date(toUTC(date).getTime() + n * DAY_MS));
}

/** How many days from a to b (negative when b is earlier). */
export function daysBetween(a: CalendarDate, b: CalendarDate): number {
  return Math.round((toUTC(b).getTime() - toUTC(a).getTime()) / DAY_MS);
}

/** The day of the week, 0 for Monday to 6 for Sunday. */
export function weekday(date: CalendarDate): number {
  return (toUTC(date).getUTCDay() + 6) % 7;
}

/** The Monday of date's week. */
export function startOfWeek(date: CalendarDate): CalendarDate {
  return addDays(date, -weekday(date));
}

/**
 * The locale to write dates and numbers in: the browser's own tag for the
 * interface's language ("en-GB" for a British reader of the English
 * interface: 26 November, not November 26), else the language itself.
 */
export function dateLocale(
  language: string,
  preferred: readonly string[] = typeof navigator === 'undefined' ? [] : navigator.languages,
): string {
  return preferred.find((tag) => tag.toLowerCase().split('-')[0] === language) ?? language;
}

/** A calendar date in words of the locale, as that date, wherever the browser is. */
export function formatDate(
  date: CalendarDate,
  locale: string,
  options: Intl.DateTimeFormatOptions = { dateStyle: 'long' },
): string {
  return new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' }).format(toUTC(date));
}

/**
 * An instant (an ISO timestamp from the API) in words of the locale, on the
 * clock of timeZone: the person's own time zone, so a reflection saved at
 * 06:30 in Hanoi reads 06:30 on a laptop set to Paris. An unknown zone falls
 * back to the browser's.
 */
export function formatInstant(
  instant: string | Date,
  locale: string,
  timeZone: string | undefined,
  options: Intl.DateTimeFormatOptions,
): string {
  const at = typeof instant === 'string' ? new Date(instant) : instant;
  try {
    return new Intl.DateTimeFormat(locale, { ...options, timeZone }).format(at);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return new Intl.DateTimeFormat(locale, options).format(at);
  }
}

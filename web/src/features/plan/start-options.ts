// Choosing how to start a plan: on which day, and at what pace. Dates are
// the reader's calendar dates (YYYY-MM-DD) in their own time zone, as the
// API reads them.
import type { components } from '../../api/schema';
import { addDays, daysBetween, type CalendarDate } from '../../lib/calendar-date';

export type EnrollBody = components['schemas']['EnrollInputBody'];
export type Pace = EnrollBody['pace'];

export const paces: readonly Pace[] = ['daily', 'weekdays', 'n_per_week', 'self_paced'];

/** How far ahead a start may be: the API takes dates within a year of today. */
export const latestStartDays = 365;

/** Today's date in timeZone (the reader's, from their account), or the browser's when it is unknown. */
export function todayIn(timeZone: string | undefined, now: Date = new Date()): CalendarDate {
  // en-CA writes dates as YYYY-MM-DD.
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone }).format(now);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return new Intl.DateTimeFormat('en-CA').format(now);
  }
}

/**
 * The fixed start dates a reader can still choose, in order: those whose run
 * has not ended by today (a plan of days days started on them), and at most a
 * year ahead.
 */
export function openStartDates(fixed: readonly string[], days: number, today: CalendarDate): CalendarDate[] {
  return [...fixed]
    .filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d))
    .filter((d) => daysBetween(today, addDays(d, Math.max(days, 1) - 1)) >= 0 && daysBetween(today, d) <= latestStartDays)
    .sort();
}

export interface StartChoice {
  slug: string;
  today: CalendarDate;
  start: CalendarDate;
  /** Whether the plan runs on fixed dates: then it runs daily, whatever pace was chosen. */
  fixed: boolean;
  pace: Pace;
  perWeek: number;
}

/**
 * The enrolment request for a choice. Starting today leaves the date to the
 * server, which knows the reader's day (their time zone and day-start hour)
 * better than the browser's clock does.
 */
export function enrollBody(choice: StartChoice): EnrollBody {
  const body: EnrollBody = { plan: choice.slug, pace: choice.fixed ? 'daily' : choice.pace };
  if (choice.fixed || choice.start !== choice.today) body.start_date = choice.start;
  if (body.pace === 'n_per_week') body.per_week = Math.min(7, Math.max(1, Math.round(choice.perWeek)));
  return body;
}

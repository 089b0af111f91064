// The dashboard's arithmetic and words for numbers: the period in the URL,
// days gathered into weeks for a long period, totals, completion rates, and
// numbers and dates in the admin's locale. Days are UTC days, as the API
// counts them.
import { startOfWeek, type CalendarDate } from '../../lib/calendar-date';
import type { DashboardDay } from './api';

/** The periods the dashboard offers, in days, today included. */
export const periods = [7, 30, 90, 365] as const;
export type Period = (typeof periods)[number];
export const defaultPeriod: Period = 30;

/** The period a ?days= value asks for; anything else is the default. */
export function periodOf(value: string | null | undefined): Period {
  const n = Number(value);
  return (periods as readonly number[]).includes(n) ? (n as Period) : defaultPeriod;
}

/** What the charts count. */
export const measures = ['enrollments', 'completions', 'ticks', 'practice_minutes', 'new_users'] as const;
export type Measure = (typeof measures)[number];
export type Counts = Record<Measure, number>;

/** Some days counted together: one day, or one week (Monday to Sunday) cut to the period. */
export interface Bucket extends Counts {
  /** The first and last day counted, both included. */
  from: CalendarDate;
  to: CalendarDate;
}

/** A period long enough that a bar a day would be too thin to read is shown week by week. */
export function unitFor(days: number): 'day' | 'week' {
  return days > 90 ? 'week' : 'day';
}

function zero(): Counts {
  return { enrollments: 0, completions: 0, ticks: 0, practice_minutes: 0, new_users: 0 };
}

function add(into: Counts, day: Counts): void {
  for (const m of measures) into[m] += day[m];
}

/**
 * The series (oldest first) as buckets of the unit: days stay days; weeks
 * start on Monday, so the first and last weeks of a period may be short
 * (their from and to say which days they hold).
 */
export function bucketSeries(series: readonly DashboardDay[], unit: 'day' | 'week'): Bucket[] {
  if (unit === 'day') {
    return series.map((d) => ({ ...pick(d), from: d.date, to: d.date }));
  }
  const out: Bucket[] = [];
  for (const d of series) {
    const week = startOfWeek(d.date);
    const last = out.at(-1);
    if (last && startOfWeek(last.from) === week) {
      add(last, d);
      last.to = d.date;
    } else {
      const b: Bucket = { ...zero(), from: d.date, to: d.date };
      add(b, d);
      out.push(b);
    }
  }
  return out;
}

function pick(d: DashboardDay): Counts {
  const c = zero();
  add(c, d);
  return c;
}

/** The sums of each measure over the series. */
export function totals(series: readonly Counts[]): Counts {
  const sum = zero();
  for (const d of series) add(sum, d);
  return sum;
}

/** The bucket with the most of a measure (the earliest of equals), or null when every one has none. */
export function busiest<T extends Counts>(buckets: readonly T[], measure: Measure): T | null {
  let best: T | null = null;
  for (const b of buckets) if (b[measure] > 0 && (!best || b[measure] > best[measure])) best = b;
  return best;
}

/**
 * The share of enrolments finished, from 0 to 1; null when nobody enrolled,
 * since no rate can be told from nothing (it reads "—", not 0 %).
 */
export function completionRate(completions: number, enrollments: number): number | null {
  if (enrollments <= 0) return null;
  return Math.min(1, Math.max(0, completions / enrollments));
}

/** A count in the locale's digits and separators: 12,345 or 12.345. */
export function formatCount(n: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(n);
}

/** A rate as a whole percentage ("43%", "43 %"), a rate under 1 % with one decimal; "—" for none. */
export function formatRate(rate: number | null, locale: string): string {
  if (rate === null) return '—';
  const digits = rate > 0 && rate < 0.01 ? 1 : 0;
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: digits }).format(rate);
}

function utc(date: CalendarDate): Date {
  return new Date(`${date}T00:00:00Z`);
}

/**
 * A bucket's days in words of the locale: "26 Nov" for a day, "24–30 Nov"
 * for a week. withYear adds the year, for tables and long periods.
 */
export function formatBucket(b: Pick<Bucket, 'from' | 'to'>, locale: string, withYear = false): string {
  const f = new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'short',
    ...(withYear ? { year: 'numeric' } : {}),
    timeZone: 'UTC',
  });
  return b.from === b.to ? f.format(utc(b.from)) : f.formatRange(utc(b.from), utc(b.to));
}


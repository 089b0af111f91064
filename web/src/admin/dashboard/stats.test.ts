import { describe, expect, it } from 'vitest';
import { addDays } from '../../lib/calendar-date';
import type { DashboardDay } from './api';
import { bucketSeries, busiest, completionRate, formatBucket, formatCount, formatRate, periodOf, totals, unitFor } from './stats';

function day(date: string, counts: Partial<DashboardDay> = {}): DashboardDay {
  return { date, enrollments: 0, completions: 0, ticks: 0, practice_minutes: 0, new_users: 0, ...counts };
}

/** A series of n days ending on `to`, every day with one enrolment and date-dependent minutes. */
function series(to: string, n: number): DashboardDay[] {
  return Array.from({ length: n }, (_, i) => day(addDays(to, i - n + 1), { enrollments: 1, practice_minutes: i }));
}

describe('periodOf', () => {
  it('takes the periods the dashboard offers from the URL', () => {
    expect(periodOf('7')).toBe(7);
    expect(periodOf('90')).toBe(90);
    expect(periodOf('365')).toBe(365);
  });

  it('falls back to 30 days for a missing, odd or hand-typed value', () => {
    expect(periodOf(null)).toBe(30);
    expect(periodOf('')).toBe(30);
    expect(periodOf('14')).toBe(30);
    expect(periodOf('abc')).toBe(30);
    expect(periodOf('7.5')).toBe(30);
  });
});

describe('bucketSeries', () => {
  it('keeps a day a bucket for periods up to 90 days', () => {
    expect(unitFor(7)).toBe('day');
    expect(unitFor(90)).toBe('day');
    const s = series('2026-11-26', 30);
    const b = bucketSeries(s, 'day');
    expect(b).toHaveLength(30);
    expect(b[0]).toMatchObject({ from: '2026-10-28', to: '2026-10-28', enrollments: 1, practice_minutes: 0 });
  });

  it('gathers a year into Monday-to-Sunday weeks, cutting the first and last to the period', () => {
    expect(unitFor(365)).toBe('week');
    // 2026-11-26 is a Thursday; 365 days back starts on Friday 2025-11-27.
    const s = series('2026-11-26', 365);
    const weeks = bucketSeries(s, 'week');
    expect(weeks[0]).toMatchObject({ from: '2025-11-27', to: '2025-11-30', enrollments: 4 });
    expect(weeks[1]).toMatchObject({ from: '2025-12-01', to: '2025-12-07', enrollments: 7 });
    expect(weeks.at(-1)).toMatchObject({ from: '2026-11-23', to: '2026-11-26', enrollments: 4 });
    // 4 days, 51 whole weeks, 4 days.
    expect(weeks).toHaveLength(53);
    // Nothing is lost or counted twice.
    expect(totals(weeks)).toEqual(totals(bucketSeries(s, 'day')));
    expect(totals(weeks).practice_minutes).toBe((364 * 365) / 2);
  });

  it('makes nothing of an empty series', () => {
    expect(bucketSeries([], 'week')).toEqual([]);
    expect(totals([])).toEqual({ enrollments: 0, completions: 0, ticks: 0, practice_minutes: 0, new_users: 0 });
  });
});

describe('busiest', () => {
  it('is the first bucket with the most', () => {
    const b = bucketSeries([day('2026-11-01', { new_users: 2 }), day('2026-11-02', { new_users: 5 }), day('2026-11-03', { new_users: 5 })], 'day');
    expect(busiest(b, 'new_users')?.from).toBe('2026-11-02');
  });

  it('is none on a quiet site', () => {
    expect(busiest(bucketSeries(series('2026-11-26', 7), 'day'), 'completions')).toBeNull();
  });
});

describe('completionRate', () => {
  it('is completions over enrolments', () => {
    expect(completionRate(3, 12)).toBe(0.25);
    expect(completionRate(0, 5)).toBe(0);
  });

  it('is no rate at all when nobody enrolled, rather than 0 % or a division by zero', () => {
    expect(completionRate(0, 0)).toBeNull();
    expect(formatRate(completionRate(0, 0), 'en')).toBe('—');
  });

  it('never passes 100 %', () => {
    expect(completionRate(5, 4)).toBe(1);
  });
});

describe('numbers in the locale', () => {
  it('groups digits as the locale does', () => {
    expect(formatCount(12345, 'en-GB')).toBe('12,345');
    expect(formatCount(12345, 'vi')).toBe('12.345');
    expect(formatCount(0, 'en')).toBe('0');
  });

  it('writes rates as whole percentages, small ones with a decimal', () => {
    expect(formatRate(0.4267, 'en')).toBe('43%');
    expect(formatRate(1, 'en')).toBe('100%');
    expect(formatRate(0, 'en')).toBe('0%');
    expect(formatRate(0.004, 'en')).toBe('0.4%');
    expect(formatRate(0.5, 'vi')).toMatch(/^50\s?%$/);
  });
});

describe('formatBucket', () => {
  it('names a day, in the locale, whatever the time zone of the browser', () => {
    expect(formatBucket({ from: '2026-11-26', to: '2026-11-26' }, 'en-GB')).toBe('26 Nov');
    expect(formatBucket({ from: '2026-01-01', to: '2026-01-01' }, 'en-US', true)).toBe('Jan 1, 2026');
  });

  it('names a week by its first and last day', () => {
    // ICU's spacing around the dash differs between versions.
    expect(formatBucket({ from: '2026-11-23', to: '2026-11-29' }, 'en-GB')).toMatch(/^23\s?–\s?29 Nov$/);
    expect(formatBucket({ from: '2026-12-28', to: '2027-01-03' }, 'en-GB', true)).toMatch(/^28 Dec 2026\s?–\s?3 Jan 2027$/);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addDays, dateLocale, daysBetween, formatDate, formatInstant, startOfWeek, weekday } from './calendar-date';

// The browser's own zone must never move a date: run as a browser in Los
// Angeles, where midnight UTC is still the day before.
let zone: string | undefined;
beforeEach(() => {
  zone = process.env.TZ;
  process.env.TZ = 'America/Los_Angeles';
});
afterEach(() => {
  process.env.TZ = zone;
});

describe('formatDate', () => {
  it('shows the date of the person’s calendar, even in a browser west of Greenwich', () => {
    expect(formatDate('2025-03-09', 'en')).toBe('March 9, 2025');
    expect(formatDate('2025-01-01', 'en', { month: 'short', day: 'numeric' })).toBe('Jan 1');
  });

  it('speaks the person’s language', () => {
    expect(formatDate('2025-03-09', 'vi')).toBe('9 tháng 3, 2025');
  });
});

describe('dateLocale', () => {
  it('writes dates as the person’s browser does for the interface’s language', () => {
    expect(formatDate('2025-03-09', dateLocale('en', ['en-GB', 'vi']))).toBe('9 March 2025');
    expect(formatDate('2025-03-09', dateLocale('en', ['en-US']))).toBe('March 9, 2025');
    expect(dateLocale('vi', ['en-GB', 'vi-VN'])).toBe('vi-VN');
  });

  it('falls back to the interface’s language when the browser prefers none of its kind', () => {
    expect(dateLocale('vi', ['fr-FR', 'en-GB'])).toBe('vi');
  });
});

describe('formatInstant', () => {
  const late = '2025-03-09T23:30:00Z';

  it('reads the clock of the person’s time zone, not the browser’s', () => {
    const options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };
    expect(formatInstant(late, 'en', 'Asia/Ho_Chi_Minh', options)).toBe('Mar 10, 2025, 6:30 AM');
    expect(formatInstant(late, 'en', 'Europe/London', options)).toBe('Mar 9, 2025, 11:30 PM');
  });

  it('falls back to the browser’s zone when the person’s is unknown', () => {
    // 03:00 UTC on 10 March is still the evening of 9 March in Los Angeles.
    expect(formatInstant('2025-03-10T03:00:00Z', 'en', 'Mars/Olympus_Mons', { dateStyle: 'medium' })).toBe('Mar 9, 2025');
  });
});

describe('date arithmetic', () => {
  it('counts calendar days across a daylight-saving change', () => {
    process.env.TZ = 'America/New_York'; // clocks went forward on 9 March 2025
    expect(addDays('2025-03-08', 1)).toBe('2025-03-09');
    expect(addDays('2025-03-09', 1)).toBe('2025-03-10');
    expect(daysBetween('2025-03-01', '2025-04-01')).toBe(31);
  });

  it('crosses months and years both ways', () => {
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(daysBetween('2025-01-10', '2025-01-03')).toBe(-7);
  });

  it('starts weeks on Monday', () => {
    expect(weekday('2025-03-10')).toBe(0); // a Monday
    expect(weekday('2025-03-09')).toBe(6); // a Sunday
    expect(startOfWeek('2025-03-09')).toBe('2025-03-03');
    expect(startOfWeek('2025-03-10')).toBe('2025-03-10');
  });
});

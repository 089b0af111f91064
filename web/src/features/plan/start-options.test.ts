import { describe, expect, it } from 'vitest';
import { enrollBody, openStartDates, todayIn } from './start-options';

describe("the reader's today", () => {
  const lateEvening = new Date('2025-03-09T23:30:00Z');
  it('is the date where the reader lives, not where the browser thinks it is', () => {
    expect(todayIn('Asia/Ho_Chi_Minh', lateEvening)).toBe('2025-03-10');
    expect(todayIn('America/Los_Angeles', lateEvening)).toBe('2025-03-09');
  });
  it("falls back to the browser's zone for a zone it does not know", () => {
    expect(todayIn('Nowhere/Atlantis', lateEvening)).toMatch(/^2025-03-(09|10)$/);
  });
});

describe('the fixed start dates a reader can choose', () => {
  it('keeps the runs not yet over, in order, and none more than a year ahead', () => {
    const fixed = ['2025-07-01', '2025-03-01', '2025-03-08', '2026-06-01', 'soon'];
    // A 7-day run that began on 8 March is still going on the 10th; one from 1 March is over.
    expect(openStartDates(fixed, 7, '2025-03-10')).toEqual(['2025-03-08', '2025-07-01']);
  });
  it('has nothing to offer when every run is over', () => {
    expect(openStartDates(['2024-01-01'], 30, '2025-03-10')).toEqual([]);
  });
});

describe('the enrolment request', () => {
  const base = { slug: 'metta', today: '2025-03-10', start: '2025-03-10', fixed: false, pace: 'daily' as const, perWeek: 3 };

  it('leaves a start today to the server, which knows the reader’s day', () => {
    expect(enrollBody(base)).toEqual({ plan: 'metta', pace: 'daily' });
  });

  it('names another start day, and the days a week for that pace', () => {
    expect(enrollBody({ ...base, start: '2025-03-17', pace: 'n_per_week', perWeek: 3 })).toEqual({
      plan: 'metta',
      pace: 'n_per_week',
      per_week: 3,
      start_date: '2025-03-17',
    });
    expect(enrollBody({ ...base, pace: 'n_per_week', perWeek: 12 }).per_week).toBe(7);
  });

  it('sends days a week only with that pace', () => {
    expect(enrollBody({ ...base, pace: 'weekdays' })).toEqual({ plan: 'metta', pace: 'weekdays' });
    expect(enrollBody({ ...base, pace: 'self_paced' })).toEqual({ plan: 'metta', pace: 'self_paced' });
  });

  it('starts a plan with fixed dates on the chosen date, daily', () => {
    expect(enrollBody({ ...base, fixed: true, start: '2025-03-10', pace: 'weekdays' })).toEqual({
      plan: 'metta',
      pace: 'daily',
      start_date: '2025-03-10',
    });
  });
});

import { describe, expect, it } from 'vitest';
import { heatmapWeeks, levelOf, practisedDaysByMonth, weeklyMinutes, type ActivityDay } from './activity';

const day = (date: string, over: Partial<ActivityDay> = {}): ActivityDay => ({
  date,
  days_finished: 1,
  sessions: 0,
  minutes_meditated: 0,
  ...over,
});

describe('heatmapWeeks', () => {
  // Wednesday 5 March to Sunday 16 March 2025.
  const weeks = heatmapWeeks('2025-03-05', '2025-03-16', [day('2025-03-09', { sessions: 2 }), day('2025-03-10')]);

  it('lays the days out in weeks from Monday, leaving out dates outside the range', () => {
    expect(weeks).toHaveLength(2);
    expect(weeks[0]!.map((c) => c?.date ?? null)).toEqual([
      null,
      null,
      '2025-03-05',
      '2025-03-06',
      '2025-03-07',
      '2025-03-08',
      '2025-03-09',
    ]);
    expect(weeks[1]![6]!.date).toBe('2025-03-16');
  });

  it('marks the days practised, darker for more practice', () => {
    expect(weeks[0]![6]!.level).toBe(3); // a day finished and two sessions
    expect(weeks[1]![0]!.level).toBe(1);
    expect(weeks[1]![1]!.level).toBe(0);
  });

  it('covers a whole year in 53 weeks or fewer', () => {
    expect(heatmapWeeks('2024-03-10', '2025-03-09', []).length).toBeLessThanOrEqual(54);
    expect(heatmapWeeks('2024-03-10', '2025-03-09', []).flat().filter(Boolean)).toHaveLength(365);
  });
});

describe('levelOf', () => {
  it('caps the darkest shade at four practices', () => {
    expect(levelOf(undefined)).toBe(0);
    expect(levelOf(day('2025-03-09', { days_finished: 3, sessions: 5 }))).toBe(4);
  });
});

describe('weeklyMinutes', () => {
  it('adds up the minutes of each week, Monday to Sunday, oldest week first', () => {
    const weeks = weeklyMinutes(
      '2025-03-12',
      [
        day('2025-03-10', { minutes_meditated: 20 }), // this week's Monday
        day('2025-03-12', { minutes_meditated: 15 }),
        day('2025-03-09', { minutes_meditated: 10 }), // last week's Sunday
        day('2025-01-01', { minutes_meditated: 99 }), // before the weeks shown
      ],
      3,
    );
    expect(weeks).toEqual([
      { week: '2025-02-24', minutes: 0 },
      { week: '2025-03-03', minutes: 10 },
      { week: '2025-03-10', minutes: 35 },
    ]);
  });
});

describe('practisedDaysByMonth', () => {
  it('counts the days practised in each month, for the words beside the map', () => {
    expect(
      practisedDaysByMonth([day('2025-03-02'), day('2025-02-28'), day('2025-03-01'), day('2025-03-03', { days_finished: 0 })]),
    ).toEqual([
      { month: '2025-02', days: 1 },
      { month: '2025-03', days: 2 },
    ]);
  });
});

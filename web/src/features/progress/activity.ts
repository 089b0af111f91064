// A person's practice per day (GET /v1/me/activity), arranged for the
// year's heat-map, the minutes meditated per week, and their words for
// screen readers. Dates are the person's calendar dates, never instants.
import { addDays, daysBetween, startOfWeek, type CalendarDate } from '../../lib/calendar-date';
import type { components } from '../../api/schema';

export type ActivityDay = components['schemas']['ActivityDayBody'];

/** One square of the heat-map: a date and how much practice it had (0 to 4). */
export interface Cell {
  date: CalendarDate;
  level: 0 | 1 | 2 | 3 | 4;
  day: ActivityDay | undefined;
}

/** How dark a day's square is: by the things practised (days finished and sessions). */
export function levelOf(day: ActivityDay | undefined): Cell['level'] {
  const practices = day ? day.days_finished + day.sessions : 0;
  return Math.min(4, practices) as Cell['level'];
}

/**
 * The heat-map's columns: one per week (Monday first) from the week of from
 * to the week of to, each with seven cells, null outside from..to.
 */
export function heatmapWeeks(from: CalendarDate, to: CalendarDate, days: readonly ActivityDay[]): (Cell | null)[][] {
  const byDate = new Map(days.map((d) => [d.date, d]));
  const first = startOfWeek(from);
  const weeks: (Cell | null)[][] = [];
  for (let monday = first; monday <= to; monday = addDays(monday, 7)) {
    weeks.push(
      Array.from({ length: 7 }, (_, i) => {
        const date = addDays(monday, i);
        if (date < from || date > to) return null;
        const day = byDate.get(date);
        return { date, level: levelOf(day), day };
      }),
    );
  }
  return weeks;
}

/** Minutes meditated in each of the `count` weeks (Monday first) ending with the week of to, oldest first. */
export function weeklyMinutes(to: CalendarDate, days: readonly ActivityDay[], count: number): { week: CalendarDate; minutes: number }[] {
  const last = startOfWeek(to);
  const weeks = Array.from({ length: count }, (_, i) => ({ week: addDays(last, (i - count + 1) * 7), minutes: 0 }));
  for (const day of days) {
    const index = count - 1 - Math.floor(daysBetween(startOfWeek(day.date), last) / 7);
    const week = weeks[index];
    if (week) week.minutes += day.minutes_meditated;
  }
  return weeks;
}

/** Days practised in each month that had any, oldest first, as "YYYY-MM". */
export function practisedDaysByMonth(days: readonly ActivityDay[]): { month: string; days: number }[] {
  const months = new Map<string, number>();
  for (const day of [...days].sort((a, b) => a.date.localeCompare(b.date))) {
    if (levelOf(day) === 0) continue;
    const month = day.date.slice(0, 7);
    months.set(month, (months.get(month) ?? 0) + 1);
  }
  return [...months].map(([month, n]) => ({ month, days: n }));
}

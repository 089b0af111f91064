import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { dateLocale, formatDate, type CalendarDate } from '../../../lib/calendar-date';
import { weeklyMinutes, type ActivityDay } from '../activity';

const WEEKS = 12;
const tick = { fill: 'var(--color-muted)', fontSize: 12 };

/** Minutes meditated in each of the last twelve weeks: a bar chart, and a table for screen readers. */
export function WeeklyMinutesChart({ to, days }: { to: CalendarDate; days: ActivityDay[] }) {
  const { t, i18n } = useTranslation('progress');
  const id = useId();
  const locale = dateLocale(i18n.language);
  const data = weeklyMinutes(to, days, WEEKS).map((w) => ({
    label: formatDate(w.week, locale, { day: 'numeric', month: 'short' }),
    minutes: w.minutes,
  }));
  const total = data.reduce((sum, w) => sum + w.minutes, 0);

  return (
    <figure aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`} className="font-serif text-2xl">
        {t('weekly.title')}
      </figcaption>
      <p className="mt-1 text-muted">{total > 0 ? t('weekly.summary', { count: total, weeks: WEEKS }) : t('weekly.empty')}</p>
      <div aria-hidden="true" className="mt-4 h-56">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} accessibilityLayer={false} margin={{ top: 8, right: 4, bottom: 0, left: -12 }}>
            <CartesianGrid vertical={false} stroke="var(--color-ink)" strokeOpacity={0.1} />
            <XAxis dataKey="label" tick={tick} tickLine={false} axisLine={false} interval="preserveStartEnd" minTickGap={16} />
            <YAxis allowDecimals={false} tick={tick} tickLine={false} axisLine={false} width={44} />
            <Tooltip
              cursor={{ fill: 'var(--color-ink)', fillOpacity: 0.05 }}
              contentStyle={{
                background: 'var(--color-surface)',
                border: '1px solid color-mix(in srgb, var(--color-ink) 15%, transparent)',
                borderRadius: 8,
                color: 'var(--color-ink)',
              }}
              formatter={(value) => [t('weekly.minutes', { count: Number(value) }), '']}
              separator=""
            />
            <Bar dataKey="minutes" fill="var(--color-accent)" radius={[4, 4, 0, 0]} maxBarSize={36} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <table className="sr-only">
        <caption>{t('weekly.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('weekly.week')}</th>
            <th scope="col">{t('weekly.minutesHeader')}</th>
          </tr>
        </thead>
        <tbody>
          {data.map((w) => (
            <tr key={w.label}>
              <th scope="row">{w.label}</th>
              <td>{w.minutes}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

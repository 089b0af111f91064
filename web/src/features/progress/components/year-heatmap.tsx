import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { addDays, dateLocale, formatDate, type CalendarDate } from '../../../lib/calendar-date';
import { heatmapWeeks, practisedDaysByMonth, type ActivityDay } from '../activity';

const CELL = 12;
const STEP = 15;
const LEFT = 30;
const TOP = 18;
const opacity = [0.08, 0.35, 0.6, 0.8, 1];

/**
 * A year of practice as a grid of days, one column a week, darker for more
 * practice; for screen readers, a sentence and the days practised in each
 * month.
 */
export function YearHeatmap({ from, to, days }: { from: CalendarDate; to: CalendarDate; days: ActivityDay[] }) {
  const { t, i18n } = useTranslation('progress');
  const locale = dateLocale(i18n.language);
  const id = useId();
  const scroller = useRef<HTMLDivElement>(null);
  const weeks = heatmapWeeks(from, to, days);
  const months = practisedDaysByMonth(days);
  const practised = months.reduce((sum, m) => sum + m.days, 0);
  const width = LEFT + weeks.length * STEP;
  const height = TOP + 7 * STEP;

  // On a narrow screen the map scrolls: show the recent weeks first.
  useEffect(() => {
    const el = scroller.current;
    if (el) el.scrollLeft = el.scrollWidth;
  }, []);

  const range = { from: formatDate(from, locale), to: formatDate(to, locale) };
  const summary = practised ? t('heatmap.summary', { count: practised, ...range }) : t('heatmap.empty', range);

  return (
    <figure>
      <figcaption id={`${id}-caption`} className="font-serif text-2xl">
        {t('heatmap.title')}
      </figcaption>
      <p className="mt-1 text-muted">{summary}</p>
      <div
        ref={scroller}
        tabIndex={0}
        aria-labelledby={`${id}-caption`}
        className="-mx-1 mt-4 overflow-x-auto px-1 pb-2"
      >
        <svg role="img" aria-label={summary} width={width} height={height} className="block">
          {weeks.map((week, w) => {
            const first = week.find((c) => c !== null);
            const startsMonth = first && Number(first.date.slice(8)) <= 7;
            return (
              <g key={w} transform={`translate(${LEFT + w * STEP} 0)`}>
                {startsMonth && w < weeks.length - 2 && (
                  <text y={11} className="fill-muted text-[10px]">
                    {formatDate(first.date, locale, { month: 'short' })}
                  </text>
                )}
                {week.map(
                  (cell, d) =>
                    cell && (
                      <rect
                        key={cell.date}
                        y={TOP + d * STEP}
                        width={CELL}
                        height={CELL}
                        rx={2.5}
                        className={cell.level ? 'fill-accent' : 'fill-ink'}
                        fillOpacity={opacity[cell.level]}
                      >
                        <title>
                          {`${formatDate(cell.date, locale, { dateStyle: 'medium' })}: ${
                            cell.day ? t('heatmap.cell', { count: cell.day.days_finished + cell.day.sessions }) : t('heatmap.none')
                          }`}
                        </title>
                      </rect>
                    ),
                )}
              </g>
            );
          })}
          {[0, 2, 4].map((d) => (
            <text key={d} x={0} y={TOP + d * STEP + 10} className="fill-muted text-[10px]">
              {formatDate(addDays('2024-01-01', d), locale, { weekday: 'short' })}
            </text>
          ))}
        </svg>
      </div>
      <div aria-hidden="true" className="mt-2 flex items-center justify-end gap-1.5 text-xs text-muted">
        {t('heatmap.less')}
        {opacity.map((o, level) => (
          <svg key={level} width={CELL} height={CELL}>
            <rect width={CELL} height={CELL} rx={2.5} className={level ? 'fill-accent' : 'fill-ink'} fillOpacity={o} />
          </svg>
        ))}
        {t('heatmap.more')}
      </div>
      <ul className="sr-only">
        {months.map((m) => (
          <li key={m.month}>
            {t('heatmap.month', {
              month: formatDate(`${m.month}-01`, locale, { month: 'long', year: 'numeric' }),
              count: m.days,
            })}
          </li>
        ))}
      </ul>
    </figure>
  );
}

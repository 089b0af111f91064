import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { components } from '../../../api/schema';

type Day = components['schemas']['DayOutlineBody'];

/** Long plans show their first days, and the rest on request. */
const shownAtFirst = 10;

/** The plan day by day: each day's title and what it holds; the preview days can be read here. */
export function Outline({ days, onPreview }: { days: Day[]; onPreview: (n: number) => void }) {
  const { t } = useTranslation('plan');
  const [all, setAll] = useState(days.length <= shownAtFirst + 2);
  const shown = all ? days : days.slice(0, shownAtFirst);
  return (
    <section aria-labelledby="outline-title" className="mt-14">
      <h2 id="outline-title" className="font-serif text-2xl">
        {t('outline.heading')}
      </h2>
      <ol className="mt-4 divide-y divide-ink/10 border-y border-ink/10">
        {shown.map((day) => (
          <li key={day.number} className="flex items-center gap-4 py-3.5">
            <span
              aria-hidden="true"
              className="flex size-9 shrink-0 items-center justify-center rounded-full border border-accent/30 font-serif text-accent"
            >
              {day.number}
            </span>
            <div className="min-w-0 flex-1">
              <p className="font-serif text-lg leading-snug">
                <span className="sr-only">{t('outline.day', { n: day.number })}: </span>
                {day.title || t('outline.day', { n: day.number })}
              </p>
              <p className="text-sm text-muted">{contents(day, t)}</p>
            </div>
            {day.preview && (
              <button
                type="button"
                onClick={() => onPreview(day.number)}
                aria-label={t('outline.readDay', { n: day.number })}
                className="shrink-0 rounded-full border border-accent/40 px-3 py-1 text-sm text-accent hover:bg-accent/10"
              >
                {t('outline.read')}
              </button>
            )}
          </li>
        ))}
      </ol>
      {!all && (
        <button type="button" onClick={() => setAll(true)} className="mt-4 text-accent underline underline-offset-4 hover:no-underline">
          {t('outline.showAll', { count: days.length })}
        </button>
      )}
    </section>
  );
}

function contents(day: Day, t: TFunction<'plan'>): string {
  const parts = [];
  if (day.minutes > 0) parts.push(t('outline.minutes', { count: day.minutes }));
  if (day.items > 0) parts.push(t('outline.items', { count: day.items }));
  if (day.tasks > 0) parts.push(t('outline.tasks', { count: day.tasks }));
  return parts.join(' · ');
}

import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { components } from '../../../api/schema';
import { MediaImage } from '../../../components/media-image';
import { markedPieces } from '../marked-text';
import { Lotus } from './lotus';

type Plan = components['schemas']['PlanCard'];

// Cards fill the column on a phone, half of it from 640 px, and the
// column stops growing at 56rem (896 px).
const coverSizes = '(min-width: 896px) 432px, (min-width: 640px) 50vw, 100vw';

/** A plan as Discover lists it: its cover, what it is (or, found by a search, where the words matched), how long it takes, who wrote it. */
export function PlanCard({ plan }: { plan: Plan }) {
  const { t } = useTranslation('discover');
  const about = plan.match?.snippet_html ? <Marked html={plan.match.snippet_html} /> : plan.subtitle;
  return (
    <article className="group relative flex h-full flex-col overflow-hidden rounded-2xl border border-ink/10 bg-surface shadow-xs transition-shadow hover:shadow-md has-[a:focus-visible]:outline-2 has-[a:focus-visible]:outline-offset-2 has-[a:focus-visible]:outline-accent">
      <div className="aspect-[2/1] overflow-hidden bg-accent/5">
        {plan.cover ? (
          <MediaImage
            media={plan.cover}
            alt=""
            sizes={coverSizes}
            className="size-full object-cover transition-transform duration-500 group-hover:scale-[1.02] motion-reduce:transition-none"
          />
        ) : (
          <CoverPlaceholder />
        )}
      </div>
      <div className="flex flex-1 flex-col p-5">
        <p className="text-xs font-medium uppercase tracking-wider text-muted">
          {t(`common:catalog.tradition.${plan.tradition}`)} · {t(`common:catalog.level.${plan.level}`)}
        </p>
        <h3 className="mt-1.5 font-serif text-xl leading-snug text-balance">
          <Link to={`/plans/${plan.slug}`} className="after:absolute after:inset-0 focus-visible:outline-none">
            {plan.match?.title_html ? <Marked html={plan.match.title_html} /> : plan.title}
          </Link>
        </h3>
        {about && <p className="mt-1.5 line-clamp-3 text-muted">{about}</p>}
        <PlanFacts plan={plan} />
      </div>
    </article>
  );
}

/** How long a plan takes and who wrote it. */
function PlanFacts({ plan }: { plan: Plan }) {
  const { t } = useTranslation('discover');
  // Joined plainly: Intl.ListFormat's first use costs Discover's first paint tens of milliseconds on a phone.
  const names = (plan.authors ?? []).map((a) => a.name);
  return (
    <div className="mt-auto space-y-0.5 pt-4 text-sm text-muted">
      <p>
        {t('common:catalog.days', { count: plan.days })}
        {plan.minutes_per_day > 0 && <> · {t('common:catalog.minutesPerDay', { count: plan.minutes_per_day })}</>}
      </p>
      {names.length > 0 && <p>{t('common:catalog.by', { names: names.join(', ') })}</p>}
    </div>
  );
}

/** A search match: the words found, marked. */
function Marked({ html }: { html: string }) {
  return markedPieces(html).map((piece, i) =>
    piece.marked ? (
      <mark key={i} className="rounded-sm bg-accent/15 text-inherit">
        {piece.text}
      </mark>
    ) : (
      piece.text
    ),
  );
}

/** In place of a cover: a quiet lotus. */
function CoverPlaceholder() {
  return (
    <div className="flex size-full items-center justify-center bg-gradient-to-br from-accent/5 to-accent/15">
      <Lotus className="w-16 text-accent/40" />
    </div>
  );
}

import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { components } from '../../../api/schema';
import { MediaImage } from '../../../components/media-image';
import { QueryError } from '../../../components/query-error';
import { useRecommendations } from '../api/use-recommendations';
import { Lotus } from './lotus';

type Recommended = components['schemas']['RecommendedPlan'];

/** Plans suggested to read next, each with why: for a newcomer, what is popular and new. */
export function Recommendations() {
  const { t } = useTranslation('discover');
  const recommended = useRecommendations(4);
  if (recommended.isSuccess && recommended.data.length === 0) return null;
  return (
    <section aria-labelledby="recommended-title" className="mt-10">
      <h2 id="recommended-title" className="font-serif text-2xl">
        {t('recommendations.heading')}
      </h2>
      <div className="mt-4" aria-busy={recommended.isPending}>
        {recommended.isPending ? (
          <ul className={row} aria-hidden="true">
            {[0, 1, 2, 3].map((i) => (
              <li key={i} className={`${cell} ${i > 1 ? 'max-sm:hidden' : ''}`}>
                <div className={`${card} animate-pulse motion-reduce:animate-none`}>
                  <div className={`${thumb} bg-ink/5`} />
                  <div className="flex-1 space-y-2 py-1">
                    <div className="h-5 w-4/5 rounded bg-ink/10" />
                    <div className="h-4 w-3/5 rounded bg-ink/5" />
                    <div className="h-3 w-2/5 rounded bg-ink/5" />
                  </div>
                </div>
              </li>
            ))}
          </ul>
        ) : recommended.isError ? (
          <QueryError error={recommended.error} onRetry={() => void recommended.refetch()} />
        ) : (
          <ul className={row}>
            {recommended.data.map((item) => (
              <li key={item.id} className={cell}>
                <RecommendedPlan item={item} />
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}

// A row to swipe through on a phone, a grid of two from 640 px; the
// skeleton has the cards' own shape, so nothing moves when they come.
const row =
  '-mx-4 flex snap-x snap-mandatory scroll-px-4 gap-3 overflow-x-auto px-4 pb-2 sm:mx-0 sm:grid sm:grid-cols-2 sm:overflow-visible sm:px-0 sm:pb-0';
const cell = 'w-[85%] shrink-0 snap-start sm:w-auto';
const card = 'relative flex h-full min-h-[7.5rem] gap-4 rounded-xl border border-ink/10 bg-surface p-3';
const thumb = 'aspect-square w-20 shrink-0 overflow-hidden rounded-lg sm:w-24';

function RecommendedPlan({ item }: { item: Recommended }) {
  const { t } = useTranslation('discover');
  const reason = useReason(item);
  return (
    <article
      className={`${card} transition-shadow hover:shadow-md has-[a:focus-visible]:outline-2 has-[a:focus-visible]:outline-offset-2 has-[a:focus-visible]:outline-accent`}
    >
      <div className={`${thumb} bg-accent/5`}>
        {item.cover ? (
          <MediaImage media={item.cover} alt="" sizes="96px" className="size-full object-cover" />
        ) : (
          <div className="flex size-full items-center justify-center bg-gradient-to-br from-accent/5 to-accent/15">
            <Lotus className="w-10 text-accent/40" />
          </div>
        )}
      </div>
      <div className="min-w-0 py-0.5">
        <h3 className="font-serif text-lg leading-snug">
          <Link to={`/plans/${item.slug}`} className="after:absolute after:inset-0 focus-visible:outline-none">
            {item.title}
          </Link>
        </h3>
        <p className="mt-1 text-sm italic text-accent">{reason}</p>
        <p className="mt-1 text-xs text-muted">
          {t('common:catalog.days', { count: item.days })}
          {item.minutes_per_day > 0 && <> · {t('common:catalog.minutesPerDay', { count: item.minutes_per_day })}</>}
        </p>
      </div>
    </article>
  );
}

/**
 * Why a plan is suggested. The server says it in English, naming the plan
 * it is based on; in another language the reader gets our words for the
 * kind of reason instead.
 */
function useReason(item: Recommended): string {
  const { t, i18n } = useTranslation('discover');
  if (item.reason && i18n.language === 'en') return item.reason;
  return t(`recommendations.reason.${item.kind}`);
}

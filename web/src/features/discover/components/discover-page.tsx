import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { QueryError } from '../../../components/query-error';
import { usePlanSearch } from '../api/use-plan-search';
import { isFiltered, readDiscover, withFilter, withSearch, withoutFilters, type DiscoverState } from '../search-params';
import { FacetFilters } from './facet-filters';
import { LoadMore, NothingFound, PlanGrid, PlanGridSkeleton } from './plan-list';
import { Recommendations } from './recommendations';
import { SearchBox } from './search-box';

/** Discover: search and browse the published plans, for choosing one to begin. The search and filters live in the URL. */
export function DiscoverPage() {
  const { t } = useTranslation('discover');
  const [params, setSearchParams] = useSearchParams();
  const state = useMemo(() => readDiscover(params), [params]);
  // A new search or filter is a step back can undo, but the page stays where it is.
  const setParams = (next: URLSearchParams) => setSearchParams(next, { preventScrollReset: true });
  const browsing = !state.q && !isFiltered(state);

  return (
    <section aria-labelledby="discover-title">
      <title>{`${state.q ? t('results.titleFor', { q: state.q }) : t('title')} · ${t('common:appName')}`}</title>
      <h1 id="discover-title" className="font-serif text-3xl sm:text-4xl">
        {t('title')}
      </h1>
      <p className="mt-2 text-muted">{t('intro')}</p>
      <SearchBox q={state.q} onSearch={(q) => setParams(withSearch(params, q))} />
      {browsing && <Recommendations />}
      <Results state={state} params={params} setParams={setParams} />
    </section>
  );
}

interface ResultsProps {
  state: DiscoverState;
  params: URLSearchParams;
  setParams: (next: URLSearchParams) => void;
}

/** The plans the search and filters find, with the filters above them and more below on request. */
function Results({ state, params, setParams }: ResultsProps) {
  const { t } = useTranslation('discover');
  const search = usePlanSearch(state);
  const plans = search.data?.pages.flatMap((page) => page.items ?? []) ?? [];
  const first = search.data?.pages[0];
  const replacing = search.isPlaceholderData;

  return (
    <section aria-labelledby="results-title" className="mt-10">
      <h2 id="results-title" className="font-serif text-2xl">
        {state.q ? t('results.heading', { q: state.q }) : t('results.allPlans')}
      </h2>
      {first?.searched_for && !replacing && (
        <p className="mt-1 text-muted">{t('results.searchedFor', { q: state.q, corrected: first.searched_for })}</p>
      )}
      <FacetFilters
        facets={first?.facets}
        filters={state.filters}
        onChange={(name, value) => setParams(withFilter(params, name, value))}
        onClear={() => setParams(withoutFilters(params))}
      />
      <div className={`mt-6 transition-opacity ${replacing ? 'opacity-60' : ''}`} aria-busy={search.isFetching}>
        {search.isPending ? (
          <PlanGridSkeleton label={t('results.loading')} />
        ) : search.isError && plans.length === 0 ? (
          <QueryError error={search.error} onRetry={() => void search.refetch()} />
        ) : plans.length === 0 ? (
          <NothingFound
            action={
              !isFiltered(state) && !state.q ? undefined : (
                <button
                  type="button"
                  onClick={() => setParams(new URLSearchParams())}
                  className="rounded-full border border-ink/20 px-5 py-2 font-medium hover:bg-ink/5"
                >
                  {t('results.showAll')}
                </button>
              )
            }
          >
            <p className="font-serif text-xl text-ink">{state.q ? t('results.emptyFor', { q: state.q }) : t('results.empty')}</p>
            {(state.q || isFiltered(state)) && <p className="mt-1">{t('results.emptyHint')}</p>}
          </NothingFound>
        ) : (
          <>
            <PlanGrid plans={plans} />
            {search.isFetchNextPageError && (
              <div className="mt-6">
                <QueryError error={search.error} onRetry={() => void search.fetchNextPage()} />
              </div>
            )}
            {search.hasNextPage && !search.isFetchNextPageError && (
              <LoadMore loading={search.isFetchingNextPage} onClick={() => void search.fetchNextPage()} />
            )}
          </>
        )}
      </div>
    </section>
  );
}

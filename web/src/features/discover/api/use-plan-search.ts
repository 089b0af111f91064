import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { dataOf } from '../../../api/problem';
import { plansQuery, type DiscoverState } from '../search-params';

/** Pages of the catalogue as state searches and filters it; the first page carries the facets. */
export function usePlanSearch(state: DiscoverState) {
  const query = plansQuery(state);
  return useInfiniteQuery({
    queryKey: ['plans', 'search', query],
    queryFn: async ({ pageParam, signal }) =>
      dataOf(await api.GET('/v1/plans', { params: { query: { ...query, cursor: pageParam } }, signal })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor || undefined,
    // The list being replaced stays, dimmed, until the new one arrives: the filters do not jump.
    placeholderData: keepPreviousData,
  });
}

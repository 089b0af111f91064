import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { dataOf } from '../../../api/problem';

/** The API suggests from two letters on. */
export const suggestFrom = 2;

/** Plans whose title, topics or authors start with what was typed. */
export function useSuggestions(typed: string) {
  const q = typed.trim();
  return useQuery({
    queryKey: ['plans', 'suggest', q],
    queryFn: async ({ signal }) => dataOf(await api.GET('/v1/search/suggest', { params: { query: { q } }, signal })).items ?? [],
    enabled: q.length >= suggestFrom,
    placeholderData: keepPreviousData,
    staleTime: 5 * 60_000,
  });
}

import { useQuery } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { dataOf } from '../../../api/problem';

/** A published plan's page: its description, authors and day-by-day outline. */
export function usePlan(slug: string) {
  return useQuery({
    queryKey: ['plans', 'page', slug],
    queryFn: async ({ signal }) => dataOf(await api.GET('/v1/plans/{slug}', { params: { path: { slug } }, signal })),
  });
}

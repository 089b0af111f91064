import { useQuery } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { dataOf } from '../../../api/problem';

/** The first page of published plans, newest first. */
export function usePublishedPlans() {
  return useQuery({
    queryKey: ['plans', 'published'],
    queryFn: async ({ signal }) => dataOf(await api.GET('/v1/plans', { signal })),
  });
}

import { useQuery } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { dataOf } from '../../../api/problem';

/** The person's practice at a glance: streak (unless hidden), grace days, totals. */
export function useStats() {
  return useQuery({
    queryKey: ['me', 'stats'],
    queryFn: async ({ signal }) => dataOf(await api.GET('/v1/me/stats', { signal })),
  });
}

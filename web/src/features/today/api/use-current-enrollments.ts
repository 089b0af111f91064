import { useQuery } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { dataOf } from '../../../api/problem';

/** The plans being followed (active first, then paused), for choosing today's reading. */
export function useCurrentEnrollments() {
  return useQuery({
    queryKey: ['enrollments', 'list', 'current'],
    queryFn: async ({ signal }) => {
      const page = dataOf(
        await api.GET('/v1/enrollments', {
          params: { query: { status: ['active', 'paused'], limit: 100 } },
          signal,
        }),
      );
      const items = page.items ?? [];
      return [...items.filter((e) => e.status === 'active'), ...items.filter((e) => e.status === 'paused')];
    },
  });
}

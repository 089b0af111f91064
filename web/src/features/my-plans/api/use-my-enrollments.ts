import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { dataOf } from '../../../api/problem';

/** The person's plans, active, paused and completed (left ones aside), newest first, a page at a time. */
export function useMyEnrollments() {
  return useInfiniteQuery({
    queryKey: ['enrollments', 'list', 'mine'],
    queryFn: async ({ pageParam, signal }) =>
      dataOf(
        await api.GET('/v1/enrollments', {
          params: { query: { status: ['active', 'paused', 'completed'], limit: 50, cursor: pageParam } },
          signal,
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_cursor || undefined,
  });
}

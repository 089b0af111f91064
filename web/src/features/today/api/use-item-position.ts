import { useQuery } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { dataOf } from '../../../api/problem';

/** Where the person stopped in an audio or video item, on any device (0 when never saved). */
export function useItemPosition(enrollmentId: string, itemId: string) {
  return useQuery({
    queryKey: ['position', enrollmentId, itemId],
    queryFn: async ({ signal }) =>
      dataOf(
        await api.GET('/v1/enrollments/{id}/items/{item_id}/position', {
          params: { path: { id: enrollmentId, item_id: itemId } },
          signal,
        }),
      ),
    // Read afresh on each visit; while it plays, this page is the one moving it.
    staleTime: Infinity,
    gcTime: 0,
    refetchOnWindowFocus: false,
  });
}

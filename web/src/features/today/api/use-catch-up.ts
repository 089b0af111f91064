import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { dataOf } from '../../../api/problem';

/** Catch up: the next unfinished day becomes due today (a paused plan resumes). */
export function useCatchUp(enrollmentId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () =>
      dataOf(await api.POST('/v1/enrollments/{id}/catch-up', { params: { path: { id: enrollmentId } } })),
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['enrollments'] }),
        queryClient.invalidateQueries({ queryKey: ['me'] }),
      ]);
    },
  });
}

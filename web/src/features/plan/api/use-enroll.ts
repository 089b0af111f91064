import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { dataOf } from '../../../api/problem';
import type { EnrollBody } from '../start-options';

/** Starts a plan; what lists the person's plans and suggestions is then out of date. */
export function useEnroll() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: EnrollBody) => dataOf(await api.POST('/v1/enrollments', { body })),
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['enrollments'] }),
        queryClient.invalidateQueries({ queryKey: ['recommendations'] }),
        queryClient.invalidateQueries({ queryKey: ['me'] }),
      ]),
  });
}

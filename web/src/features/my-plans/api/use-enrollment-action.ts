import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { dataOf } from '../../../api/problem';

/** What a person can do with one of their plans. */
export type EnrollmentAction = 'pause' | 'resume' | 'catch-up' | 'restart' | 'leave';

async function run(id: string, action: EnrollmentAction) {
  const params = { params: { path: { id } } };
  switch (action) {
    case 'pause':
    case 'resume':
      return dataOf(await api.PATCH('/v1/enrollments/{id}', { ...params, body: { paused: action === 'pause' } }));
    case 'catch-up':
      return dataOf(await api.POST('/v1/enrollments/{id}/catch-up', params));
    case 'restart':
      return dataOf(await api.POST('/v1/enrollments/{id}/restart', params));
    case 'leave':
      return dataOf(await api.DELETE('/v1/enrollments/{id}', params));
  }
}

/** Pause, resume, catch up, restart or leave an enrolment; every view of the person's plans follows. */
export function useEnrollmentAction(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (action: EnrollmentAction) => run(id, action),
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['enrollments'] }),
        queryClient.invalidateQueries({ queryKey: ['me'] }),
      ]);
    },
  });
}

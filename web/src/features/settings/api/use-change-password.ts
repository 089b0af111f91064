import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { dataOf } from '../../../api/problem';
import { sessionsKey } from './use-sessions';

/** Changes the password (POST /v1/me/password); the server signs out every other device. */
export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: { current_password: string; new_password: string }) =>
      dataOf(await api.POST('/v1/me/password', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: sessionsKey }),
  });
}

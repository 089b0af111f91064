import { useMutation } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { dataOf } from '../../../api/problem';

/** Erases the account and all personal data (DELETE /v1/me); the server signs out every device. */
export function useDeleteAccount() {
  return useMutation({
    mutationFn: async (password: string) => dataOf(await api.DELETE('/v1/me', { body: { password } })),
  });
}

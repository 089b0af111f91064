import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { dataOf } from '../../../api/problem';
import type { components } from '../../../api/schema';
import { useSession } from '../../auth/session';

export type ProfileChange = components['schemas']['PatchMeInputBody'];

/**
 * Saves a change to the account (PATCH /v1/me); the session then holds the
 * saved account. The time zone and day-start hour move the person's days,
 * and the locale the words of what the server sends, so everything shown is
 * asked for again.
 */
export function useUpdateMe() {
  const session = useSession();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (change: ProfileChange) => dataOf(await api.PATCH('/v1/me', { body: change })),
    onSuccess: (user, change) => {
      session.setUser(user);
      if (change.timezone !== undefined || change.day_start_hour !== undefined || change.locale !== undefined) {
        void queryClient.invalidateQueries();
      }
    },
  });
}

import { useQuery } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { dataOf } from '../../../api/problem';

export const sessionsKey = ['me', 'sessions'] as const;

/** The devices signed in to the account, most recently used first (GET /v1/me/sessions). */
export function useSessions() {
  return useQuery({
    queryKey: sessionsKey,
    queryFn: async ({ signal }) => dataOf(await api.GET('/v1/me/sessions', { signal })).items ?? [],
    staleTime: 0,
  });
}

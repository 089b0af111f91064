import { useQuery } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { dataOf } from '../../../api/problem';

/** The person's practice per date over the last year (the server's default range, ending today in their calendar). */
export function useActivity() {
  return useQuery({
    queryKey: ['me', 'activity'],
    queryFn: async ({ signal }) => dataOf(await api.GET('/v1/me/activity', { signal })),
  });
}

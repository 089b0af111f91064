import { useQuery } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { dataOf } from '../../../api/problem';
import { useSession } from '../../auth/session';

/** Plans to read next with why, for whoever is signed in (or anyone: popular and new plans). */
export function useRecommendations(limit: number) {
  const { status, user } = useSession();
  return useQuery({
    queryKey: ['recommendations', user?.id ?? 'anyone', limit],
    queryFn: async ({ signal }) =>
      dataOf(await api.GET('/v1/recommendations', { params: { query: { limit } }, signal })).items ?? [],
    // Until the session is known, the answer could be someone else's.
    enabled: status !== 'loading',
  });
}

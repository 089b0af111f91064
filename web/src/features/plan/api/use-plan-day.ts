import { useQuery } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { dataOf } from '../../../api/problem';

/** Day n of a plan, as anyone may read it before enrolling (the preview days). */
export function usePlanDay(slug: string, n: number) {
  return useQuery({
    queryKey: ['plans', 'day', slug, n],
    queryFn: async ({ signal }) =>
      dataOf(await api.GET('/v1/plans/{slug}/days/{n}', { params: { path: { slug, n } }, signal })),
  });
}

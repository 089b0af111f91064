import { useQuery } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { dataOf } from '../../../api/problem';
import { useSession } from '../../auth/session';

/** The signed-in person's active or paused enrolment in plan slug, or null; idle while nobody is signed in. */
export function useFollowing(slug: string) {
  const { status } = useSession();
  return useQuery({
    queryKey: ['enrollments', 'list', 'following'],
    queryFn: async ({ signal }) =>
      dataOf(await api.GET('/v1/enrollments', { params: { query: { status: ['active', 'paused'], limit: 100 } }, signal }))
        .items ?? [],
    select: (items) => items.find((e) => e.plan.slug === slug) ?? null,
    enabled: status === 'signed-in',
  });
}

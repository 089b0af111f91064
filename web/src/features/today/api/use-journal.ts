import { useQuery } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { dataOf } from '../../../api/problem';

/** The person's private reflection on a day of an enrolment (empty when none was written). */
export function useJournal(enrollmentId: string, day: number) {
  return useQuery({
    queryKey: ['journal', enrollmentId, day],
    queryFn: async ({ signal }) =>
      dataOf(await api.GET('/v1/enrollments/{id}/days/{n}/journal', { params: { path: { id: enrollmentId, n: day } }, signal })),
    // Read afresh on each visit, then never again over what is being written.
    staleTime: Infinity,
    gcTime: 0,
    refetchOnWindowFocus: false,
  });
}

import { useQuery } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { dataOf } from '../../../api/problem';

/** Where a day of an enrolment lives in the query cache: today's, or day n. */
export function enrolledDayKey(enrollmentId: string, day: number | undefined) {
  return day ? ['enrollments', enrollmentId, 'day', day] : ['enrollments', enrollmentId, 'today'];
}

/** A day of an enrolment with its content and what is done of it: today's by the schedule, or day n. */
export function useEnrolledDay(enrollmentId: string, day: number | undefined) {
  return useQuery({
    queryKey: enrolledDayKey(enrollmentId, day),
    queryFn: async ({ signal }) =>
      dataOf(
        day
          ? await api.GET('/v1/enrollments/{id}/days/{n}', { params: { path: { id: enrollmentId, n: day } }, signal })
          : await api.GET('/v1/enrollments/{id}/today', { params: { path: { id: enrollmentId } }, signal }),
      ),
  });
}

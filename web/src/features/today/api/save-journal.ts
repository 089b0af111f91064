import { api } from '../../../api/client';
import { dataOf } from '../../../api/problem';

/**
 * Saves a reflection written at `at`; a save older than the stored one
 * leaves the newer text. leaving: the request outlives the page.
 */
export async function saveJournal(enrollmentId: string, day: number, body: string, at: Date, leaving: boolean) {
  return dataOf(
    await api.PUT('/v1/enrollments/{id}/days/{n}/journal', {
      params: { path: { id: enrollmentId, n: day } },
      body: { body, at: at.toISOString() },
      keepalive: leaving,
    }),
  );
}

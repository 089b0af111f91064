import { api } from '../../../api/client';
import { ApiError, dataOf } from '../../../api/problem';
import { detectedTimezone } from '../../auth/session';
import type { Target } from '../completion-sync';

const paths = {
  item: '/v1/enrollments/{id}/items/{target_id}/completion',
  task: '/v1/enrollments/{id}/tasks/{target_id}/completion',
} as const;

function clientId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Marks an item or task done or not done, dated by the device's clock and
 * time zone at the click. Sent once more with the same Idempotency-Key when
 * no answer came back (a dropped connection), so it counts exactly once.
 */
export async function setCompletion(enrollmentId: string, target: Target, done: boolean) {
  const init = {
    params: { path: { id: enrollmentId, target_id: target.id }, header: { 'Idempotency-Key': clientId() } },
    body: { at: new Date().toISOString(), timezone: detectedTimezone() },
  };
  for (let attempt = 1; ; attempt++) {
    try {
      return dataOf(done ? await api.PUT(paths[target.kind], init) : await api.DELETE(paths[target.kind], init));
    } catch (error) {
      const unanswered = error instanceof TypeError || (error instanceof ApiError && error.status >= 500);
      if (!unanswered || attempt === 2) throw error;
    }
  }
}

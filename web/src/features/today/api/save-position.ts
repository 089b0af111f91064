import { api } from '../../../api/client';
import { dataOf } from '../../../api/problem';
import type { PositionSave } from '../position-saver';

/** Saves where playback of an item stopped; the server keeps the later of two saves. */
export async function savePosition(enrollmentId: string, itemId: string, { positionMs, at, leaving }: PositionSave) {
  return dataOf(
    await api.PUT('/v1/enrollments/{id}/items/{item_id}/position', {
      params: { path: { id: enrollmentId, item_id: itemId } },
      body: { position_ms: positionMs, at: at.toISOString() },
      keepalive: leaving,
    }),
  );
}

// The media API as the picker uses it: the typed client for the JSON
// calls, XMLHttpRequest for the bytes (to report progress).
import { api, currentAccessToken } from '../../api/client';
import { dataOf } from '../../api/problem';
import type { MediaBody, UploadDeps, UploadTarget } from './upload';
import { wait } from './upload';
import { bodyOf, sameOrigin, xhrSend } from './xhr';

/** A medium's details and URLs (GET /v1/media/{id}). */
export async function getMedia(id: string, signal?: AbortSignal): Promise<MediaBody> {
  return dataOf(await api.GET('/v1/media/{id}', { params: { path: { id } }, signal }));
}

/** The query key of a medium, shared by every picker showing it. */
export function mediaKey(id: string) {
  return ['media', id] as const;
}

/**
 * Sends an upload's bytes where the server said, with exactly the headers
 * it gave (on S3 they are part of the signature). The local store's URL
 * carries its own token; the bearer token goes along only to this server,
 * never to a bucket.
 */
export async function sendBytes(
  target: UploadTarget,
  file: Blob,
  onProgress: (loaded: number, total: number) => void,
  signal: AbortSignal,
): Promise<void> {
  const headers = { ...target.headers };
  const token = currentAccessToken();
  if (token && sameOrigin(target.url)) headers.Authorization = `Bearer ${token}`;
  bodyOf(await xhrSend({ method: target.method || 'PUT', url: target.url, headers, body: file, onProgress, signal }));
}

/** The API behind an upload. */
export const mediaUploadDeps: UploadDeps = {
  async start(body, signal) {
    return dataOf(await api.POST('/v1/media/uploads', { body, signal }));
  },
  send: sendBytes,
  async complete(id, signal) {
    return dataOf(await api.POST('/v1/media/uploads/{id}/complete', { params: { path: { id } }, signal }));
  },
  get: getMedia,
  async remove(id) {
    dataOf(await api.DELETE('/v1/media/{id}', { params: { path: { id } } }));
  },
  wait,
};

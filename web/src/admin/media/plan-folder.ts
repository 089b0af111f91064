// Plan folders in and out of the studio: a zip uploaded to
// POST /v1/studio/plans/import becomes a new draft plan, and
// GET /v1/studio/plans/{id}/export gives a plan back as a zip. Both carry
// the bearer token themselves (XMLHttpRequest for the upload's progress,
// fetch for the download's bytes), so an expired token is renewed here the
// way the API client does: once, on a 401 that says the token is invalid.
import { api, currentAccessToken } from '../../api/client';
import { ApiError } from '../../api/problem';
import type { paths } from '../../api/schema';
import { bodyOf, xhrSend, type XhrAnswer, type XhrLike } from './xhr';

// The two operations as the generated schema declares them: their paths,
// the import's body type and both answers are checked against it.
const importPath = '/v1/studio/plans/import' satisfies keyof paths;
const exportPath = '/v1/studio/plans/{id}/export' satisfies keyof paths;
type ImportOperation = paths[typeof importPath]['post'];
type ExportOperation = paths[typeof exportPath]['get'];
const zipType: keyof ImportOperation['requestBody']['content'] & keyof ExportOperation['responses'][200]['content'] = 'application/zip';

/** The new draft plan an import answers (201), as GET /v1/studio/plans/{id} shows it. */
export type ImportedPlan = ImportOperation['responses'][201]['content']['application/json'];

/**
 * The largest plan folder import takes, whatever the server's media limits:
 * it takes the largest media file they allow, but never more than 200 MB.
 * A smaller limit is the server's to tell (413).
 */
export const planZipLimit = 200 * 1024 * 1024;

/** What is wrong with a chosen file before it is sent, if anything. */
export function checkZip(file: { name: string; type: string; size: number }): 'not-zip' | 'too-large' | null {
  const zipType = ['application/zip', 'application/x-zip-compressed', 'application/x-zip'].includes(file.type.toLowerCase());
  if (!zipType && !file.name.toLowerCase().endsWith('.zip')) return 'not-zip';
  if (file.size < 1) return 'not-zip';
  if (file.size > planZipLimit) return 'too-large';
  return null;
}

/** Whether a 401 says the access token expired or was revoked (RFC 6750), which a fresh token mends. */
function tokenRefused(status: number, wwwAuthenticate: string | null): boolean {
  return status === 401 && /error="invalid_token"/.test(wwwAuthenticate ?? '');
}

/** Gets a fresh access token through the API client, which renews an expired one. */
async function renewToken(): Promise<void> {
  await api.GET('/v1/me');
}

function bearer(): Record<string, string> {
  const token = currentAccessToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

export interface ImportOptions {
  onProgress?: (loaded: number, total: number) => void;
  signal?: AbortSignal;
  /** For tests: the request maker and the token renewal. */
  xhr?: () => XhrLike;
  renew?: () => Promise<void>;
}

/** Uploads a plan folder's zip and answers the plan it became; an ApiError says what is wrong in the folder. */
export async function importPlanFolder(file: Blob, { onProgress, signal, xhr, renew = renewToken }: ImportOptions = {}): Promise<ImportedPlan> {
  const send = (): Promise<XhrAnswer> =>
    xhrSend({
      method: 'POST',
      url: importPath,
      headers: { 'Content-Type': zipType, Accept: 'application/json', ...bearer() },
      body: file,
      onProgress,
      signal,
      xhr,
    });
  let answer = await send();
  if (tokenRefused(answer.status, answer.header('WWW-Authenticate'))) {
    await renew();
    answer = await send();
  }
  return bodyOf<ImportedPlan>(answer);
}

export interface ExportOptions {
  signal?: AbortSignal;
  /** For tests: fetch and the token renewal. */
  fetcher?: typeof fetch;
  renew?: () => Promise<void>;
}

/** The zip of a plan's folder. */
export async function exportPlanFolder(planId: string, { signal, fetcher = fetch, renew = renewToken }: ExportOptions = {}): Promise<Blob> {
  const url = exportPath.replace('{id}', encodeURIComponent(planId));
  const get = () => fetcher(url, { headers: bearer(), credentials: 'same-origin', signal });
  let response = await get();
  if (tokenRefused(response.status, response.headers.get('WWW-Authenticate'))) {
    await renew();
    response = await get();
  }
  if (!response.ok) {
    const body: unknown = /json/i.test(response.headers.get('Content-Type') ?? '') ? await response.json().catch(() => undefined) : undefined;
    throw new ApiError(response.status, body);
  }
  return response.blob();
}

/** Every problem a refused import names, one line each: where in the folder, then what is wrong. */
export function importProblems(error: unknown): string[] {
  if (!(error instanceof ApiError)) return [];
  const lines = (error.problem?.errors ?? [])
    .filter((e) => e.message)
    .map((e) => {
      const where = e.location?.replace(/^body(\.|$)/, '');
      const message = `${e.message!.charAt(0).toUpperCase()}${e.message!.slice(1)}`;
      return where ? `${where}: ${message}` : message;
    });
  return [...new Set(lines)];
}

/** Saves blob as a download named filename. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // Firefox needs the URL a moment after the click.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

/** The file name an exported plan is saved under: its slug, made safe for a file system. */
export function zipName(slug: string): string {
  const safe = slug.replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^[-.]+|[-.]+$/g, '');
  return `${safe || 'plan'}.zip`;
}

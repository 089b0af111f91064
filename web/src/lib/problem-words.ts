// Failed requests in the person's language. The server's problem documents
// are in English, so the common cases are told in our own words; the
// server's detail is shown only when nothing more specific is known.
import type { TFunction } from 'i18next';
import { ApiError } from '../api/problem';

/**
 * The invalid fields of a validation problem, by field name: "body.email"
 * becomes "email". The server's message starts lower-case ("email must
 * ..."); it is shown as a sentence.
 */
export function fieldErrors(error: unknown): Record<string, string> {
  const fields: Record<string, string> = {};
  if (!(error instanceof ApiError)) return fields;
  for (const e of error.problem?.errors ?? []) {
    const name = e.location?.replace(/^body\./, '');
    if (!name || !e.message || fields[name]) continue;
    fields[name] = `${e.message.charAt(0).toUpperCase()}${e.message.slice(1)}.`;
  }
  return fields;
}

/**
 * What to tell a person about a failed request. `known` gives our own words
 * for statuses the caller understands (a 401 on sign-in is a wrong password).
 */
export function problemWords(error: unknown, t: TFunction, known: Partial<Record<number, string>> = {}): string {
  if (error instanceof ApiError) {
    const ours = known[error.status];
    if (ours) return ours;
    if (error.status === 429) return t('common:errors.tooMany');
    if (error.status >= 500) return t('common:errors.server');
    const detail = error.problem?.detail;
    return detail ? `${detail.charAt(0).toUpperCase()}${detail.slice(1)}.` : t('common:errors.unexpected');
  }
  if (error instanceof TypeError) return t('common:errors.offline'); // fetch found no server
  return t('common:errors.unexpected');
}

// The checks the forms make before asking the server, so that common slips
// are told at once and in the person's language. The server checks again.
import type { TFunction } from 'i18next';

/** The shortest password the server accepts. */
export const minPasswordLength = 10;

const emailShape = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Problems with the named fields, by name: missing, not an email, a password too short. */
export function check(
  values: Record<string, string>,
  t: TFunction,
  fields: { required?: string[]; email?: string; newPassword?: string },
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const name of fields.required ?? []) {
    if (!values[name]?.trim()) errors[name] = t('auth:validation.required');
  }
  const email = fields.email && values[fields.email]?.trim();
  if (fields.email && email && !emailShape.test(email)) errors[fields.email] = t('auth:validation.email');
  const password = fields.newPassword && values[fields.newPassword];
  if (fields.newPassword && password && password.length < minPasswordLength) {
    errors[fields.newPassword] = t('auth:validation.passwordLength');
  }
  return errors;
}

/**
 * Where to go after signing in: the page that sent the person here (the
 * next parameter), if it is a path on this site, else Discover.
 */
export function nextPath(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

// The settings form's state and arithmetic, apart from the page: the form
// made from the stored settings, the checks the server makes (so that most
// mistakes are told before asking it), what changed (for the summary shown
// before saving, and for a conflict with another admin's change), and the
// PATCH body that sends only those changes.
//
// Field names are the server's paths without "body.": "site_name",
// "rate_limits.login_per_ip.rate", "features.journal"; so a 422's errors
// land beside the same fields as the form's own checks.
import type { Period, Rate, Registration, SettingsPatch, SystemSettings } from './api';

/** The server's bounds (internal/settings, internal/httpapi/admin_settings.go). */
export const limits = {
  siteName: 100,
  hour: { min: 0, max: 23 },
  grace: { min: 0, max: 3 },
  rate: { min: 1, max: 10_000 },
  inviteDays: { min: 1, max: 365 },
  email: 254,
} as const;

export const periods: readonly Period[] = ['1m', '1h', '1d'];
export const registrations: readonly Registration[] = ['open', 'invite_only'];

/**
 * The order the page shows the rate limits in (the server says their
 * defaults, beside each, so that an admin can find the way back).
 */
export const rateOrder: readonly string[] = ['login_per_ip', 'login_per_account', 'register_per_ip', 'refresh_per_ip', 'reset_per_ip'];

/** What the form holds: numbers typed are text until they are checked. */
export interface SettingsForm {
  site_name: string;
  registration: Registration;
  default_reminder_hour: number;
  default_grace_days: number;
  rate_limits: Record<string, { rate: string; period: Period }>;
  features: Record<string, boolean>;
}

// The schema names each rate limit and flag; the form handles them by name,
// as the server lists them, so these read the settings' records by name.
const rateLimits = (s: SystemSettings): Record<string, Rate> => s.rate_limits;
const flags = (s: SystemSettings): Record<string, boolean> => s.features;

/** The names of a record's keys: the known ones first in their order, then the others by name. */
export function ordered(keys: Iterable<string>, known: readonly string[]): string[] {
  const all = new Set(keys);
  return [...known.filter((k) => all.has(k)), ...[...all].filter((k) => !known.includes(k)).sort()];
}

/** The form showing the settings s. */
export function formOf(s: SystemSettings): SettingsForm {
  return {
    site_name: s.site_name,
    registration: s.registration,
    default_reminder_hour: s.default_reminder_hour,
    default_grace_days: s.default_grace_days,
    rate_limits: Object.fromEntries(Object.entries(s.rate_limits).map(([k, r]) => [k, { rate: String(r.rate), period: r.period }])),
    features: { ...s.features },
  };
}

/** A problem with a field, for the page to put in words. */
export type FieldProblem =
  | { code: 'required' }
  | { code: 'tooLong'; max: number }
  | { code: 'control' }
  | { code: 'range'; min: number; max: number }
  | { code: 'whole' }
  | { code: 'choice' }
  | { code: 'email' };

export type Problems = Record<string, FieldProblem>;

// Control characters (line breaks, tabs and the like), which the server refuses in a name.
const control = /\p{Cc}/u;

function checkInteger(text: string, min: number, max: number): FieldProblem | null {
  const s = text.trim();
  if (s === '') return { code: 'required' };
  if (!/^-?\d+$/.test(s)) return { code: 'whole' };
  const n = Number(s);
  return n < min || n > max ? { code: 'range', min, max } : null;
}

function inRange(n: number, min: number, max: number): FieldProblem | null {
  return Number.isInteger(n) && n >= min && n <= max ? null : { code: 'range', min, max };
}

/** Every problem the server would find with the form, by field; none: it may be sent. */
export function validate(form: SettingsForm): Problems {
  const problems: Problems = {};
  const put = (field: string, p: FieldProblem | null) => {
    if (p) problems[field] = p;
  };
  const name = form.site_name.trim();
  if (name === '') put('site_name', { code: 'required' });
  else if ([...name].length > limits.siteName) put('site_name', { code: 'tooLong', max: limits.siteName });
  else if (control.test(name)) put('site_name', { code: 'control' });
  if (!registrations.includes(form.registration)) put('registration', { code: 'choice' });
  put('default_reminder_hour', inRange(form.default_reminder_hour, limits.hour.min, limits.hour.max));
  put('default_grace_days', inRange(form.default_grace_days, limits.grace.min, limits.grace.max));
  for (const [key, r] of Object.entries(form.rate_limits)) {
    put(`rate_limits.${key}.rate`, checkInteger(r.rate, limits.rate.min, limits.rate.max));
    if (!periods.includes(r.period)) put(`rate_limits.${key}.period`, { code: 'choice' });
  }
  return problems;
}

/** The settings a valid form asks for (the site name trimmed, as the server keeps it). */
export function settingsOf(form: SettingsForm): SystemSettings {
  return {
    site_name: form.site_name.trim(),
    registration: form.registration,
    default_reminder_hour: form.default_reminder_hour,
    default_grace_days: form.default_grace_days,
    // The form has the names the stored settings have (formOf).
    rate_limits: Object.fromEntries(Object.entries(form.rate_limits).map(([k, r]) => [k, { rate: Number(r.rate.trim()), period: r.period }])) as SystemSettings['rate_limits'],
    features: { ...form.features } as SystemSettings['features'],
  };
}

/** One setting changed: its field ("rate_limits.login_per_ip", "features.journal") and values. */
export type Change =
  | { field: 'site_name'; from: string; to: string }
  | { field: 'registration'; from: Registration; to: Registration }
  | { field: 'default_reminder_hour' | 'default_grace_days'; from: number; to: number }
  | { field: `rate_limits.${string}`; name: string; from: Rate | undefined; to: Rate }
  | { field: `features.${string}`; name: string; from: boolean | undefined; to: boolean };

/**
 * What differs from a to b, setting by setting, in the page's order: the
 * summary before saving, and what another admin changed meanwhile. A rate
 * limit or flag only b has counts as changed; one only a has is left out
 * (the server keeps it).
 */
export function changes(a: SystemSettings, b: SystemSettings): Change[] {
  const out: Change[] = [];
  if (a.site_name !== b.site_name) out.push({ field: 'site_name', from: a.site_name, to: b.site_name });
  if (a.registration !== b.registration) out.push({ field: 'registration', from: a.registration, to: b.registration });
  for (const field of ['default_reminder_hour', 'default_grace_days'] as const) {
    if (a[field] !== b[field]) out.push({ field, from: a[field], to: b[field] });
  }
  for (const name of ordered(Object.keys(b.rate_limits), rateOrder)) {
    const from = rateLimits(a)[name];
    const to = rateLimits(b)[name]!;
    if (from?.rate !== to.rate || from?.period !== to.period) out.push({ field: `rate_limits.${name}`, name, from, to });
  }
  for (const name of Object.keys(b.features)) {
    const from = flags(a)[name];
    const to = flags(b)[name]!;
    if (from !== to) out.push({ field: `features.${name}`, name, from, to });
  }
  return out;
}

/** The changes a valid form makes to the stored settings. */
export function formChanges(stored: SystemSettings, form: SettingsForm): Change[] {
  return changes(stored, settingsOf(form));
}

/**
 * The PATCH body of a valid form: only what changed from the stored
 * settings (within a rate limit, only its rate or period if only that
 * changed), so that saving never puts back a value someone else set on a
 * field this admin left alone. Empty when nothing changed.
 */
export function patchOf(stored: SystemSettings, form: SettingsForm): SettingsPatch {
  const next = settingsOf(form);
  const patch: SettingsPatch = {};
  for (const c of changes(stored, next)) {
    if (c.field === 'site_name') patch.site_name = c.to;
    else if (c.field === 'registration') patch.registration = c.to;
    else if (c.field === 'default_reminder_hour' || c.field === 'default_grace_days') patch[c.field] = c.to;
    else if ('name' in c && c.field.startsWith('rate_limits.')) {
      const to = c.to as Rate;
      const from = c.from as Rate | undefined;
      const part: Partial<Rate> = {};
      if (from?.rate !== to.rate) part.rate = to.rate;
      if (from?.period !== to.period) part.period = to.period;
      ((patch.rate_limits ??= {}) as Record<string, Partial<Rate>>)[c.name] = part;
    } else if ('name' in c) {
      ((patch.features ??= {}) as Record<string, boolean>)[c.name] = c.to as boolean;
    }
  }
  return patch;
}

/**
 * Whether the form holds anything the admin typed that the stored settings
 * do not have, valid or not: a half-typed rate counts, a space after the
 * site name does not.
 */
export function isDirty(stored: SystemSettings, form: SettingsForm): boolean {
  const base = formOf(stored);
  if (base.site_name.trim() !== form.site_name.trim()) return true;
  if (base.registration !== form.registration) return true;
  if (base.default_reminder_hour !== form.default_reminder_hour || base.default_grace_days !== form.default_grace_days) return true;
  for (const [k, r] of Object.entries(form.rate_limits)) {
    const b = base.rate_limits[k];
    if (!b || b.rate !== r.rate.trim() || b.period !== r.period) return true;
  }
  return Object.entries(form.features).some(([k, on]) => base.features[k] !== on);
}

/** The fields both lists change: where two admins' changes collide. */
export function collisions(mine: readonly Change[], theirs: readonly Change[]): string[] {
  const their = new Set(theirs.map((c) => c.field));
  return mine.filter((c) => their.has(c.field)).map((c) => c.field);
}

/**
 * The form after someone else's change was loaded (theirs) with this
 * admin's unsaved changes (made from mine) kept on top: "overwrite with
 * mine" saves exactly those.
 */
export function rebase(mine: SystemSettings, form: SettingsForm, theirs: SystemSettings): SettingsForm {
  const next = formOf(theirs);
  const base = formOf(mine);
  if (base.site_name.trim() !== form.site_name.trim()) next.site_name = form.site_name;
  if (base.registration !== form.registration) next.registration = form.registration;
  if (base.default_reminder_hour !== form.default_reminder_hour) next.default_reminder_hour = form.default_reminder_hour;
  if (base.default_grace_days !== form.default_grace_days) next.default_grace_days = form.default_grace_days;
  for (const [k, r] of Object.entries(form.rate_limits)) {
    const b = base.rate_limits[k];
    const n = next.rate_limits[k];
    if (!n) continue; // the server no longer has it
    if (b?.rate !== r.rate.trim()) n.rate = r.rate;
    if (b?.period !== r.period) n.period = r.period;
  }
  for (const [k, on] of Object.entries(form.features)) {
    if (base.features[k] !== on && k in next.features) next.features[k] = on;
  }
  return next;
}

/**
 * Every field of the form by name, for the page to tell a server's error
 * about one of them (placed beside it) from one about something else (told
 * in the form's message).
 */
export function fieldNames(form: SettingsForm): Set<string> {
  const names = ['site_name', 'registration', 'default_reminder_hour', 'default_grace_days'];
  for (const k of Object.keys(form.rate_limits)) names.push(`rate_limits.${k}`, `rate_limits.${k}.rate`, `rate_limits.${k}.period`);
  for (const k of Object.keys(form.features)) names.push(`features.${k}`);
  return new Set(names);
}

/**
 * The bounds of a numeric field, by name: a server's range error about it
 * ("expected number <= 23") is told in the page's own words instead.
 */
export function boundsOf(field: string): { min: number; max: number } | null {
  if (field === 'default_reminder_hour') return limits.hour;
  if (field === 'default_grace_days') return limits.grace;
  if (field === 'expires_in_days') return limits.inviteDays;
  if (/^rate_limits\.[^.]+\.rate$/.test(field)) return limits.rate;
  return null;
}

/** What the invitation form holds. */
export interface InviteForm {
  email: string;
  days: string;
}

export const defaultInviteDays = 14;

/** The invitation form's problems, as the server would find them. */
export function validateInvite(form: InviteForm): Problems {
  const problems: Problems = {};
  const email = form.email.trim();
  if (email.length > limits.email) problems.email = { code: 'tooLong', max: limits.email };
  else if (email !== '' && !/^[^\s@]+@[^\s@]+$/.test(email)) problems.email = { code: 'email' };
  const days = checkInteger(form.days, limits.inviteDays.min, limits.inviteDays.max);
  if (days) problems.expires_in_days = days;
  return problems;
}

/** The POST body of a valid invitation form: no email for an invitation anyone may use. */
export function inviteBody(form: InviteForm): { email?: string; expires_in_days: number } {
  const email = form.email.trim();
  return { ...(email ? { email } : {}), expires_in_days: Number(form.days.trim()) };
}

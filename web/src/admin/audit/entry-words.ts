// What an audit entry says, in words: "changed the role of a@b.org from
// Reader to Author", "sent back “Metta week”: add a day of rest". The
// actor is shown beside it, so the words start with the verb.
import type { TFunction } from 'i18next';
import type { AuditEntry } from './api';

/** A rejection note longer than this is cut in the sentence; the page shows it whole on request. */
export const noteLength = 280;

type Change = { from?: unknown; to?: unknown };

function isChange(v: unknown): v is Change {
  return typeof v === 'object' && v !== null && ('to' in v || 'from' in v);
}

function text(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** The note of a rejection, whole; '' for other entries. */
export function entryNote(entry: AuditEntry): string {
  return entry.action === 'plan.rejected' ? text(entry.details.note) : '';
}

function shorten(s: string, max: number): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1).trimEnd()}…` : flat;
}

/** A value of a changed field in words: roles and traditions by name, on and off for switches. */
function valueWords(t: TFunction, field: string, v: unknown): string {
  if (v === undefined || v === null || v === '') return t('audit:words.nothing');
  if (typeof v === 'boolean') return v ? t('audit:words.on') : t('audit:words.off');
  if (typeof v === 'object' && 'rate' in v && 'period' in v) {
    const r = v as { rate: unknown; period: unknown };
    return t('audit:words.rate', { count: Number(r.rate), period: t(`audit:period.${text(r.period)}`, { defaultValue: text(r.period) }) });
  }
  const s = text(v);
  switch (field) {
    case 'role':
      return t(`audit:role.${s}`, { defaultValue: s });
    case 'tradition':
      return t(`common:catalog.tradition.${s}`, { defaultValue: s });
    case 'registration':
      return t(`audit:registration.${s}`, { defaultValue: s });
    default:
      return typeof v === 'string' ? `“${s}”` : s;
  }
}

/** A settings field's name: the known ones in words, rate limits and features by their name. */
function settingName(t: TFunction, field: string): string {
  const [head, rest] = [field.split('.')[0]!, field.split('.').slice(1).join('.')];
  if (head === 'rate_limits' && rest) return t('audit:settings.rateLimit', { name: rest });
  if (head === 'features' && rest) return t('audit:settings.feature', { name: rest });
  return t(`audit:settings.${field}`, { defaultValue: field.replace(/[._]/g, ' ') });
}

function authorChanges(t: TFunction, details: Record<string, unknown>): string {
  const changed = Array.isArray(details.changed) ? details.changed.map(text) : Object.keys(details).filter((k) => isChange(details[k]));
  return changed
    .map((field) => {
      const name = t(`audit:authorField.${field}`, { defaultValue: field.replace(/_/g, ' ') });
      const change = details[field];
      // Names and traditions are told before and after; the rest (bio, photo, account) only named.
      if ((field === 'name' || field === 'tradition') && isChange(change)) {
        return 'from' in change
          ? t('audit:words.fromTo', { field: name, from: valueWords(t, field, change.from), to: valueWords(t, field, change.to) })
          : t('audit:words.setTo', { field: name, to: valueWords(t, field, change.to) });
      }
      return name;
    })
    .join('; ');
}

function settingsChanges(t: TFunction, details: Record<string, unknown>): string {
  return Object.entries(details)
    .filter(([, v]) => isChange(v))
    .map(([field, v]) => {
      const c = v as Change;
      return t('audit:words.fromTo', { field: settingName(t, field), from: valueWords(t, field.split('.').pop()!, c.from), to: valueWords(t, field.split('.').pop()!, c.to) });
    })
    .join('; ');
}

/**
 * What the actor did, as a sentence without its subject, in the language
 * of t (which needs the audit and common namespaces). date formats a
 * moment in that language.
 */
export function describeEntry(entry: AuditEntry, t: TFunction, date: (iso: string) => string = (iso) => iso.slice(0, 10)): string {
  const target = entry.target.label || entry.target.id || t('audit:words.unknownTarget');
  const d = entry.details ?? {};
  switch (entry.action) {
    case 'user.role_changed': {
      const role = isChange(d.role) ? d.role : {};
      return t('audit:action.user.role_changed', { target, from: valueWords(t, 'role', role.from), to: valueWords(t, 'role', role.to) });
    }
    case 'user.disabled':
    case 'user.enabled':
      return t(`audit:action.${entry.action}`, { target });
    case 'user.sessions_revoked':
      return t('audit:action.user.sessions_revoked', { target, count: Number(d.count ?? 0) });
    case 'plan.published':
      return d.restored
        ? t('audit:action.plan.restored', { target })
        : d.revision !== undefined
          ? t('audit:action.plan.published_revision', { target, revision: text(d.revision) })
          : t('audit:action.plan.published', { target });
    case 'plan.rejected': {
      const note = text(d.note);
      return note ? t('audit:action.plan.rejected_note', { target, note: shorten(note, noteLength) }) : t('audit:action.plan.rejected', { target });
    }
    case 'plan.archived':
    case 'author.created':
    case 'author.deleted':
    case 'invite.revoked':
      return t(`audit:action.${entry.action}`, { target });
    case 'author.updated': {
      const changes = authorChanges(t, d);
      return changes ? t('audit:action.author.updated_fields', { target, changes }) : t('audit:action.author.updated', { target });
    }
    case 'settings.changed': {
      const changes = settingsChanges(t, d);
      return changes ? t('audit:action.settings.changed_fields', { changes }) : t('audit:action.settings.changed');
    }
    case 'invite.created': {
      const until = typeof d.expires_at === 'string' ? date(d.expires_at) : '';
      const email = text(d.email);
      if (email) return until ? t('audit:action.invite.created_email_until', { email, until }) : t('audit:action.invite.created_email', { email });
      return until ? t('audit:action.invite.created_anyone_until', { until }) : t('audit:action.invite.created_anyone');
    }
    default:
      return t('audit:action.other', { action: entry.action, target });
  }
}

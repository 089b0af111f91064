// The audit log's filters, kept in the page's URL so that a filtered view
// can be linked to (a user's page links to the entries about them) and
// Back returns to it; and the same filters as the API's query.

/** The filters as the URL holds them. Dates are local calendar days, YYYY-MM-DD. */
export interface AuditFilters {
  action: string;
  actor_id: string;
  target_type: string;
  target_id: string;
  q: string;
  since: string;
  until: string;
}

export const filterNames = ['action', 'actor_id', 'target_type', 'target_id', 'q', 'since', 'until'] as const satisfies readonly (keyof AuditFilters)[];

/** The API's query: empty filters left out, days as instants. */
export type AuditQuery = Partial<AuditFilters>;

/** The actions the log records, by kind of target; "<kind>." selects a whole kind. */
export const actionGroups: readonly { prefix: string; actions: readonly string[] }[] = [
  { prefix: 'user.', actions: ['user.role_changed', 'user.disabled', 'user.enabled', 'user.sessions_revoked'] },
  { prefix: 'plan.', actions: ['plan.published', 'plan.rejected', 'plan.archived'] },
  { prefix: 'author.', actions: ['author.created', 'author.updated', 'author.deleted'] },
  { prefix: 'settings.', actions: ['settings.changed'] },
  { prefix: 'invite.', actions: ['invite.created', 'invite.revoked'] },
];

export const targetTypes = ['user', 'plan', 'author', 'settings', 'invite'] as const;

export function filtersFromParams(params: URLSearchParams): AuditFilters {
  const get = (name: keyof AuditFilters) => (params.get(name) ?? '').trim();
  return {
    action: get('action'),
    actor_id: get('actor_id'),
    target_type: get('target_type'),
    target_id: get('target_id'),
    q: get('q'),
    since: validDay(get('since')) ? get('since') : '',
    until: validDay(get('until')) ? get('until') : '',
  };
}

/** The URL's query for filters: only those set, in a steady order. */
export function filtersToParams(filters: Partial<AuditFilters>): URLSearchParams {
  const params = new URLSearchParams();
  for (const name of filterNames) {
    const value = filters[name]?.trim();
    if (value) params.set(name, value);
  }
  return params;
}

/** Whether any filter is set. */
export function isFiltered(filters: AuditFilters): boolean {
  return filterNames.some((name) => filters[name] !== '');
}

const dayForm = /^(\d{4})-(\d{2})-(\d{2})$/;

function validDay(day: string): boolean {
  const m = dayForm.exec(day);
  if (!m) return false;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return d.getFullYear() === Number(m[1]) && d.getMonth() === Number(m[2]) - 1 && d.getDate() === Number(m[3]);
}

/** The start of a local calendar day, plus days, as an instant. */
function localMidnight(day: string, plus = 0): string {
  const [, y, m, d] = dayForm.exec(day)!;
  return new Date(Number(y), Number(m) - 1, Number(d) + plus).toISOString();
}

/**
 * The API's query for filters. The date range is of whole local days, both
 * ends included: since is the start of its day, until the start of the day
 * after (the API's until is exclusive).
 */
export function auditQuery(filters: AuditFilters): AuditQuery {
  const query: AuditQuery = {};
  for (const name of ['action', 'actor_id', 'target_type', 'target_id', 'q'] as const) {
    if (filters[name]) query[name] = filters[name];
  }
  if (filters.since && validDay(filters.since)) query.since = localMidnight(filters.since);
  if (filters.until && validDay(filters.until)) query.until = localMidnight(filters.until, 1);
  return query;
}

/** Where the panel shows an entry's target: a user's, plan's or author's page, or the settings. */
export function targetPath(target: { type: string; id: string }): string | null {
  if (!target.id) return null;
  const id = encodeURIComponent(target.id);
  switch (target.type) {
    case 'user':
      return `/users/${id}`;
    case 'plan':
      return `/plans/${id}`;
    case 'author':
      return `/authors/${id}`;
    case 'settings':
    case 'invite':
      return '/settings';
    default:
      return null;
  }
}

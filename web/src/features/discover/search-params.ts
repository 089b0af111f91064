// What Discover shows, kept in the page's URL (?q=metta&tradition=theravada),
// so that a search or a filtered list can be shared, bookmarked and gone
// back to. The URL is read leniently: a value the catalogue does not know is
// dropped rather than sent to the API to be refused.
import type { operations } from '../../api/schema';

type PlansQuery = NonNullable<operations['list-plans']['parameters']['query']>;

const traditions = ['theravada', 'mahayana', 'zen', 'vajrayana', 'pure_land', 'secular', 'other'] as const;
const levels = ['beginner', 'intermediate', 'advanced'] as const;

type Tradition = (typeof traditions)[number];
type Level = (typeof levels)[number];

/** The filters, by the names the URL and the facets give them. */
export interface Filters {
  tradition?: Tradition;
  level?: Level;
  /** A length in days as the facets name it: "1-7", "8-30", "31+". */
  length?: string;
  /** A BCP 47 tag: "en", "vi". */
  language?: string;
}

export type FilterName = keyof Filters;
export const filterNames: readonly FilterName[] = ['tradition', 'level', 'length', 'language'];

/** What Discover shows: the words searched for, and the filters. */
export interface DiscoverState {
  q: string;
  filters: Filters;
}

const lengthPattern = /^(\d{1,3})(?:-(\d{1,3})|\+)$/;
const languagePattern = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/;

function oneOf<T extends string>(values: readonly T[], value: string | null): T | undefined {
  return values.includes(value as T) ? (value as T) : undefined;
}

/** Discover's state in params, without the values the catalogue would refuse. */
export function readDiscover(params: URLSearchParams): DiscoverState {
  const length = params.get('length') ?? '';
  const language = params.get('language') ?? '';
  const filters: Filters = {
    tradition: oneOf(traditions, params.get('tradition')),
    level: oneOf(levels, params.get('level')),
    length: lengthPattern.test(length) ? length : undefined,
    language: language.length <= 35 && languagePattern.test(language) ? language : undefined,
  };
  for (const name of filterNames) if (filters[name] === undefined) delete filters[name];
  return { q: (params.get('q') ?? '').trim(), filters };
}

/** params with one filter set, or removed when value is empty; the rest is kept. */
export function withFilter(params: URLSearchParams, name: FilterName, value: string | undefined): URLSearchParams {
  const next = new URLSearchParams(params);
  if (value) next.set(name, value);
  else next.delete(name);
  return next;
}

/** params with every filter removed; the search is kept. */
export function withoutFilters(params: URLSearchParams): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const name of filterNames) next.delete(name);
  return next;
}

/** params searching for q (nothing when q is blank); the filters are kept. */
export function withSearch(params: URLSearchParams, q: string): URLSearchParams {
  const next = new URLSearchParams(params);
  if (q.trim()) next.set('q', q.trim());
  else next.delete('q');
  return next;
}

/** Whether any filter is chosen. */
export function isFiltered(state: DiscoverState): boolean {
  return Object.keys(state.filters).length > 0;
}

/** The days a length such as "8-30" or "31+" stands for. */
function lengthRange(length: string): { min: number; max?: number } | undefined {
  const m = lengthPattern.exec(length);
  if (!m) return undefined;
  return m[2] === undefined ? { min: Number(m[1]) } : { min: Number(m[1]), max: Number(m[2]) };
}

/** The query of GET /v1/plans that shows state. */
export function plansQuery(state: DiscoverState): PlansQuery {
  const { tradition, level, length, language } = state.filters;
  const query: PlansQuery = {};
  if (state.q) query.q = state.q;
  if (tradition) query.tradition = tradition;
  if (level) query.level = level;
  if (language) query.language = language;
  const range = length ? lengthRange(length) : undefined;
  if (range) {
    query.min_days = range.min;
    if (range.max !== undefined) query.max_days = range.max;
  }
  return query;
}

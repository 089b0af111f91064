import { describe, expect, it } from 'vitest';
import { isFiltered, plansQuery, readDiscover, withFilter, withSearch, withoutFilters } from './search-params';

const params = (s: string) => new URLSearchParams(s);

describe('the Discover URL', () => {
  it('reads the search and the filters', () => {
    expect(readDiscover(params('q=+metta+&tradition=theravada&level=beginner&length=1-7&language=vi'))).toEqual({
      q: 'metta',
      filters: { tradition: 'theravada', level: 'beginner', length: '1-7', language: 'vi' },
    });
  });

  it('drops values the catalogue would refuse, so a mangled link still opens Discover', () => {
    const state = readDiscover(params('tradition=jedi&level=master&length=forever&language=<script>'));
    expect(state).toEqual({ q: '', filters: {} });
    expect(isFiltered(state)).toBe(false);
  });

  it('sets and clears one filter, keeping the search and the others', () => {
    const start = params('q=zen&level=beginner');
    const chosen = withFilter(start, 'tradition', 'zen');
    expect(readDiscover(chosen)).toEqual({ q: 'zen', filters: { level: 'beginner', tradition: 'zen' } });
    expect(readDiscover(withFilter(chosen, 'level', undefined)).filters).toEqual({ tradition: 'zen' });
    expect(start.toString()).toBe('q=zen&level=beginner'); // the page's own params are never changed in place
  });

  it('clears every filter but keeps the search', () => {
    expect(withoutFilters(params('q=metta&tradition=zen&length=31%2B&language=en')).toString()).toBe('q=metta');
  });

  it('searches with the filters kept, and a blank search shows everything again', () => {
    expect(withSearch(params('tradition=zen'), '  breath ').toString()).toBe('tradition=zen&q=breath');
    expect(withSearch(params('q=breath&tradition=zen'), '  ').toString()).toBe('tradition=zen');
  });
});

describe('the catalogue query', () => {
  it('turns a length into its days', () => {
    expect(plansQuery(readDiscover(params('length=8-30')))).toEqual({ min_days: 8, max_days: 30 });
    expect(plansQuery(readDiscover(params('length=31%2B')))).toEqual({ min_days: 31 });
  });

  it('asks for exactly what the URL says', () => {
    expect(plansQuery(readDiscover(params('q=loving-kindness&tradition=pure_land&level=advanced&language=en-GB')))).toEqual({
      q: 'loving-kindness',
      tradition: 'pure_land',
      level: 'advanced',
      language: 'en-GB',
    });
    expect(plansQuery(readDiscover(params('')))).toEqual({});
  });
});

import { describe, expect, it } from 'vitest';
import { auditQuery, filtersFromParams, filtersToParams, isFiltered, targetPath } from './filters';

describe('audit filters in the URL', () => {
  it('reads the filters a link carries, ignoring what is not a filter and malformed days', () => {
    const f = filtersFromParams(new URLSearchParams('target_type=user&target_id=u1&since=2026-02-30&until=2026-03-01&page=3'));
    expect(f).toEqual({ action: '', actor_id: '', target_type: 'user', target_id: 'u1', q: '', since: '', until: '2026-03-01' });
    expect(isFiltered(f)).toBe(true);
    expect(isFiltered(filtersFromParams(new URLSearchParams('')))).toBe(false);
  });

  it('writes only the filters set, and reads them back the same', () => {
    const params = filtersToParams({ action: 'user.', q: ' metta ', since: '2026-03-01' });
    expect(params.toString()).toBe('action=user.&q=metta&since=2026-03-01');
    expect(filtersFromParams(params)).toMatchObject({ action: 'user.', q: 'metta', since: '2026-03-01' });
  });
});

describe('auditQuery', () => {
  it('sends the set filters and leaves the empty ones out', () => {
    const q = auditQuery({ action: 'plan.rejected', actor_id: 'a1', target_type: '', target_id: '', q: '', since: '', until: '' });
    expect(q).toEqual({ action: 'plan.rejected', actor_id: 'a1' });
  });

  it('takes whole local days, both ends included', () => {
    const q = auditQuery({ action: '', actor_id: '', target_type: '', target_id: '', q: '', since: '2026-03-01', until: '2026-03-01' });
    const since = new Date(q.since!);
    const until = new Date(q.until!);
    // Local midnight at the start of 1 March, and at the start of the day after.
    expect([since.getFullYear(), since.getMonth(), since.getDate(), since.getHours(), since.getMinutes()]).toEqual([2026, 2, 1, 0, 0]);
    expect([until.getFullYear(), until.getMonth(), until.getDate(), until.getHours(), until.getMinutes()]).toEqual([2026, 2, 2, 0, 0]);
    // At the end of a month, the next day is the first of the next month.
    const end = new Date(auditQuery({ action: '', actor_id: '', target_type: '', target_id: '', q: '', since: '', until: '2026-02-28' }).until!);
    expect([end.getMonth(), end.getDate()]).toEqual([2, 1]);
  });
});

describe('targetPath', () => {
  it('links users, plans and authors to their pages, settings and invitations to the settings', () => {
    expect(targetPath({ type: 'user', id: 'u1' })).toBe('/users/u1');
    expect(targetPath({ type: 'plan', id: 'p1' })).toBe('/plans/p1');
    expect(targetPath({ type: 'author', id: 'a1' })).toBe('/authors/a1');
    expect(targetPath({ type: 'settings', id: 'site' })).toBe('/settings');
    expect(targetPath({ type: 'invite', id: 'i1' })).toBe('/settings');
    expect(targetPath({ type: 'media', id: 'm1' })).toBeNull();
  });
});

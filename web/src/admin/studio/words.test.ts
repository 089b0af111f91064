import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/problem';
import { cleanDates, fold, gapsOf, kindChange, parseTopics, suggestedSlug } from './words';

describe('studio form rules', () => {
  it('reads topics as typed, separated by commas', () => {
    expect(parseTopics(' metta, breath ,, impermanence, ')).toEqual(['metta', 'breath', 'impermanence']);
    expect(parseTopics('')).toEqual([]);
  });

  it('sends only whole start dates, in order, each once', () => {
    expect(cleanDates(['2025-07-10', '', '2024-07-21', '2025-07-10', '2025-0'])).toEqual(['2024-07-21', '2025-07-10']);
  });

  it('matches names without case or diacritics', () => {
    expect(fold('Thích Nhất Hạnh')).toBe('thich nhat hanh');
    expect(fold('Đức Đạt-lai')).toBe('duc dat-lai');
    expect(fold('Ajahn Chah')).toContain('chah');
  });

  it('finds the free slug the server suggests', () => {
    expect(suggestedSlug('The slug "metta" is taken; "metta-2" is free.')).toBe('metta-2');
    expect(suggestedSlug('Title must not be empty.')).toBeUndefined();
    expect(suggestedSlug(undefined)).toBeUndefined();
  });

  it('drops the file when an item becomes text or a link', () => {
    expect(kindChange('text')).toEqual({ kind: 'text', media_id: '' });
    expect(kindChange('link')).toEqual({ kind: 'link', media_id: '' });
    expect(kindChange('audio')).toEqual({ kind: 'audio' });
  });

  it('lists the gaps of a refused submission, each with the day it is about', () => {
    const error = new ApiError(422, {
      status: 422,
      title: 'Unprocessable Entity',
      type: 'about:blank',
      errors: [
        { location: 'authors', message: 'a plan needs at least one author' },
        { location: 'days[2]', message: 'day 3 has nothing to read or do' },
        { location: 'days', message: 'a plan needs at least one day' },
      ],
    });
    expect(gapsOf(error)).toEqual([
      { message: 'A plan needs at least one author.', about: 'authors' },
      { message: 'Day 3 has nothing to read or do.', about: 'day', day: 3 },
      { message: 'A plan needs at least one day.', about: 'days' },
    ]);
    expect(gapsOf(new ApiError(409, { status: 409, title: 'Conflict', type: 'about:blank' }))).toEqual([]);
  });
});

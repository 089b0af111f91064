import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/problem';
import { fieldErrors, problemWords } from './problem-words';

// The key stands in for the words, so the tests see which words were chosen.
const t = ((key: string) => key) as unknown as TFunction;

const invalid = new ApiError(422, {
  type: 'https://dharmaplans.org/problems/invalid',
  title: 'Unprocessable Entity',
  status: 422,
  detail: 'the request has invalid fields',
  errors: [
    { location: 'body.email', message: 'email must be an address like name@example.org' },
    { location: 'body.password', message: 'password must be at least 10 characters' },
    { location: 'body.password', message: 'password is too common' },
  ],
});

describe('fieldErrors', () => {
  it("puts each invalid field's first problem beside the field it names, as a sentence", () => {
    expect(fieldErrors(invalid)).toEqual({
      email: 'Email must be an address like name@example.org.',
      password: 'Password must be at least 10 characters.',
    });
  });

  it('has nothing to place for other failures', () => {
    expect(fieldErrors(new ApiError(500, undefined))).toEqual({});
    expect(fieldErrors(new TypeError('Failed to fetch'))).toEqual({});
  });
});

describe('problemWords', () => {
  it("uses the caller's words for a status it understands", () => {
    const wrong = new ApiError(401, { type: 'x', title: 'Unauthorized', status: 401, detail: 'email or password is incorrect' });
    expect(problemWords(wrong, t, { 401: 'signIn.wrong' })).toBe('signIn.wrong');
  });

  it('says plainly when the server failed, was too busy, or could not be reached', () => {
    expect(problemWords(new ApiError(503, undefined), t)).toBe('common:errors.server');
    expect(problemWords(new ApiError(429, { type: 'x', title: 'Too Many Requests', status: 429 }), t)).toBe('common:errors.tooMany');
    expect(problemWords(new TypeError('Failed to fetch'), t)).toBe('common:errors.offline');
  });

  it("otherwise shows the server's own detail as a sentence", () => {
    const gone = new ApiError(404, { type: 'x', title: 'Not Found', status: 404, detail: 'session not found' });
    expect(problemWords(gone, t)).toBe('Session not found.');
  });
});

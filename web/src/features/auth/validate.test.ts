import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import { check, nextPath } from './validate';

const t = ((key: string) => key) as unknown as TFunction;

describe('check', () => {
  it('tells every missing field, a mistyped email and a short new password at once', () => {
    expect(check({ display_name: ' ', email: 'ananda@', password: 'short' }, t, {
      required: ['display_name', 'email', 'password'],
      email: 'email',
      newPassword: 'password',
    })).toEqual({
      display_name: 'auth:validation.required',
      email: 'auth:validation.email',
      password: 'auth:validation.passwordLength',
    });
  });

  it('lets a well-formed sign-up through to the server', () => {
    expect(check({ email: 'ananda@example.org', password: 'quiet mountain river' }, t, {
      required: ['email', 'password'],
      email: 'email',
      newPassword: 'password',
    })).toEqual({});
  });
});

describe('nextPath', () => {
  it('goes back to the page that asked for a sign-in', () => {
    expect(nextPath('/today?day=3')).toBe('/today?day=3');
  });

  it('never sends anyone to another site', () => {
    for (const next of ['https://evil.example/', '//evil.example/', '/\\evil.example', 'javascript:alert(1)', null]) {
      expect(nextPath(next)).toBe('/');
    }
  });
});

import { describe, expect, it } from 'vitest';
import { languageOf } from './index';

describe('languageOf', () => {
  it('picks the supported language of a tag, else English', () => {
    expect(languageOf('vi-VN')).toBe('vi');
    expect(languageOf('VI')).toBe('vi');
    expect(languageOf('en-GB')).toBe('en');
    expect(languageOf('fr-FR')).toBe('en');
    expect(languageOf('')).toBe('en');
    expect(languageOf(undefined)).toBe('en');
  });
});

// Every word the English interface has, the Vietnamese one has too.
const files = import.meta.glob<{ default: Record<string, unknown> }>('./locales/*/*.json', { eager: true });

function keys(o: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) =>
    v && typeof v === 'object' ? keys(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

describe('translations', () => {
  const english = Object.keys(files).filter((p) => p.startsWith('./locales/en/'));
  it.each(english)('%s is translated into Vietnamese with the same keys', (path) => {
    const vi = files[path.replace('/en/', '/vi/')];
    expect(vi, `${path.replace('/en/', '/vi/')} is missing`).toBeDefined();
    expect(keys(vi!.default).sort()).toEqual(keys(files[path]!.default).sort());
  });
});

import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, percentOf, pollDelay, progressStep } from './format';

describe('formatBytes', () => {
  it('uses the units of the server messages (1 MB = 1024 KB)', () => {
    expect(formatBytes(820, 'en')).toBe('820 B');
    expect(formatBytes(1536, 'en')).toBe('1.5 KB');
    expect(formatBytes(20 * 1024 * 1024, 'en')).toBe('20 MB');
    expect(formatBytes(2 * 1024 ** 3, 'en')).toBe('2 GB');
    expect(formatBytes(150 * 1024 * 1024, 'en')).toBe('150 MB');
  });
  it('writes numbers the Vietnamese way in Vietnamese', () => {
    expect(formatBytes(1.5 * 1024 * 1024, 'vi')).toBe('1,5 MB');
  });
});

describe('formatDuration', () => {
  it('reads like a player clock', () => {
    expect(formatDuration(42_000)).toBe('0:42');
    expect(formatDuration(725_400)).toBe('12:05');
    expect(formatDuration(3_723_000)).toBe('1:02:03');
  });
});

describe('progress', () => {
  it('is a whole percentage, 100 only when all is sent', () => {
    expect(percentOf(0, 0)).toBe(0);
    expect(percentOf(999, 1000)).toBe(99);
    expect(percentOf(1000, 1000)).toBe(100);
  });
  it('is announced every quarter', () => {
    expect([0, 24, 25, 49, 74, 99, 100].map((p) => progressStep(p))).toEqual([0, 0, 25, 25, 50, 75, 100]);
  });
});

describe('pollDelay', () => {
  it('asks again soon at first, then every four seconds at most', () => {
    expect(pollDelay(0)).toBe(500);
    expect(pollDelay(1)).toBe(750);
    expect(pollDelay(20)).toBe(4000);
  });
});

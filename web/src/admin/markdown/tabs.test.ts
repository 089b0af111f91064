import { describe, expect, it } from 'vitest';
import { tabAfterKey } from './tabs';

describe('tabAfterKey', () => {
  const tabs = ['write', 'preview'] as const;
  it('moves with the arrows, wrapping round, and to the ends with Home and End', () => {
    expect(tabAfterKey(tabs, 'write', 'ArrowRight')).toBe('preview');
    expect(tabAfterKey(tabs, 'preview', 'ArrowRight')).toBe('write');
    expect(tabAfterKey(tabs, 'write', 'ArrowLeft')).toBe('preview');
    expect(tabAfterKey(tabs, 'preview', 'Home')).toBe('write');
    expect(tabAfterKey(tabs, 'write', 'End')).toBe('preview');
  });
  it('leaves other keys to the page', () => {
    expect(tabAfterKey(tabs, 'write', 'Enter')).toBeUndefined();
    expect(tabAfterKey(tabs, 'write', 'ArrowDown')).toBeUndefined();
  });
});

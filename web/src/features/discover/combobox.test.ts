import { describe, expect, it } from 'vitest';
import { closed, comboboxKey, typed } from './combobox';

describe('the search suggestions, by keyboard', () => {
  it('moves down through the suggestions and back round to the first', () => {
    let s = typed();
    const seen: number[] = [];
    for (let i = 0; i < 4; i++) {
      const out = comboboxKey(s, 'ArrowDown', 3);
      expect(out.handled).toBe(true);
      s = out.state;
      seen.push(s.active);
    }
    expect(seen).toEqual([0, 1, 2, 0]);
  });

  it('moves up from the top to the last suggestion', () => {
    expect(comboboxKey(typed(), 'ArrowUp', 3).state).toEqual({ open: true, active: 2 });
    expect(comboboxKey({ open: true, active: 2 }, 'ArrowUp', 3).state).toEqual({ open: true, active: 1 });
  });

  it('opens a closed list with the arrows', () => {
    expect(comboboxKey(closed, 'ArrowDown', 2).state).toEqual({ open: true, active: 0 });
    expect(comboboxKey(closed, 'ArrowUp', 2).state).toEqual({ open: true, active: 1 });
  });

  it('leaves the arrows to the browser when there is nothing to suggest', () => {
    expect(comboboxKey(typed(), 'ArrowDown', 0)).toEqual({ state: typed(), handled: false });
  });

  it('picks the highlighted suggestion with Enter', () => {
    expect(comboboxKey({ open: true, active: 1 }, 'Enter', 3)).toEqual({ state: closed, choose: 1, handled: true });
  });

  it('lets Enter search for the words typed when nothing is highlighted', () => {
    expect(comboboxKey(typed(), 'Enter', 3)).toEqual({ state: closed, handled: false });
    // A highlight left from a longer list does not pick a suggestion that is gone.
    expect(comboboxKey({ open: true, active: 4 }, 'Enter', 2).choose).toBeUndefined();
  });

  it('closes the list with Escape, and clears the box with a second Escape', () => {
    const first = comboboxKey({ open: true, active: 0 }, 'Escape', 3);
    expect(first).toEqual({ state: closed, handled: true });
    expect(comboboxKey(first.state, 'Escape', 3)).toEqual({ state: closed, clear: true, handled: true });
  });

  it('closes the list when focus moves on with Tab, without keeping the key', () => {
    expect(comboboxKey({ open: true, active: 1 }, 'Tab', 3)).toEqual({ state: closed, handled: false });
  });

  it('ignores the letters: typing is the input’s', () => {
    const s = { open: true, active: 1 };
    expect(comboboxKey(s, 'm', 3)).toEqual({ state: s, handled: false });
  });
});

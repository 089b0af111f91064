import { describe, expect, it } from 'vitest';
import { dayNumber, keysAfter, move, orderNumbers, reconcileKeys } from './day-keys';

function keyMaker() {
  let n = 0;
  return () => `new${++n}`;
}

describe('day keys', () => {
  it('follow a day added at the end or at a position', () => {
    expect(keysAfter(['a', 'b'], { type: 'addDay', key: 'c' }, 3)).toEqual(['a', 'b', 'c']);
    expect(keysAfter(['a', 'b'], { type: 'addDay', key: 'c', position: 1 }, 3)).toEqual(['c', 'a', 'b']);
  });

  it('follow a removed day: the days after it move one earlier', () => {
    const keys = keysAfter(['a', 'b', 'c'], { type: 'deleteDay', day: 'b' }, 2);
    expect(keys).toEqual(['a', 'c']);
    expect(dayNumber(keys, 'c')).toBe(2);
    expect(dayNumber(keys, 'b')).toBeUndefined();
  });

  it('follow a new order', () => {
    expect(keysAfter(['a', 'b', 'c'], { type: 'reorderDays', order: ['c', 'a', 'b'] }, 3)).toEqual(['c', 'a', 'b']);
  });

  it('keep known days by position when the plan has more or fewer days than expected', () => {
    expect(reconcileKeys(['a', 'b'], 3, keyMaker())).toEqual(['a', 'b', 'new1']);
    expect(reconcileKeys(['a', 'b', 'c'], 1, keyMaker())).toEqual(['a']);
    expect(keysAfter(['a'], { type: 'addDay', key: 'b' }, 3, keyMaker())).toEqual(['a', 'b', 'new1']);
  });

  it('give a new order as the current numbers of the days', () => {
    // Day 3 first: [3, 1, 2], as the API's reorder takes it.
    expect(orderNumbers(['a', 'b', 'c'], ['c', 'a', 'b'])).toEqual([3, 1, 2]);
    expect(orderNumbers(['a', 'b', 'c'], ['c', 'a'])).toBeUndefined();
    expect(orderNumbers(['a', 'b', 'c'], ['c', 'a', 'a'])).toBeUndefined();
    expect(orderNumbers(['a', 'b'], ['a', 'x'])).toBeUndefined();
  });

  it('move an entry up or down a list', () => {
    expect(move(['a', 'b', 'c', 'd'], 0, 2)).toEqual(['b', 'c', 'a', 'd']);
    expect(move(['a', 'b', 'c', 'd'], 3, 0)).toEqual(['d', 'a', 'b', 'c']);
    expect(move(['a', 'b'], 0, 5)).toEqual(['a', 'b']);
  });
});

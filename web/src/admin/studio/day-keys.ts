// Days have no ids on the server: they are numbered 1 to N, and the numbers
// move when days are added, removed or reordered. The editor names each day
// with a key of its own, kept in step with the plan as the server confirms
// each change, so that an edit made to "this day" reaches the same day
// whatever was moved before it was sent.

let counter = 0;

/** A new day key, unique in this page. */
export function newDayKey(): string {
  counter += 1;
  return `d${counter}`;
}

/** Keys for a plan of n days loaded afresh, keeping the known keys by position. */
export function reconcileKeys(keys: readonly string[], n: number, fresh: () => string = newDayKey): string[] {
  const next = keys.slice(0, n);
  while (next.length < n) next.push(fresh());
  return next;
}

/** A structural change of the days, as the key list must follow it. */
export type DayChange =
  | { type: 'addDay'; key: string; position?: number }
  | { type: 'deleteDay'; day: string }
  | { type: 'reorderDays'; order: readonly string[] };

/** The keys after the server confirmed change, for a plan that now has n days. */
export function keysAfter(keys: readonly string[], change: DayChange, n: number, fresh: () => string = newDayKey): string[] {
  let next: string[];
  switch (change.type) {
    case 'addDay': {
      next = [...keys];
      const at = change.position ? Math.min(change.position - 1, next.length) : next.length;
      next.splice(at, 0, change.key);
      break;
    }
    case 'deleteDay':
      next = keys.filter((k) => k !== change.day);
      break;
    case 'reorderDays':
      next = [...change.order];
      break;
  }
  return reconcileKeys(next, n, fresh);
}

/** The number of the day with key, or undefined when there is none. */
export function dayNumber(keys: readonly string[], key: string): number | undefined {
  const i = keys.indexOf(key);
  return i < 0 ? undefined : i + 1;
}

/**
 * A new order of the days as the server takes it: the current number of
 * each day, in the new order. Undefined when the order does not list each
 * current day once (the days changed meanwhile).
 */
export function orderNumbers(keys: readonly string[], order: readonly string[]): number[] | undefined {
  if (order.length !== keys.length || new Set(order).size !== order.length) return undefined;
  const numbers = order.map((k) => dayNumber(keys, k));
  return numbers.every((n) => n !== undefined) ? (numbers as number[]) : undefined;
}

/** list with the entry at from moved to to (both indexes into list). */
export function move<T>(list: readonly T[], from: number, to: number): T[] {
  const next = [...list];
  if (from < 0 || from >= next.length || to < 0 || to >= next.length) return next;
  const [moved] = next.splice(from, 1);
  next.splice(to, 0, moved as T);
  return next;
}

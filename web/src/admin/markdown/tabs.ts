// Keyboard moves between tabs, as the ARIA tabs pattern has them: arrows
// go to the neighbour (wrapping round), Home and End to the ends.

/** The tab to select after key on tabs (in order) while current is selected; undefined when key does not move. */
export function tabAfterKey<T>(tabs: readonly T[], current: T, key: string): T | undefined {
  const i = tabs.indexOf(current);
  if (i < 0 || tabs.length === 0) return undefined;
  switch (key) {
    case 'ArrowRight':
      return tabs[(i + 1) % tabs.length];
    case 'ArrowLeft':
      return tabs[(i - 1 + tabs.length) % tabs.length];
    case 'Home':
      return tabs[0];
    case 'End':
      return tabs[tabs.length - 1];
  }
  return undefined;
}

// The keyboard behaviour of the search box's suggestions, after the WAI-ARIA
// combobox pattern: arrows move through the list (and open it), Enter picks
// the highlighted suggestion (or, with none, lets the search go ahead),
// Escape closes the list and, pressed again, clears the box.

export interface ComboboxState {
  open: boolean;
  /** The highlighted suggestion, or -1 for none. */
  active: number;
}

export const closed: ComboboxState = { open: false, active: -1 };

/** What a key press does. */
export interface KeyOutcome {
  state: ComboboxState;
  /** The suggestion picked, if any. */
  choose?: number;
  /** Empty the box (Escape with the list closed). */
  clear?: boolean;
  /** The key was used here: the browser must not act on it too (move the caret, submit the form). */
  handled: boolean;
}

/** What key does to state when count suggestions are shown. */
export function comboboxKey(state: ComboboxState, key: string, count: number): KeyOutcome {
  const shown = state.open && count > 0;
  switch (key) {
    case 'ArrowDown':
      if (count === 0) return { state, handled: false };
      return { state: { open: true, active: shown && state.active < count - 1 ? state.active + 1 : 0 }, handled: true };
    case 'ArrowUp':
      if (count === 0) return { state, handled: false };
      return { state: { open: true, active: shown && state.active > 0 ? state.active - 1 : count - 1 }, handled: true };
    case 'Enter':
      if (shown && state.active >= 0 && state.active < count) return { state: closed, choose: state.active, handled: true };
      return { state: closed, handled: false };
    case 'Escape':
      if (shown) return { state: closed, handled: true };
      return { state: closed, clear: true, handled: true };
    case 'Tab':
      return { state: closed, handled: false };
    default:
      return { state, handled: false };
  }
}

/** After typing: the list opens afresh, nothing highlighted. */
export function typed(): ComboboxState {
  return { open: true, active: -1 };
}

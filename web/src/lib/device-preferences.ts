// What this device remembers for the person: theme, reading size and
// language. They are kept in localStorage so that index.html can apply the
// theme and size before the first paint, and the language before the
// session is restored; the account's locale then takes over. Changing one in
// a tab changes it in the others (the storage event).
import { setLanguage } from '../i18n';

export const themes = ['system', 'light', 'sepia', 'dark'] as const;
export type Theme = (typeof themes)[number];

export const readingSizes = ['small', 'medium', 'large', 'largest'] as const;
export type ReadingSize = (typeof readingSizes)[number];

// The names index.html reads too.
const themeKey = 'dharmaplans.theme';
const readingSizeKey = 'dharmaplans.readingSize';
const languageKey = 'dharmaplans.language';

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage turned off: the defaults
  }
}

function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // storage turned off: the choice lasts until the page closes
  }
}

const prefersDark = () => matchMedia('(prefers-color-scheme: dark)');

export function storedTheme(): Theme {
  const theme = read(themeKey);
  return (themes as readonly string[]).includes(theme ?? '') ? (theme as Theme) : 'system';
}

export function storedReadingSize(): ReadingSize {
  const size = read(readingSizeKey);
  return (readingSizes as readonly string[]).includes(size ?? '') ? (size as ReadingSize) : 'medium';
}

function applyTheme(theme: Theme) {
  const html = document.documentElement;
  html.dataset.theme = theme === 'system' ? (prefersDark().matches ? 'dark' : 'light') : theme;
  // The browser's own bars take the page's colour.
  const paper = getComputedStyle(html).getPropertyValue('--color-paper').trim();
  if (paper) document.querySelector('meta[name="theme-color"]')?.setAttribute('content', paper);
}

function applyReadingSize(size: ReadingSize) {
  document.documentElement.dataset.readingSize = size;
}

export function setTheme(theme: Theme): void {
  write(themeKey, theme);
  applyTheme(theme);
}

export function setReadingSize(size: ReadingSize): void {
  write(readingSizeKey, size);
  applyReadingSize(size);
}

/** Switches the interface's language and remembers it for the next visit. */
export function chooseLanguage(tag: string): void {
  write(languageKey, tag);
  setLanguage(tag);
}

/**
 * Applies what this device remembers and keeps following it: the system's
 * dark mode while the theme is "system", and choices made in other tabs.
 */
export function startDevicePreferences(): void {
  applyTheme(storedTheme());
  applyReadingSize(storedReadingSize());
  setLanguage(read(languageKey) ?? navigator.language);
  prefersDark().addEventListener('change', () => applyTheme(storedTheme()));
  window.addEventListener('storage', (event) => {
    if (event.key === themeKey) applyTheme(storedTheme());
    else if (event.key === readingSizeKey) applyReadingSize(storedReadingSize());
    else if (event.key === languageKey && event.newValue) setLanguage(event.newValue);
  });
}

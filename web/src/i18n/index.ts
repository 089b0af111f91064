// The reader's words, in English and Vietnamese, through i18next. Each
// feature has a namespace of its own (one JSON file per language), so that
// features change their words without touching each other's files.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';

export const languages = ['en', 'vi'] as const;
export type Language = (typeof languages)[number];

/** The supported language closest to a BCP 47 tag such as "vi-VN"; English otherwise. */
export function languageOf(tag: string | null | undefined): Language {
  const base = (tag ?? '').toLowerCase().split('-')[0] ?? '';
  return (languages as readonly string[]).includes(base) ? (base as Language) : 'en';
}

// Every namespace's file, found at build time: locales/<language>/<namespace>.json.
const files = import.meta.glob<{ default: Record<string, unknown> }>('./locales/*/*.json', { eager: true });
const resources: Record<string, Record<string, Record<string, unknown>>> = {};
for (const [path, module] of Object.entries(files)) {
  const [lang = '', ns = ''] = /\.\/locales\/([^/]+)\/([^/]+)\.json$/.exec(path)?.slice(1) ?? [];
  (resources[lang] ??= {})[ns] = module.default;
}

void i18next.use(initReactI18next).init({
  resources,
  lng: languageOf(typeof navigator === 'undefined' ? 'en' : navigator.language),
  fallbackLng: 'en',
  defaultNS: 'common',
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
});

/** Switches the interface to lang (the signed-in person's locale, or their choice). */
export function setLanguage(tag: string): void {
  const lang = languageOf(tag);
  if (i18next.language !== lang) void i18next.changeLanguage(lang);
  document.documentElement.lang = lang;
}

export default i18next;

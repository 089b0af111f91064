// The reader's words, in English and Vietnamese, through i18next. Each
// feature has a namespace of its own (one JSON file per language), so that
// features change their words without touching each other's files.
//
// Only the words every page needs (common) and those of the first page
// (discover) come with the app; a feature's namespace is loaded when a
// component first asks for it with useTranslation, and the component
// suspends until then (the layout's Suspense boundary shows a quiet
// placeholder). So the initial JavaScript does not grow with every feature's
// words in every language.
import i18next, { type BackendModule, type ResourceKey } from 'i18next';
import { initReactI18next } from 'react-i18next';

export const languages = ['en', 'vi'] as const;
export type Language = (typeof languages)[number];

/** The supported language closest to a BCP 47 tag such as "vi-VN"; English otherwise. */
export function languageOf(tag: string | null | undefined): Language {
  const base = (tag ?? '').toLowerCase().split('-')[0] ?? '';
  return (languages as readonly string[]).includes(base) ? (base as Language) : 'en';
}

type Words = { default: Record<string, unknown> };

// Every namespace's file, found at build time: locales/<language>/<namespace>.json.
const bundled = import.meta.glob<Words>('./locales/*/{common,discover}.json', { eager: true });
const later = import.meta.glob<Words>(['./locales/*/*.json', '!./locales/*/{common,discover}.json']);

const resources: Record<string, Record<string, Record<string, unknown>>> = {};
for (const [path, module] of Object.entries(bundled)) {
  const [lang = '', ns = ''] = /\.\/locales\/([^/]+)\/([^/]+)\.json$/.exec(path)?.slice(1) ?? [];
  (resources[lang] ??= {})[ns] = module.default;
}

// Loads the other namespaces' files from their own chunks.
const lazyWords: BackendModule = {
  type: 'backend',
  init() {},
  read(language, namespace, done) {
    const load = later[`./locales/${language}/${namespace}.json`];
    if (!load) return done(null, {});
    load().then(
      (module) => done(null, module.default as ResourceKey),
      (error: unknown) => done(error instanceof Error ? error.message : String(error), false),
    );
  },
};

void i18next.use(lazyWords).use(initReactI18next).init({
  resources,
  partialBundledLanguages: true,
  ns: ['common', 'discover'],
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

import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Prose } from '../../../components/prose';

/**
 * The name of a root text's language in the reader's language. Browsers'
 * own names lack some (Chromium names Pali "pi"): those are ours.
 */
function useLanguageName(code: string | undefined): string {
  const { t, i18n } = useTranslation('today');
  if (!code) return t('parallel.original');
  let browsers = code;
  try {
    browsers = new Intl.DisplayNames([i18n.language], { type: 'language' }).of(code) ?? code;
  } catch {
    // An unknown code: shown as it is.
  }
  return t(`parallel.language.${code}`, { defaultValue: browsers });
}

/**
 * A translation with its root text (Pali, say): side by side on a wide
 * screen, one at a time on a phone with a switch between them.
 */
export function ParallelText({ html, rootHtml, rootLanguage }: { html: string; rootHtml: string; rootLanguage?: string }) {
  const { t } = useTranslation('today');
  const [showRoot, setShowRoot] = useState(false);
  const rootName = useLanguageName(rootLanguage);
  const tab = (pressed: boolean) =>
    `rounded-full px-4 py-1.5 text-sm transition-colors ${pressed ? 'bg-ink text-paper' : 'text-muted hover:bg-ink/5'}`;
  const heading = 'mb-3 hidden text-xs font-medium uppercase tracking-wider text-muted lg:block';

  return (
    <div>
      <div role="group" aria-label={t('parallel.choose')} className="mb-5 inline-flex rounded-full border border-ink/15 p-1 lg:hidden">
        <button type="button" aria-pressed={!showRoot} onClick={() => setShowRoot(false)} className={tab(!showRoot)}>
          {t('parallel.translation')}
        </button>
        <button type="button" aria-pressed={showRoot} onClick={() => setShowRoot(true)} className={tab(showRoot)}>
          {rootName}
        </button>
      </div>
      <div className="lg:grid lg:grid-cols-2 lg:gap-12">
        <div className={showRoot ? 'hidden lg:block' : ''}>
          <p className={heading}>{t('parallel.translation')}</p>
          <Prose html={html} />
        </div>
        <div className={showRoot ? '' : 'hidden lg:block'}>
          <p className={heading}>{rootName}</p>
          <Prose html={rootHtml} lang={rootLanguage} className="text-ink/85 lg:border-l lg:border-ink/10 lg:pl-12" />
        </div>
      </div>
    </div>
  );
}

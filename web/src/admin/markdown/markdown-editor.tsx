// A Markdown field with a live preview that is exactly what readers will
// see: the server renders and sanitises the text (the same code readers'
// pages come from) and the preview sets it in the reader's prose styles.
// Side by side where the field is wide, Write and Preview tabs where not.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { Prose } from '../../components/prose';
import { Spinner } from '../../components/spinner';
import { problemWords } from '../../lib/problem-words';
import { previewKey, renderMarkdown } from './api';
import { tabAfterKey } from './tabs';

export interface MarkdownEditorProps {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  error?: string;
  rows?: number;
  hint?: string;
}

/** How long typing must pause before the preview is asked for. */
const previewDelay = 400;
/** From this width (in CSS pixels) the field shows writing and preview side by side. */
const sideBySide = 880;

const tabs = ['write', 'preview'] as const;
type Tab = (typeof tabs)[number];

/** value, once it has stayed the same for ms. */
function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** Whether the element is at least min pixels wide, following its size. */
function useWide(ref: RefObject<HTMLElement | null>, min: number): boolean {
  const [wide, setWide] = useState(false);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    setWide(element.getBoundingClientRect().width >= min);
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => entry && setWide(entry.contentRect.width >= min));
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref, min]);
  return wide;
}

/** A labelled Markdown textarea with a live, server-rendered preview and a cheat sheet. */
export function MarkdownEditor({ label, name, value, onChange, onBlur, error, rows = 10, hint }: MarkdownEditorProps) {
  const { t } = useTranslation('media');
  const id = useId();
  const ids = {
    textarea: `${id}-text`,
    hint: `${id}-hint`,
    error: `${id}-error`,
    writeTab: `${id}-write-tab`,
    previewTab: `${id}-preview-tab`,
    writePanel: `${id}-write`,
    previewPanel: `${id}-preview`,
  };
  const root = useRef<HTMLDivElement>(null);
  const tabRefs = useRef<Partial<Record<Tab, HTMLButtonElement | null>>>({});
  const wide = useWide(root, sideBySide);
  const [tab, setTab] = useState<Tab>('write');
  const previewShown = wide || tab === 'preview';

  const settled = useDebounced(value, previewDelay);
  // Switching to the preview tab shows the text as it is now, without waiting.
  const text = !wide && tab === 'preview' ? value : settled;
  const preview = useQuery({
    queryKey: previewKey(text),
    queryFn: ({ signal }) => renderMarkdown(text, signal),
    enabled: previewShown && text.trim() !== '',
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    gcTime: 60_000,
    retry: false,
  });

  const described = [hint && ids.hint, error && ids.error].filter(Boolean).join(' ') || undefined;

  function select(next: Tab) {
    setTab(next);
    tabRefs.current[next]?.focus();
  }
  function onTabKey(event: KeyboardEvent<HTMLButtonElement>) {
    const next = tabAfterKey(tabs, tab, event.key);
    if (!next) return;
    event.preventDefault();
    select(next);
  }

  const writing = (
    <textarea
      id={ids.textarea}
      name={name}
      value={value}
      rows={rows}
      onChange={(e) => onChange(e.target.value)}
      onBlur={onBlur}
      spellCheck
      aria-invalid={error ? true : undefined}
      aria-describedby={described}
      className={`block w-full resize-y rounded-lg border bg-surface px-3 py-2.5 font-mono text-sm leading-relaxed shadow-xs outline-offset-1 focus:border-accent ${
        error ? 'border-danger' : 'border-ink/30'
      }`}
    />
  );

  const empty = text.trim() === '';
  const previewing = (
    <div
      aria-busy={preview.isFetching || undefined}
      className="min-h-full rounded-lg border border-ink/10 bg-paper px-4 py-3"
      style={{ minHeight: `${rows * 1.6 + 1.5}em` }}
    >
      <p className="mb-2 flex items-center gap-2 text-xs text-muted">
        {wide && <span className="font-semibold tracking-wide uppercase">{t('markdown.previewTitle')}</span>}
        <span>
          {wide && '· '}
          {t('markdown.previewNote')}
        </span>
        {preview.isFetching && !preview.isPending && (
          <span className="ml-auto flex items-center gap-1.5">
            <Spinner />
            {t('markdown.updating')}
          </span>
        )}
      </p>
      {empty ? (
        <p className="text-sm text-muted">{t('markdown.empty')}</p>
      ) : preview.isError ? (
        <p className="text-sm text-danger">{t('markdown.failed', { reason: problemWords(preview.error, t) })}</p>
      ) : preview.data !== undefined ? (
        // Sanitised by the server (bluemonday): the only HTML set here.
        <Prose html={preview.data} />
      ) : (
        <p className="flex items-center gap-2 text-sm text-muted">
          <Spinner />
          {t('markdown.rendering')}
        </p>
      )}
    </div>
  );

  return (
    <div ref={root}>
      <label htmlFor={ids.textarea} className="block font-medium">
        {label}
      </label>
      {hint && (
        <p id={ids.hint} className="mt-0.5 text-sm text-muted">
          {hint}
        </p>
      )}
      {wide ? (
        <div className="mt-1.5 grid grid-cols-2 gap-4">
          {writing}
          {previewing}
        </div>
      ) : (
        <div className="mt-1.5">
          <div role="tablist" aria-label={t('markdown.tabs', { label })} className="mb-2 flex gap-1 border-b border-ink/10">
            {tabs.map((name) => (
              <button
                key={name}
                ref={(el) => {
                  tabRefs.current[name] = el;
                }}
                type="button"
                role="tab"
                id={name === 'write' ? ids.writeTab : ids.previewTab}
                aria-selected={tab === name}
                aria-controls={name === 'write' ? ids.writePanel : ids.previewPanel}
                tabIndex={tab === name ? 0 : -1}
                onClick={() => setTab(name)}
                onKeyDown={onTabKey}
                className={`-mb-px rounded-t-md border-b-2 px-3 py-1.5 text-sm ${
                  tab === name ? 'border-accent font-semibold text-ink' : 'border-transparent text-muted hover:text-ink'
                }`}
              >
                {t(`markdown.${name}`)}
              </button>
            ))}
          </div>
          <div role="tabpanel" id={ids.writePanel} aria-labelledby={ids.writeTab} hidden={tab !== 'write'}>
            {writing}
          </div>
          <div role="tabpanel" id={ids.previewPanel} aria-labelledby={ids.previewTab} hidden={tab !== 'preview'} tabIndex={0}>
            {tab === 'preview' && previewing}
          </div>
        </div>
      )}
      {error && (
        <p id={ids.error} className="mt-1.5 text-sm text-danger">
          {error}
        </p>
      )}
      <CheatSheet />
    </div>
  );
}

/** The Markdown most texts need, with what readers see of it. */
function CheatSheet() {
  const { t } = useTranslation('media');
  const w = (key: string) => t(`markdown.help.${key}`);
  const rows: Array<[string, React.ReactNode]> = [
    [`**${w('bold')}**`, <strong>{w('bold')}</strong>],
    [`*${w('italic')}*`, <em>{w('italic')}</em>],
    [`## ${w('heading')}`, <span className="font-serif text-lg">{w('heading')}</span>],
    [`- ${w('item')}`, <span>• {w('item')}</span>],
    [`1. ${w('numbered')}`, <span>1. {w('numbered')}</span>],
    [`> ${w('quote')}`, <span className="border-l-2 border-accent/40 pl-2 italic">{w('quote')}</span>],
    [`[${w('link')}](https://…)`, <span className="text-accent underline underline-offset-4">{w('link')}</span>],
    ['---', <span>{w('rule')}</span>],
    ['…\\', <span>{w('lineBreak')}</span>],
    [`…[^1]\n[^1]: ${w('footnoteText')}`, <span>{w('footnote')}<sup>1</sup></span>],
  ];
  return (
    <details className="mt-2 text-sm">
      <summary className="w-fit cursor-pointer text-muted hover:text-ink">{w('summary')}</summary>
      <table className="mt-2 w-full max-w-xl border-collapse text-left">
        <thead>
          <tr className="border-b border-ink/10 text-muted">
            <th scope="col" className="py-1 pr-4 font-medium">
              {w('youWrite')}
            </th>
            <th scope="col" className="py-1 font-medium">
              {w('readersSee')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([source, result]) => (
            <tr key={source} className="border-b border-ink/5 align-top">
              <td className="py-1 pr-4">
                <code className="font-mono text-xs whitespace-pre-wrap">{source}</code>
              </td>
              <td className="py-1">{result}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

import { useLayoutEffect, useRef, useState, type ReactNode, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import type { components } from '../../../api/schema';
import { QueryError } from '../../../components/query-error';
import { MediaImage } from '../../../components/media-image';
import { Prose } from '../../../components/prose';
import { usePlanDay } from '../api/use-plan-day';

type Item = components['schemas']['ItemBody'];
type Task = components['schemas']['TaskBody'];

interface DayPreviewProps {
  slug: string;
  /** The days anyone may read before starting. */
  days: number[];
  day: number;
  onDay: (n: number) => void;
  /** The heading, which takes the focus when the outline opens a day here. */
  headingRef: Ref<HTMLHeadingElement>;
}

/** The first days of a plan, to read before starting it. */
export function DayPreview({ slug, days, day, onDay, headingRef }: DayPreviewProps) {
  const { t } = useTranslation('plan');
  return (
    <section aria-labelledby="preview-title" className="mt-14">
      <h2 id="preview-title" ref={headingRef} tabIndex={-1} className="font-serif text-2xl focus-visible:outline-none">
        {t('preview.heading')}
      </h2>
      <p className="mt-1 text-muted">{t('preview.intro', { count: days.length })}</p>
      {days.length > 1 && (
        <div role="group" aria-label={t('preview.choose')} className="mt-4 inline-flex rounded-full border border-ink/15 p-1">
          {days.map((n) => (
            <button
              key={n}
              type="button"
              aria-pressed={n === day}
              onClick={() => onDay(n)}
              className={`rounded-full px-4 py-1.5 text-sm transition-colors ${n === day ? 'bg-ink text-paper' : 'text-muted hover:bg-ink/5'}`}
            >
              {t('outline.day', { n })}
            </button>
          ))}
        </div>
      )}
      <PreviewDay key={day} slug={slug} n={day} />
    </section>
  );
}

function PreviewDay({ slug, n }: { slug: string; n: number }) {
  const { t } = useTranslation('plan');
  const day = usePlanDay(slug, n);
  if (day.isPending) {
    return (
      <div role="status" aria-label={t('preview.loading', { n })} className="mt-6 space-y-3 rounded-2xl border border-ink/10 bg-surface p-6">
        <div className="h-6 w-1/2 animate-pulse rounded bg-ink/10 motion-reduce:animate-none" />
        <div className="h-4 w-full rounded bg-ink/5" />
        <div className="h-4 w-11/12 rounded bg-ink/5" />
        <div className="h-4 w-4/5 rounded bg-ink/5" />
      </div>
    );
  }
  if (day.isError) {
    return (
      <div className="mt-6">
        <QueryError error={day.error} onRetry={() => void day.refetch()} />
      </div>
    );
  }
  const d = day.data;
  return (
    <Foldable label={t('preview.whole', { n: d.number })}>
      <h3 className="font-serif text-2xl leading-snug">
        <span className="block text-sm font-sans font-medium uppercase tracking-wider text-muted">{t('outline.day', { n: d.number })}</span>
        {d.title}
      </h3>
      {d.intro_html && <Prose html={d.intro_html} className="mt-4" />}
      {(d.items ?? []).map((item) => (
        <PreviewItem key={item.id} item={item} />
      ))}
      {(d.tasks ?? []).length > 0 && (
        <div className="mt-8 border-t border-ink/10 pt-6">
          <p className="text-sm font-medium uppercase tracking-wider text-muted">{t('preview.practice')}</p>
          <ul className="mt-3 space-y-4">
            {(d.tasks ?? []).map((task) => (
              <PreviewTask key={task.id} task={task} />
            ))}
          </ul>
        </div>
      )}
    </Foldable>
  );
}

/** A long day shows its beginning, fading out, until the reader asks for the rest. */
function Foldable({ label, children }: { label: string; children: ReactNode }) {
  const box = useRef<HTMLDivElement>(null);
  const [long, setLong] = useState(false);
  const [open, setOpen] = useState(false);
  useLayoutEffect(() => {
    const el = box.current;
    if (el) setLong(el.scrollHeight > el.clientHeight + 1);
  }, []);
  const folded = long && !open;
  return (
    <div className="relative mt-6 rounded-2xl border border-ink/10 bg-surface">
      <div
        ref={box}
        tabIndex={-1}
        className={`px-5 py-6 focus-visible:outline-none sm:px-8 sm:py-8 ${open ? '' : 'max-h-[40rem] overflow-hidden'}`}
      >
        {children}
      </div>
      {folded && (
        <div className="absolute inset-x-0 bottom-0 flex justify-center rounded-b-2xl bg-gradient-to-t from-surface from-40% to-transparent pb-5 pt-20">
          <button
            type="button"
            onClick={() => {
              setOpen(true);
              box.current?.focus({ preventScroll: true }); // the button goes: reading goes on where it was
            }}
            className="rounded-full border border-ink/20 bg-surface px-5 py-2 font-medium shadow-xs hover:bg-ink/5"
          >
            {label}
          </button>
        </div>
      )}
    </div>
  );
}

function PreviewItem({ item }: { item: Item }) {
  const { t, i18n } = useTranslation('plan');
  const root = item.root_language ? languageName(item.root_language, i18n.language) : t('preview.original');
  return (
    <article className="mt-8">
      <p className="text-xs font-medium uppercase tracking-wider text-muted">
        {t(`preview.kind.${item.kind}`)}
        {item.minutes > 0 && <> · {t('outline.minutes', { count: item.minutes })}</>}
      </p>
      {item.title && <h4 className="mt-1 font-serif text-xl leading-snug">{item.title}</h4>}
      {item.citation && <p className="text-sm text-muted">{item.citation}</p>}
      <ItemMedia item={item} />
      {item.body_html && <Prose html={item.body_html} className="mt-3" />}
      {item.root_html && (
        <details className="mt-4 rounded-lg border border-ink/10 px-4 py-3">
          <summary className="cursor-pointer text-sm text-muted">{t('preview.rootText', { language: root })}</summary>
          <Prose html={item.root_html} lang={item.root_language} className="mt-3 text-ink/85" />
        </details>
      )}
    </article>
  );
}

/** The recording, video, image or document of an item; links open where they point. */
function ItemMedia({ item }: { item: Item }) {
  const { t } = useTranslation('plan');
  const url = item.media?.url;
  switch (item.kind) {
    case 'audio':
      return url ? <audio controls preload="none" src={url} className="mt-3 w-full" /> : null;
    case 'video':
      return url ? <video controls preload="none" src={url} className="mt-3 w-full rounded-lg" /> : null;
    case 'image':
      return (
        <MediaImage media={item.media} alt={item.title} sizes="(min-width: 896px) 560px, 100vw" className="mt-3 w-full rounded-lg" />
      );
    case 'pdf':
      return url ? <ExternalLink href={url}>{t('preview.openPdf')}</ExternalLink> : null;
    case 'link':
      return item.url ? <ExternalLink href={item.url}>{hostOf(item.url)}</ExternalLink> : null;
    default:
      return null;
  }
}

function ExternalLink({ href, children }: { href: string; children: string }) {
  return (
    <p className="mt-2">
      <a href={href} target="_blank" rel="noopener noreferrer" className="text-accent underline underline-offset-4">
        {children}
        <span aria-hidden="true"> ↗</span>
      </a>
    </p>
  );
}

function PreviewTask({ task }: { task: Task }) {
  const { t } = useTranslation('plan');
  return (
    <li className="flex gap-3">
      <span aria-hidden="true" className="mt-2 size-2 shrink-0 rounded-full bg-accent/60" />
      <div className="min-w-0">
        <p className="text-sm text-muted">
          {t(`preview.task.${task.kind}`)}
          {task.minutes > 0 && <> · {t('outline.minutes', { count: task.minutes })}</>}
          {task.optional && <> · {t('preview.optional')}</>}
        </p>
        {task.prompt_html && <Prose html={task.prompt_html} />}
      </div>
    </li>
  );
}

/** The name of a language in the reader's language: "Pali", "tiếng Pali". */
function languageName(code: string, locale: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'language' }).of(code) ?? code;
  } catch {
    return code; // a code Intl cannot read
  }
}

/** Where a link goes, shortly: "suttacentral.net". */
function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}

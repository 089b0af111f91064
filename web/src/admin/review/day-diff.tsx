import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Prose } from '../../components/prose';
import { DiffText, DiffValue } from './diff-text';
import type { DayDiff, EntryDiff, EntryStatus, FieldChange, ItemBody, TaskBody } from './plan-diff';

const badgeStyle: Record<EntryStatus | DayDiff['status'], string> = {
  added: 'border-accent/50 bg-accent/10 text-ink',
  removed: 'border-danger/50 bg-danger/5 text-danger',
  changed: 'border-ink/30 bg-ink/5 text-ink',
  moved: 'border-ink/30 bg-ink/5 text-ink',
  movedAway: 'border-ink/20 text-muted',
  unchanged: 'border-ink/15 text-muted',
};

// Added things get a solid bar at their left, removed ones a dashed one:
// the shape tells them apart as well as the colour.
const edgeStyle: Record<EntryStatus | DayDiff['status'], string> = {
  added: 'border-l-4 border-l-accent',
  removed: 'border-l-4 border-dashed border-l-danger',
  changed: 'border-l-4 border-l-ink/30',
  moved: 'border-l-4 border-l-ink/30',
  movedAway: 'border-l-4 border-dotted border-l-ink/20',
  unchanged: 'border-l-4 border-l-transparent',
};

export function StatusBadge({ status, children }: { status: EntryStatus | DayDiff['status']; children: ReactNode }) {
  return <span className={`inline-block rounded-full border px-2.5 py-0.5 text-sm font-medium whitespace-nowrap ${badgeStyle[status]}`}>{children}</span>;
}

type Entry = ItemBody | TaskBody;

function isItem(e: Entry): e is ItemBody {
  return 'title' in e;
}

/** A field's value in words: a kind's name, minutes, yes or no, a file's name. */
function useValueWords() {
  const { t } = useTranslation('review');
  return (field: string, value: string, entry?: Entry): ReactNode => {
    if (value === '') return '';
    switch (field) {
      case 'kind':
        return entry && isItem(entry) ? t(`itemKind.${value}`, { defaultValue: value }) : t(`taskKind.${value}`, { defaultValue: value });
      case 'minutes':
        return t('minutes', { count: Number(value) });
      case 'optional':
        return value === 'true' ? t('optional.yes') : t('optional.no');
      case 'media_id': {
        const media = entry && isItem(entry) && entry.media_id === value ? entry.media : undefined;
        return media?.filename ?? t('media.file', { id: value.slice(0, 8) });
      }
      default:
        return value;
    }
  };
}

/** The fields that changed, each with its diff. */
export function FieldChanges({ changes, before, after, scope }: { changes: FieldChange[]; before?: Entry; after?: Entry; scope: 'item' | 'task' | 'day' }) {
  const { t } = useTranslation('review');
  const words = useValueWords();
  if (changes.length === 0) return null;
  return (
    <dl className="mt-3 space-y-3">
      {changes.map((c) => (
        <div key={c.field}>
          <dt className="text-sm font-medium text-muted">{t(`fields.${scope}.${c.field}`, { defaultValue: c.field })}</dt>
          <dd className="mt-0.5">
            {c.kind === 'text' && c.segments ? (
              <DiffText segments={c.segments} className={c.field === 'title' ? 'font-serif text-lg' : ''} />
            ) : (
              <DiffValue before={words(c.field, c.before, before)} after={words(c.field, c.after, after)} />
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** What an entry is about, on one line: its kind, citation and minutes. */
function about(t: (k: string, o?: Record<string, unknown>) => string, e: Entry): string {
  if (isItem(e)) {
    return [t(`itemKind.${e.kind}`, { defaultValue: e.kind }), e.citation, e.media?.filename, e.url, e.minutes > 0 && t('minutes', { count: e.minutes })]
      .filter(Boolean)
      .join(' · ');
  }
  // A task without a prompt is already called by its kind.
  return [e.prompt.trim() && t(`taskKind.${e.kind}`, { defaultValue: e.kind }), e.minutes > 0 && t('minutes', { count: e.minutes }), e.optional && t('optional.yes')]
    .filter(Boolean)
    .join(' · ');
}

/** The whole text of an entry that is new (or gone), set for reading. */
function EntryContent({ entry }: { entry: Entry }) {
  const { t } = useTranslation('review');
  if (isItem(entry)) {
    return (
      <>
        {entry.body_html ? <Prose html={entry.body_html} size="body" className="mt-3" /> : null}
        {entry.root_html ? (
          <details className="mt-3">
            <summary className="cursor-pointer text-sm text-accent">{t('entry.rootText', { language: entry.root_language ?? '' })}</summary>
            <Prose html={entry.root_html} lang={entry.root_language} size="body" className="mt-2" />
          </details>
        ) : null}
      </>
    );
  }
  return entry.prompt_html ? <Prose html={entry.prompt_html} size="body" className="mt-3" /> : <p className="mt-3 whitespace-pre-wrap">{entry.prompt}</p>;
}

function EntryRow<T extends Entry>({ entry, scope }: { entry: EntryDiff<T>; scope: 'item' | 'task' }) {
  const { t } = useTranslation('review');
  const shown = (entry.after ?? entry.before)!;
  // A task is known by its prompt's first line; one without a prompt (a meditation) by its kind.
  const heading = isItem(shown)
    ? shown.title || t('untitled')
    : shown.prompt.trim().split('\n')[0]!.slice(0, 120) || t(`taskKind.${shown.kind}`, { defaultValue: shown.kind });
  let status: string;
  switch (entry.status) {
    case 'moved':
      status = entry.from ? t('entry.movedFrom', { day: entry.from.day, position: entry.from.position }) : t('status.moved');
      break;
    case 'movedAway':
      status = t('entry.movedTo', { day: entry.to?.day, position: entry.to?.position });
      break;
    default:
      status = t(`status.${entry.status}`);
  }
  return (
    <li className={`rounded-lg bg-paper/60 py-3 pl-4 pr-3 ${edgeStyle[entry.status]}`}>
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <StatusBadge status={entry.status}>{status}</StatusBadge>
        <span className={`font-serif text-lg ${entry.status === 'removed' ? 'line-through decoration-danger' : ''}`}>{heading}</span>
        <span className="text-sm text-muted">{about(t, shown)}</span>
      </div>
      {/* A task whose whole prompt is its heading has nothing more to show. */}
      {entry.status === 'added' && (isItem(shown) || shown.prompt.trim() !== heading) && <EntryContent entry={shown} />}
      {entry.status === 'removed' && (
        <details className="mt-2">
          <summary className="cursor-pointer text-sm text-accent">{t('entry.showRemoved')}</summary>
          <EntryContent entry={shown} />
        </details>
      )}
      {(entry.status === 'changed' || entry.status === 'moved') && <FieldChanges changes={entry.changes} before={entry.before} after={entry.after} scope={scope} />}
    </li>
  );
}

function EntryList<T extends Entry>({ title, entries, scope, onlyChanges }: { title: string; entries: EntryDiff<T>[]; scope: 'item' | 'task'; onlyChanges: boolean }) {
  const { t } = useTranslation('review');
  const id = useId();
  const shown = onlyChanges ? entries.filter((e) => e.status !== 'unchanged') : entries;
  const hidden = entries.length - shown.length;
  if (entries.length === 0) return null;
  return (
    <section aria-labelledby={id} className="mt-4">
      <h4 id={id} className="text-sm font-semibold tracking-wide text-muted uppercase">
        {title}
      </h4>
      {shown.length > 0 && (
        <ul className="mt-2 space-y-2">
          {shown.map((e) => (
            <EntryRow key={`${e.id}-${e.status}`} entry={e} scope={scope} />
          ))}
        </ul>
      )}
      {hidden > 0 && <p className="mt-2 text-sm text-muted">{t(scope === 'item' ? 'day.itemsUnchanged' : 'day.tasksUnchanged', { count: hidden })}</p>}
    </section>
  );
}

function onlyMoved(day: DayDiff): boolean {
  return day.moved && day.changes.length === 0 && [...day.items, ...day.tasks].every((e) => e.status === 'unchanged');
}

/** One day of the diff: what happened to it, its title and intro, its items and tasks. */
export function DayCard({ day, onlyChanges }: { day: DayDiff; onlyChanges: boolean }) {
  const { t } = useTranslation('review');
  const id = useId();
  const shown = (day.after ?? day.before)!;
  const number = day.number ?? day.beforeNumber!;
  const renumbered = day.number !== undefined && day.beforeNumber !== undefined && day.number !== day.beforeNumber;
  return (
    <article aria-labelledby={id} className={`rounded-xl border border-ink/10 bg-surface p-5 ${edgeStyle[day.status]}`}>
      <header className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <h3 id={id} className={`font-serif text-xl ${day.status === 'removed' ? 'line-through decoration-danger' : ''}`}>
          {t(day.status === 'removed' ? 'day.removedHeading' : 'day.heading', { number, title: shown.title || t('untitled') })}
        </h3>
        {/* A day that only moved is not called changed as well. */}
        {!onlyMoved(day) && <StatusBadge status={day.status}>{t(`status.${day.status}`)}</StatusBadge>}
        {day.moved && <StatusBadge status="moved">{t('status.moved')}</StatusBadge>}
        {renumbered && <span className="text-sm text-muted">{t('day.wasDay', { number: day.beforeNumber })}</span>}
      </header>
      {day.status === 'added' && shown.intro_html && <Prose html={shown.intro_html} size="body" className="mt-3" />}
      <FieldChanges changes={day.changes} scope="day" />
      {day.status === 'removed' ? (
        <p className="mt-2 text-sm text-muted">{t('day.removedContents', { items: shown.items?.length ?? 0, tasks: shown.tasks?.length ?? 0 })}</p>
      ) : null}
      <EntryList title={t('day.items')} entries={day.items} scope="item" onlyChanges={onlyChanges} />
      <EntryList title={t('day.tasks')} entries={day.tasks} scope="task" onlyChanges={onlyChanges} />
      {day.status !== 'removed' && day.items.length === 0 && day.tasks.length === 0 && <p className="mt-3 text-sm text-muted">{t('day.empty')}</p>}
    </article>
  );
}

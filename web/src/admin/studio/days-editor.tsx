// The plan's days: reordered by dragging (or with the keyboard), each opened
// to edit its title, introduction, readings and practices.
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { buttonStyle } from '../../components/form';
import { Spinner } from '../../components/spinner';
import { problemWords } from '../../lib/problem-words';
import type { Day } from './api';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { useEditor } from './editor-context';
import { MarkdownField, smallButton, TextField } from './fields';
import { ItemsEditor } from './items-editor';
import { DragHandle, SortableList, type Handle } from './sortable-list';
import { TasksEditor } from './tasks-editor';

export interface DaysEditorProps {
  /** The keys of the days shown open. */
  open: Set<string>;
  setOpen: (key: string, open: boolean) => void;
  /** Day numbers the server found empty on submitting. */
  gaps: Set<number>;
}

export function DaysEditor({ open, setOpen, gaps }: DaysEditorProps) {
  const { t } = useTranslation('studio');
  const { session, snapshot, locked } = useEditor();
  const days = session.days();
  const [adding, setAdding] = useState(false);
  const [focusKey, setFocusKey] = useState<string>();
  const structural = snapshot.busy || locked;
  const title = (key: string, day: Day) => session.value(`day:${key}.title`, 'title', day.title);
  const name = (key: string) => {
    const i = days.findIndex((d) => d.key === key);
    const d = days[i];
    return d ? t('days.name', { n: i + 1, title: title(key, d.day) }) : key;
  };

  const addDay = async () => {
    setAdding(true);
    try {
      const n = await session.addDay(t('days.newTitle', { n: days.length + 1 }));
      const key = session.keyOf(n);
      if (key) {
        setOpen(key, true);
        setFocusKey(key);
      }
    } catch {
      // Said by the editor's message of refused changes.
    } finally {
      setAdding(false);
    }
  };

  return (
    <div className="space-y-4">
      {days.length === 0 ? (
        <p className="rounded-xl border border-dashed border-ink/20 p-6 text-center text-muted">{t('days.empty')}</p>
      ) : (
        <SortableList
          ids={days.map((d) => d.key)}
          label={name}
          disabled={structural}
          onReorder={(order) => void session.reorderDays(order).catch(() => undefined)}
          className="space-y-3"
        >
          {(key, handle, index) => {
            const d = days.find((x) => x.key === key);
            return d ? (
              <DayCard
                dayKey={key}
                day={d.day}
                number={index + 1}
                title={title(key, d.day)}
                handle={handle}
                open={open.has(key)}
                onToggle={(o) => setOpen(key, o)}
                gap={gaps.has(index + 1)}
                focusTitle={focusKey === key}
              />
            ) : null;
          }}
        </SortableList>
      )}
      <button
        id="add-day"
        type="button"
        onClick={() => void addDay()}
        disabled={structural}
        className={`${buttonStyle('quiet')} w-full disabled:cursor-not-allowed disabled:opacity-60`}
      >
        {adding ? <Spinner /> : <span aria-hidden="true">+</span>}
        {t('days.add')}
      </button>
    </div>
  );
}

function DayCard({
  dayKey,
  day,
  number,
  title,
  handle,
  open,
  onToggle,
  gap,
  focusTitle,
}: {
  dayKey: string;
  day: Day;
  number: number;
  title: string;
  handle: Handle;
  open: boolean;
  onToggle: (open: boolean) => void;
  gap: boolean;
  focusTitle: boolean;
}) {
  const { t } = useTranslation('studio');
  const { session, snapshot } = useEditor();
  const id = useId();
  const items = day.items?.length ?? 0;
  const tasks = day.tasks?.length ?? 0;
  const about = [
    t('days.items', { count: items }),
    t('days.tasks', { count: tasks }),
    day.minutes > 0 && t('minutes', { count: day.minutes }),
  ]
    .filter(Boolean)
    .join(' · ');
  const saved = session.numberOf(dayKey);
  return (
    <article
      id={`day-${dayKey}`}
      aria-labelledby={`${id}-title`}
      className={`rounded-xl border bg-surface ${gap ? 'border-danger/60' : 'border-ink/10'} ${handle.dragging ? 'opacity-90' : ''}`}
    >
      <div className="flex items-center gap-2 p-2 pr-3">
        <DragHandle handle={handle} />
        <h3 id={`${id}-title`} className="min-w-0 flex-1">
          <button
            type="button"
            aria-expanded={open}
            aria-controls={`${id}-body`}
            onClick={() => onToggle(!open)}
            className="flex w-full min-w-0 items-baseline gap-2 rounded-md px-1 py-1 text-left hover:bg-ink/5"
          >
            <span aria-hidden="true" className={`inline-block text-muted transition-transform ${open ? 'rotate-90' : ''}`}>
              ›
            </span>
            <span className="min-w-0">
              <span className="flex items-baseline gap-2">
                <span className="shrink-0 text-sm font-medium text-muted">{t('days.number', { n: number })}</span>
                <span className="truncate font-serif text-lg">{title || t('days.untitled')}</span>
              </span>
              <span className="block text-sm font-normal text-muted">{about}</span>
            </span>
          </button>
        </h3>
        {saved !== undefined && (
          <Link
            to={`/plans/${session.id}/days/${saved}/preview`}
            onClick={() => session.flush()}
            className={smallButton}
            aria-label={t('days.previewDay', { n: number })}
          >
            {t('days.preview')}
          </Link>
        )}
      </div>
      {gap && !open && <p className="px-4 pb-3 text-sm text-danger">{t('submit.emptyDay')}</p>}
      <div id={`${id}-body`} hidden={!open}>
        {open && <DayBody dayKey={dayKey} day={day} number={number} focusTitle={focusTitle} busy={snapshot.busy} />}
      </div>
    </article>
  );
}

function DayBody({ dayKey, day, number, focusTitle, busy }: { dayKey: string; day: Day; number: number; focusTitle: boolean; busy: boolean }) {
  const { t } = useTranslation('studio');
  const { session, locked } = useEditor();
  const errors = { ...session.errors(`day:${dayKey}.title`), ...session.errors(`day:${dayKey}.intro`) };
  const [confirming, setConfirming] = useState(false);
  const [removing, setRemoving] = useState(false);
  const titleId = `day-title-${dayKey}`;

  useEffect(() => {
    if (focusTitle) document.getElementById(titleId)?.querySelector('input')?.focus();
  }, [focusTitle, titleId]);

  const remove = async () => {
    setConfirming(false);
    setRemoving(true);
    try {
      await session.deleteDay(dayKey);
      // The day and its button are gone: focus goes to the list's heading.
      document.getElementById('days-title')?.focus();
    } catch {
      // Said by the editor's message of refused changes.
    } finally {
      setRemoving(false);
    }
  };

  return (
    <div className="space-y-6 border-t border-ink/10 p-4">
      <div id={titleId}>
        <TextField
          label={t('field.dayTitle')}
          name="title"
          value={session.value(`day:${dayKey}.title`, 'title', day.title)}
          onEdit={(v) => session.editDay(dayKey, 'title', v)}
          onCommit={() => session.flush()}
          error={errors.title}
          maxLength={1000}
        />
      </div>
      <MarkdownField
        label={t('field.intro')}
        name="intro"
        value={session.value(`day:${dayKey}.intro`, 'intro', day.intro)}
        onEdit={(v) => session.editDay(dayKey, 'intro', v)}
        onCommit={() => session.flush()}
        error={errors.intro}
        hint={t('days.introHint')}
        rows={4}
      />
      <ItemsEditor dayKey={dayKey} day={day} number={number} />
      <TasksEditor dayKey={dayKey} day={day} number={number} />
      <div className="flex justify-end border-t border-ink/10 pt-4">
        <button
          type="button"
          onClick={() => setConfirming(true)}
          disabled={busy || locked}
          className={`${smallButton} text-danger`}
        >
          {removing && <Spinner />}
          {t('days.remove', { n: number })}
        </button>
      </div>
      <ConfirmDialog
        open={confirming}
        title={t('days.removeTitle', { n: number })}
        confirm={t('days.removeConfirm')}
        danger
        onConfirm={() => void remove()}
        onCancel={() => setConfirming(false)}
        body={t('days.removeBody', { count: (day.items?.length ?? 0) + (day.tasks?.length ?? 0) })}

        cancel={t('cancel')}

      />
    </div>
  );
}

/** A structural change the server refused, put back as it was. */
export function OpError() {
  const { t } = useTranslation('studio');
  const { session, snapshot } = useEditor();
  if (snapshot.opError === undefined) return null;
  return (
    <div role="alert" className="flex items-start gap-3 rounded-xl border border-danger/30 bg-danger/5 px-4 py-3 text-danger">
      <p className="flex-1">{t('opFailed', { problem: problemWords(snapshot.opError, t) })}</p>
      <button type="button" onClick={() => session.dismissOpError()} className="rounded-md px-2 hover:bg-ink/5" aria-label={t('dismiss')}>
        <span aria-hidden="true">×</span>
      </button>
    </div>
  );
}

// A day's readings and recordings: each edited in place, reordered by
// dragging, added with the few fields the server needs first.
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/form';
import { MarkdownEditor } from '../markdown/markdown-editor';
import { MediaPicker } from '../media/media-picker';
import { itemKinds, type Day, type Item, type ItemFields, type ItemKind } from './api';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { useEditor } from './editor-context';
import { MarkdownField, NumberField, SelectField, smallButton, TextField } from './fields';
import { DragHandle, SortableList, type Handle } from './sortable-list';
import { kindChange } from './words';
import { AddFormFrame, useAddForm } from './add-form';

const mediaKinds = ['audio', 'video', 'pdf', 'image'] as const;
type MediaKind = (typeof mediaKinds)[number];
const isMedia = (k: ItemKind): k is MediaKind => (mediaKinds as readonly string[]).includes(k);

export function ItemsEditor({ dayKey, day, number }: { dayKey: string; day: Day; number: number }) {
  const { t } = useTranslation('studio');
  const { session, snapshot, locked } = useEditor();
  const items = session.items(dayKey, day);
  const [open, setOpen] = useState<Set<string>>(new Set());
  const headingId = useId();
  const title = (it: Item) => session.value(`item:${it.id}`, 'title', it.title);
  const toggle = (id: string, o: boolean) =>
    setOpen((s) => {
      const next = new Set(s);
      if (o) next.add(id);
      else next.delete(id);
      return next;
    });

  return (
    <section aria-labelledby={headingId} className="space-y-3">
      <h4 id={headingId} tabIndex={-1} className="font-serif text-lg">
        {t('items.heading')}
      </h4>
      {items.length === 0 ? (
        <p className="text-sm text-muted">{t('items.empty')}</p>
      ) : (
        <SortableList
          ids={items.map((i) => i.id)}
          label={(id) => {
            const it = items.find((x) => x.id === id);
            return it ? `${t(`itemKind.${it.kind}`)} “${title(it)}”` : id;
          }}
          disabled={snapshot.busy || locked}
          onReorder={(ids) => void session.reorderItems(dayKey, ids).catch(() => undefined)}
          className="space-y-2"
        >
          {(id, handle) => {
            const it = items.find((x) => x.id === id);
            return it ? (
              <ItemEditor
                dayKey={dayKey}
                item={it}
                handle={handle}
                open={open.has(id)}
                onToggle={(o) => toggle(id, o)}
                onRemoved={() => document.getElementById(headingId)?.focus()}
              />
            ) : null;
          }}
        </SortableList>
      )}
      <AddItem dayKey={dayKey} number={number} onAdded={(id) => toggle(id, true)} />
    </section>
  );
}

function ItemEditor({
  dayKey,
  item,
  handle,
  open,
  onToggle,
  onRemoved,
}: {
  dayKey: string;
  item: Item;
  handle: Handle;
  open: boolean;
  onToggle: (open: boolean) => void;
  onRemoved: () => void;
}) {
  const { t } = useTranslation('studio');
  const { session, snapshot, locked } = useEditor();
  const id = useId();
  const key = `item:${item.id}`;
  const errors = session.errors(key);
  const v = <V,>(field: keyof Item, saved: V): V => session.value(key, field, saved);
  const edit = (fields: ItemFields) => session.editItem(dayKey, item.id, fields);
  const choose = (fields: ItemFields) => {
    edit(fields);
    session.flush();
  };
  const commit = () => session.flush();
  const kind = v('kind', item.kind);
  const title = v('title', item.title);
  const mediaId = v('media_id', item.media_id ?? '');
  const [confirming, setConfirming] = useState(false);
  const hasErrors = !!errors && Object.keys(errors).length > 0;

  return (
    <div className={`rounded-lg border bg-paper/60 ${hasErrors ? 'border-danger/60' : 'border-ink/10'}`}>
      <div className="flex items-center gap-1 p-1 pr-2">
        <DragHandle handle={handle} />
        <button
          type="button"
          aria-expanded={open}
          aria-controls={`${id}-body`}
          onClick={() => onToggle(!open)}
          className="flex min-w-0 flex-1 items-baseline gap-2 rounded-md px-1 py-1 text-left hover:bg-ink/5"
        >
          <span aria-hidden="true" className={`inline-block text-muted transition-transform ${open ? 'rotate-90' : ''}`}>
            ›
          </span>
          <span className="shrink-0 text-xs font-medium uppercase tracking-wide text-muted">{t(`itemKind.${kind}`)}</span>
          <span className="truncate">{title || t('items.untitled')}</span>
        </button>
        {hasErrors && !open && <span className="text-sm text-danger">{t('items.hasErrors')}</span>}
        <button
          type="button"
          onClick={() => setConfirming(true)}
          disabled={snapshot.busy || locked}
          className={`${smallButton} text-danger`}
          aria-label={t('items.removeNamed', { title })}
        >
          {t('remove')}
        </button>
      </div>
      <div id={`${id}-body`} hidden={!open} className="space-y-4 border-t border-ink/10 p-3">
        {open && (
          <>
            <div className="grid gap-4 sm:grid-cols-[12rem_1fr]">
              <SelectField
                label={t('field.kind')}
                value={kind}
                options={itemKinds.map((k) => ({ value: k, label: t(`itemKind.${k}`) }))}
                onEdit={(k) => choose(kindChange(k as ItemKind))}
                error={errors?.kind}
              />
              <TextField
                label={t('field.title')}
                name="title"
                value={title}
                onEdit={(x) => edit({ title: x })}
                onCommit={commit}
                error={errors?.title}
                maxLength={1000}
              />
            </div>
            {isMedia(kind) && (
              <MediaPicker
                label={t(`items.file.${kind}`)}
                kind={kind}
                value={mediaId || null}
                media={mediaId !== '' && mediaId === item.media_id ? (item.media ?? null) : null}
                onChange={(m) => choose({ media_id: m ?? '' })}
                error={errors?.media_id}
              />
            )}
            {(kind === 'link' || isMedia(kind)) && (
              <TextField
                label={kind === 'link' ? t('field.url') : t('items.urlInstead')}
                name="url"
                type="url"
                value={v('url', item.url ?? '')}
                onEdit={(x) => edit({ url: x })}
                onCommit={commit}
                error={errors?.url}
                hint={kind === 'link' ? undefined : t('items.urlInsteadHint')}
                spellCheck={false}
              />
            )}
            <MarkdownField
              label={kind === 'text' ? t('field.body') : t('items.notes')}
              name="body"
              value={v('body', item.body)}
              onEdit={(x) => edit({ body: x })}
              onCommit={commit}
              error={errors?.body}
              rows={kind === 'text' ? 10 : 3}
            />
            <div className="grid gap-4 sm:grid-cols-[1fr_10rem]">
              <TextField
                label={t('field.citation')}
                name="citation"
                value={v('citation', item.citation ?? '')}
                onEdit={(x) => edit({ citation: x })}
                onCommit={commit}
                error={errors?.citation}
                hint={t('items.citationHint')}
              />
              <NumberField
                label={t('field.minutes')}
                name="minutes"
                value={v('minutes', item.minutes)}
                onEdit={(x) => edit({ minutes: x })}
                onCommit={commit}
                error={errors?.minutes}
                max={600}
              />
            </div>
            <details className="rounded-lg border border-ink/10 p-3" open={!!(errors?.root_text || errors?.root_language || errors?.segment_start || errors?.segment_end) || undefined}>
              <summary className="cursor-pointer text-sm font-medium text-muted">{t('items.more')}</summary>
              <div className="mt-3 space-y-4">
                <MarkdownField
                  label={t('field.root_text')}
                  name="root_text"
                  value={v('root_text', item.root_text ?? '')}
                  onEdit={(x) => edit({ root_text: x })}
                  onCommit={commit}
                  error={errors?.root_text}
                  hint={t('items.rootHint')}
                  rows={4}
                />
                <div className="grid gap-4 sm:grid-cols-3">
                  <TextField
                    label={t('field.root_language')}
                    name="root_language"
                    value={v('root_language', item.root_language ?? '')}
                    onEdit={(x) => edit({ root_language: x })}
                    onCommit={commit}
                    error={errors?.root_language}
                    spellCheck={false}
                  />
                  <TextField
                    label={t('field.segment_start')}
                    name="segment_start"
                    value={v('segment_start', item.segment_start ?? '')}
                    onEdit={(x) => edit({ segment_start: x })}
                    onCommit={commit}
                    error={errors?.segment_start}
                    spellCheck={false}
                  />
                  <TextField
                    label={t('field.segment_end')}
                    name="segment_end"
                    value={v('segment_end', item.segment_end ?? '')}
                    onEdit={(x) => edit({ segment_end: x })}
                    onCommit={commit}
                    error={errors?.segment_end}
                    spellCheck={false}
                  />
                </div>
              </div>
            </details>
            {errors?._ && <p className="text-sm text-danger">{errors._}</p>}
          </>
        )}
      </div>
      <ConfirmDialog
        open={confirming}
        title={t('items.removeTitle')}
        confirm={t('remove')}
        danger
        onConfirm={() => {
          setConfirming(false);
          session.deleteItem(dayKey, item.id).then(onRemoved, () => undefined);
        }}
        onCancel={() => setConfirming(false)}
        body={t('items.removeBody', { title: title || t('items.untitled') })}

        cancel={t('cancel')}

      />
    </div>
  );
}

/** "Add a reading": the kind, a title, and what that kind needs. */
function AddItem({ dayKey, number, onAdded }: { dayKey: string; number: number; onAdded: (id: string) => void }) {
  const { t } = useTranslation('studio');
  const { session, snapshot, locked } = useEditor();
  const [kind, setKind] = useState<ItemKind>('text');
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [url, setUrl] = useState('');
  const [mediaId, setMediaId] = useState<string | null>(null);
  const form = useAddForm(() => {
    setKind('text');
    setTitle('');
    setBody('');
    setUrl('');
    setMediaId(null);
  });
  const { errors } = form;

  const submit = () =>
    void form.run(async () => {
      const fields: ItemFields = { kind, title };
      if (body.trim()) fields.body = body;
      if (kind === 'link' || (isMedia(kind) && url.trim())) fields.url = url;
      if (isMedia(kind) && mediaId) fields.media_id = mediaId;
      const before = new Set((session.getSnapshot().plan.days?.[(session.numberOf(dayKey) ?? 0) - 1]?.items ?? []).map((i) => i.id));
      const plan = await session.addItem(dayKey, fields);
      const added = plan.days?.[(session.numberOf(dayKey) ?? 0) - 1]?.items?.find((i) => !before.has(i.id));
      return added ? () => onAdded(added.id) : undefined;
    });

  return (
    <AddFormFrame
      form={form}
      title={t('items.addTo', { n: number })}
      open={t('items.add')}
      openNamed={t('items.addNamed', { n: number })}
      submit={t('items.addButton')}
      disabled={snapshot.busy || locked}
      onSubmit={submit}
    >
      <div className="grid gap-4 sm:grid-cols-[12rem_1fr]">
        <SelectField
          label={t('field.kind')}
          value={kind}
          options={itemKinds.map((k) => ({ value: k, label: t(`itemKind.${k}`) }))}
          onEdit={(k) => setKind(k as ItemKind)}
          error={errors.kind}
        />
        <Field label={t('field.title')} name="title" value={title} onChange={(e) => setTitle(e.target.value)} error={errors.title} required autoFocus />
      </div>
      {kind === 'text' && (
        <MarkdownEditor label={t('field.body')} name="body" value={body} onChange={setBody} error={errors.body} rows={6} />
      )}
      {kind === 'link' && (
        <Field label={t('field.url')} name="url" type="url" value={url} onChange={(e) => setUrl(e.target.value)} error={errors.url} spellCheck={false} />
      )}
      {isMedia(kind) && (
        <>
          <MediaPicker label={t(`items.file.${kind}`)} kind={kind} value={mediaId} onChange={setMediaId} error={errors.media_id} />
          <Field
            label={t('items.urlInstead')}
            name="url"
            type="url"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            error={errors.url}
            hint={t('items.urlInsteadHint')}
            spellCheck={false}
          />
        </>
      )}
    </AddFormFrame>
  );
}

// A form field for a media file: choose or drop a file, watch it upload
// (with a way to stop), wait while the server processes it, then see it as
// readers will get it. The field's value is the media's id.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { ApiError } from '../../api/problem';
import type { components } from '../../api/schema';
import { buttonStyle } from '../../components/form';
import { Spinner } from '../../components/spinner';
import { problemWords } from '../../lib/problem-words';
import { getMedia, mediaKey, mediaUploadDeps } from './api';
import { formatBytes, percentOf, progressStep } from './format';
import { acceptOf, formatsOf, type MediaKind } from './kinds';
import { MediaPreview } from './media-preview';
import { ProgressBar } from './progress-bar';
import { uploadMedia, type UploadFailure, type UploadState } from './upload';

export type MediaBody = components['schemas']['MediaBody'];
export type { MediaKind };

export interface MediaPickerProps {
  label: string;
  kind: MediaKind;
  /** The chosen media's id, or null for none. */
  value: string | null;
  /** The chosen media as the API gave it with its owner (a plan's cover); fetched when not given. */
  media?: MediaBody | null;
  /** Called with a new media's id once it is uploaded and processed, and with null when removed. */
  onChange: (mediaId: string | null) => void;
  /** The form's error for this field (a server validation error). */
  error?: string;
  hint?: string;
}

interface Uploading {
  name: string;
  state: UploadState;
  cancel: () => void;
}

/** What to tell a person about a failed upload. */
function failureWords(failure: UploadFailure, name: string, kind: MediaKind, t: TFunction): string {
  const wanted = t(`media:kind.${kind}`);
  const formats = formatsOf(kind);
  switch (failure.reason) {
    case 'file': {
      const { check } = failure;
      if (check.reason === 'empty') return t('media:errors.empty', { name });
      if (check.reason === 'kind') return t('media:errors.kind', { name, found: t(`media:kind.${check.found}`), wanted, formats });
      return t('media:errors.type', { found: check.found, wanted, formats });
    }
    case 'processing':
      return failure.media.failure
        ? t('media:errors.processing', { name, reason: failure.media.failure })
        : t('media:errors.processingUnknown', { name });
    case 'request': {
      const { error } = failure;
      // A refused start names each bad field: show them all.
      const details = error instanceof ApiError && error.status < 500 ? (error.problem?.errors ?? []).map((e) => e.message).filter(Boolean) : [];
      const reason = details.length ? details.map((m) => `${m!.charAt(0).toUpperCase()}${m!.slice(1)}.`).join(' ') : problemWords(error, t);
      return t('media:errors.refused', { name, reason });
    }
  }
}

/** A media field: choose, drop, upload with progress, cancel, preview, replace and remove. */
export function MediaPicker({ label, kind, value, media, onChange, error, hint }: MediaPickerProps) {
  const { t, i18n } = useTranslation('media');
  const id = useId();
  const labelId = `${id}-label`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const input = useRef<HTMLInputElement>(null);
  const mainButton = useRef<HTMLButtonElement>(null);
  const queryClient = useQueryClient();
  const [uploading, setUploading] = useState<Uploading | null>(null);
  const [problem, setProblem] = useState<string>();
  const [notice, setNotice] = useState('');
  const [dragging, setDragging] = useState(false);
  const [refocus, setRefocus] = useState(0);
  // The upload whose news counts: a replaced or cancelled one's is ignored.
  const current = useRef<symbol | null>(null);
  const announced = useRef(-1);
  const changed = useRef(onChange);
  useEffect(() => {
    changed.current = onChange;
  });

  // Leaving the page stops an upload under way (and deletes what was sent).
  const cancelUpload = useRef<(() => void) | null>(null);
  useEffect(() => () => cancelUpload.current?.(), []);

  useEffect(() => {
    if (refocus) mainButton.current?.focus();
  }, [refocus]);

  const given = media && media.id === value ? media : undefined;
  const details = useQuery({
    queryKey: mediaKey(value ?? ''),
    queryFn: ({ signal }) => getMedia(value!, signal),
    enabled: !!value && (!given || given.status === 'processing'),
    // Until the server has processed it, look again now and then.
    refetchInterval: (query) => (query.state.data?.status === 'processing' ? 3000 : false),
  });
  const shown = value ? (details.data ?? given) : undefined;

  function start(file: File) {
    cancelUpload.current?.();
    const token = Symbol(file.name);
    current.current = token;
    announced.current = -1;
    setProblem(undefined);
    const name = file.name;
    const upload = uploadMedia(file, kind, mediaUploadDeps, (state) => {
      if (current.current !== token) return;
      switch (state.phase) {
        case 'ready':
          finish();
          queryClient.setQueryData(mediaKey(state.media.id), state.media);
          setNotice(t('picker.ready', { name }));
          changed.current(state.media.id);
          return;
        case 'failed':
          finish();
          setProblem(failureWords(state.failure, name, kind, t));
          return;
        case 'cancelled':
          finish();
          setNotice(t('picker.cancelled'));
          setRefocus((n) => n + 1);
          return;
        case 'starting':
          setNotice(t('picker.starting', { name }));
          break;
        case 'sending': {
          const step = progressStep(percentOf(state.loaded, state.total));
          if (step !== announced.current) {
            announced.current = step;
            setNotice(t('picker.announce', { name, percent: step }));
          }
          break;
        }
        case 'completing':
          setNotice(t('picker.completing', { name }));
          break;
        case 'processing':
          setNotice(t('picker.processing'));
          break;
      }
      setUploading((u) => (u && current.current === token ? { ...u, state } : u));
    });
    function finish() {
      current.current = null;
      cancelUpload.current = null;
      setUploading(null);
    }
    cancelUpload.current = upload.cancel;
    setUploading((u) => (current.current === token ? { name, state: u?.state ?? { phase: 'starting' }, cancel: upload.cancel } : u));
  }

  function choose() {
    input.current?.click();
  }

  function remove() {
    setProblem(undefined);
    setNotice(t('picker.removed', { label }));
    onChange(null);
    setRefocus((n) => n + 1);
  }

  function onDrop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (file && !uploading) start(file);
  }

  const errorText = problem ?? error;
  const described = [hint && hintId, errorText && errorId].filter(Boolean).join(' ') || undefined;

  return (
    <div role="group" aria-labelledby={labelId} aria-describedby={described}>
      <p id={labelId} className="font-medium">
        {label}
      </p>
      {hint && (
        <p id={hintId} className="mt-0.5 text-sm text-muted">
          {hint}
        </p>
      )}
      <div
        onDragOver={(e) => {
          if (uploading || !e.dataTransfer.types.includes('Files')) return;
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
          setDragging(true);
        }}
        onDragLeave={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
        }}
        onDrop={onDrop}
        className={`mt-1.5 rounded-lg border p-4 transition-colors ${
          dragging ? 'border-dashed border-accent bg-accent/5' : errorText ? 'border-danger' : 'border-ink/30'
        } ${!uploading && !value ? 'border-dashed' : ''} bg-surface`}
      >
        {uploading ? (
          <UploadProgress uploading={uploading} kind={kind} language={i18n.language} />
        ) : value ? (
          <div className="space-y-3">
            {shown ? (
              <MediaPreview media={shown} />
            ) : details.isError ? (
              <p className="text-sm text-danger">{t('picker.loadFailed', { reason: problemWords(details.error, t) })}</p>
            ) : (
              <p className="flex items-center gap-2 text-sm text-muted">
                <Spinner />
                {t('picker.loading')}
              </p>
            )}
            <div className="flex flex-wrap gap-2">
              <button
                ref={mainButton}
                type="button"
                onClick={choose}
                aria-label={`${t('picker.replace')}: ${label}`}
                aria-describedby={described}
                className={buttonStyle('quiet')}
              >
                {t('picker.replace')}
              </button>
              <button type="button" onClick={remove} aria-label={`${t('picker.remove')}: ${label}`} className={buttonStyle('quiet')}>
                {t('picker.remove')}
              </button>
            </div>
          </div>
        ) : (
          <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
            <button
              ref={mainButton}
              type="button"
              onClick={choose}
              aria-label={`${t(`picker.choose.${kind}`)}: ${label}`}
              aria-describedby={described}
              className={buttonStyle('quiet')}
            >
              {t(`picker.choose.${kind}`)}
            </button>
            <span className="text-sm text-muted">
              {t('picker.drop')} · {formatsOf(kind)}
            </span>
          </div>
        )}
      </div>
      {errorText && (
        <p id={errorId} role={problem ? 'alert' : undefined} className="mt-1.5 text-sm text-danger">
          {errorText}
        </p>
      )}
      <p aria-live="polite" className="sr-only">
        {notice}
      </p>
      <input
        ref={input}
        type="file"
        hidden
        accept={acceptOf(kind)}
        aria-label={t('picker.inputLabel', { label })}
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          e.currentTarget.value = ''; // the same file may be chosen again
          if (file) start(file);
        }}
      />
    </div>
  );
}

/** An upload under way: its progress in bytes, then the server's checks and processing. */
function UploadProgress({ uploading, kind, language }: { uploading: Uploading; kind: MediaKind; language: string }) {
  const { t } = useTranslation('media');
  const { name, state, cancel } = uploading;
  const progressId = useId();
  const sending = state.phase === 'sending' ? state : null;
  return (
    <div className="space-y-2">
      <p id={progressId} className="text-sm font-medium break-all">
        {t('picker.sending', { name })}
      </p>
      {state.phase === 'starting' || sending ? (
        <>
          <ProgressBar labelledBy={progressId} value={sending?.loaded ?? 0} max={sending?.total ?? 0} />
          <p className="text-sm text-muted tabular-nums">
            {sending
              ? t('picker.progress', {
                  percent: percentOf(sending.loaded, sending.total),
                  loaded: formatBytes(sending.loaded, language),
                  total: formatBytes(sending.total, language),
                })
              : t('picker.starting', { name })}
          </p>
        </>
      ) : (
        <p className="flex items-center gap-2 text-sm text-muted">
          <Spinner />
          {state.phase === 'completing' ? t('picker.completing', { name }) : `${t('picker.processing')} ${t(`picker.processingHint.${kind}`)}`}
        </p>
      )}
      <button type="button" onClick={cancel} className={buttonStyle('quiet')}>
        {t('picker.cancel')}
      </button>
    </div>
  );
}

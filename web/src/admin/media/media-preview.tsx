// An uploaded file as the studio shows it: an image with the sizes made
// for readers, a recording with its length and waveform, a video with its
// size and length, a PDF with a link; and its processing state.
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MediaImage } from '../../components/media-image';
import { Spinner } from '../../components/spinner';
// The reader's waveform, drawn the same way here.
import { Waveform } from '../../features/today/components/waveform';
import { formatBytes, formatDuration } from './format';
import type { MediaBody } from './upload';

/** A processed (or processing) medium with what an author needs to check it. */
export function MediaPreview({ media }: { media: MediaBody }) {
  const { t } = useTranslation('media');
  return (
    <div className="min-w-0 space-y-3">
      {media.status === 'failed' ? (
        <p className="text-danger">{t('preview.failed', { reason: media.failure ?? '' })}</p>
      ) : media.kind === 'image' ? (
        <ImagePreview media={media} />
      ) : media.kind === 'audio' ? (
        <AudioPreview media={media} />
      ) : media.kind === 'video' ? (
        <VideoPreview media={media} />
      ) : (
        <PdfPreview media={media} />
      )}
      {media.status === 'uploading' && <p className="text-sm text-danger">{t('preview.unfinished')}</p>}
      {media.status === 'processing' && (
        <p className="flex items-center gap-2 text-sm text-muted">
          <Spinner />
          {t('picker.processing')} {t(`picker.processingHint.${media.kind}`)}
        </p>
      )}
      {media.status === 'unprocessed' && <p className="text-sm text-muted">{t('preview.unprocessed')}</p>}
    </div>
  );
}

/** The file's name and the facts given, on one line. */
function Facts({ media, facts }: { media: MediaBody; facts: Array<string | false | undefined> }) {
  const { i18n } = useTranslation('media');
  const shown = [...facts, formatBytes(media.size, i18n.language)].filter(Boolean);
  return (
    <p className="text-sm">
      <span className="font-medium break-all">{media.filename}</span>
      <span className="text-muted"> · {shown.join(' · ')}</span>
    </p>
  );
}

/** What people call an image format: "WebP", "JPEG". */
function formatName(contentType: string): string {
  const names: Record<string, string> = { 'image/webp': 'WebP', 'image/jpeg': 'JPEG', 'image/png': 'PNG', 'image/gif': 'GIF' };
  return names[contentType] ?? contentType;
}

function ImagePreview({ media }: { media: MediaBody }) {
  const { t, i18n } = useTranslation('media');
  const widths = [...new Set((media.variants ?? []).map((v) => v.width))].sort((a, b) => a - b);
  return (
    <div className="flex flex-wrap items-start gap-4">
      <div className="w-full max-w-64 overflow-hidden rounded-md border border-ink/10 bg-ink/5">
        <MediaImage media={media} alt={t('preview.imageAlt', { name: media.filename })} sizes="256px" className="block h-auto w-full" />
      </div>
      <div className="min-w-52 flex-1 space-y-2">
        <Facts media={media} facts={[!!media.width && !!media.height && t('preview.dimensions', { width: media.width, height: media.height })]} />
        {media.status === 'ready' &&
          (widths.length ? (
            <div className="text-sm">
              <p className="text-muted">{t('preview.variants')}</p>
              <ul className="mt-1 space-y-0.5">
                {widths.map((width) => (
                  <li key={width}>
                    {t('preview.variant', {
                      width,
                      formats: (media.variants ?? [])
                        .filter((v) => v.width === width)
                        .map((v) => `${formatName(v.content_type)} ${formatBytes(v.size, i18n.language)}`)
                        .join(', '),
                    })}
                  </li>
                ))}
              </ul>
            </div>
          ) : (
            <p className="text-sm text-muted">{t('preview.noVariants')}</p>
          ))}
      </div>
    </div>
  );
}

function AudioPreview({ media }: { media: MediaBody }) {
  const { t } = useTranslation('media');
  const player = useRef<HTMLAudioElement>(null);
  const [played, setPlayed] = useState(0);
  const duration = media.duration_ms ?? 0;
  const peaks = media.peaks ?? [];
  return (
    <div className="space-y-2">
      <Facts
        media={media}
        facts={[
          duration > 0 && t('preview.duration', { time: formatDuration(duration) }),
          !!media.bitrate && t('preview.bitrate', { kbps: Math.round(media.bitrate / 1000) }),
        ]}
      />
      {peaks.length > 0 ? (
        <Waveform
          peaks={peaks}
          played={played}
          onSeek={(fraction) => {
            const audio = player.current;
            if (audio && Number.isFinite(audio.duration)) audio.currentTime = fraction * audio.duration;
          }}
        />
      ) : (
        media.status === 'ready' && <p className="text-sm text-muted">{t('preview.noWaveform')}</p>
      )}
      {media.url && (
        <audio
          ref={player}
          src={media.url}
          controls
          preload="metadata"
          aria-label={t('preview.listen', { name: media.filename })}
          className="w-full"
          onTimeUpdate={(e) => {
            const audio = e.currentTarget;
            setPlayed(Number.isFinite(audio.duration) && audio.duration > 0 ? audio.currentTime / audio.duration : 0);
          }}
        />
      )}
    </div>
  );
}

function VideoPreview({ media }: { media: MediaBody }) {
  const { t } = useTranslation('media');
  return (
    <div className="space-y-2">
      <Facts
        media={media}
        facts={[
          !!media.width && !!media.height && t('preview.dimensions', { width: media.width, height: media.height }),
          !!media.duration_ms && t('preview.duration', { time: formatDuration(media.duration_ms) }),
        ]}
      />
      {media.url && (
        <video
          src={media.url}
          controls
          playsInline
          preload="metadata"
          width={media.width || undefined}
          height={media.height || undefined}
          aria-label={t('preview.watch', { name: media.filename })}
          className="h-auto max-h-72 w-full max-w-lg rounded-md bg-ink/5"
        />
      )}
    </div>
  );
}

function PdfPreview({ media }: { media: MediaBody }) {
  const { t } = useTranslation('media');
  return (
    <div className="space-y-1">
      <Facts media={media} facts={[!!media.pages && t('preview.pages', { count: media.pages })]} />
      {media.url && (
        <a href={media.url} target="_blank" rel="noopener noreferrer" className="text-sm text-accent underline underline-offset-4">
          {t('preview.open')} <span className="sr-only">{t('preview.opensNew')}</span>
        </a>
      )}
    </div>
  );
}

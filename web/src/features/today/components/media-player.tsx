import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { components } from '../../../api/schema';
import { savePosition } from '../api/save-position';
import { useItemPosition } from '../api/use-item-position';
import { createPositionSaver } from '../position-saver';
import { Waveform } from './waveform';

type Media = components['schemas']['MediaBody'];

function clock(ms: number): string {
  const s = Math.floor(ms / 1000);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(s >= 3600 ? 2 : 1, '0');
  const ss = String(s % 60).padStart(2, '0');
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mm}:${ss}` : `${mm}:${ss}`;
}

/**
 * An audio or video item with the browser's own player, resuming where the
 * person stopped on any device, and saving where they are as they listen.
 */
export function MediaPlayer({
  enrollmentId,
  itemId,
  title,
  media,
}: {
  enrollmentId: string;
  itemId: string;
  title: string;
  media: Media & { url: string };
}) {
  const { t } = useTranslation('today');
  const ref = useRef<HTMLAudioElement & HTMLVideoElement>(null);
  const position = useItemPosition(enrollmentId, itemId);
  // Where to resume: known once the server answered (0 if it could not).
  const resumeMs = position.isError ? 0 : position.data?.position_ms;
  const [playedMs, setPlayedMs] = useState(0);
  const [started, setStarted] = useState(false);
  const durationMs = media.duration_ms ?? 0;
  // Where playback starts; a place near the end means it was heard to the end: begin again.
  const startMs = resumeMs && (!durationMs || resumeMs < durationMs - 2000) ? resumeMs : 0;

  useEffect(() => {
    const player = ref.current;
    if (!player || resumeMs === undefined) return;
    const saver = createPositionSaver(resumeMs, {
      // A lost save is made good by the next one: nothing to tell the person.
      save: (at) => void savePosition(enrollmentId, itemId, at).catch(() => undefined),
    });

    const resume = () => {
      if (startMs > 0 && player.paused && player.currentTime === 0) player.currentTime = startMs / 1000;
    };
    if (player.readyState >= HTMLMediaElement.HAVE_METADATA) resume();

    const onPlay = () => {
      setStarted(true);
      saver.play();
    };
    const onTime = () => {
      setPlayedMs(player.currentTime * 1000);
      if (!player.paused) saver.progress(player.currentTime);
    };
    const onPause = () => saver.pause(player.currentTime);
    const onSeeked = () => {
      if (player.paused) saver.pause(player.currentTime);
    };
    const onHidden = () => {
      if (document.visibilityState === 'hidden') saver.leave(player.currentTime);
    };
    const onPageHide = () => saver.leave(player.currentTime);

    player.addEventListener('loadedmetadata', resume);
    player.addEventListener('play', onPlay);
    player.addEventListener('timeupdate', onTime);
    player.addEventListener('pause', onPause);
    player.addEventListener('seeked', onSeeked);
    document.addEventListener('visibilitychange', onHidden);
    window.addEventListener('pagehide', onPageHide);
    return () => {
      player.removeEventListener('loadedmetadata', resume);
      player.removeEventListener('play', onPlay);
      player.removeEventListener('timeupdate', onTime);
      player.removeEventListener('pause', onPause);
      player.removeEventListener('seeked', onSeeked);
      document.removeEventListener('visibilitychange', onHidden);
      window.removeEventListener('pagehide', onPageHide);
      saver.leave(player.currentTime); // leaving the page within the app
    };
  }, [enrollmentId, itemId, resumeMs, startMs]);

  const seek = (fraction: number) => {
    const player = ref.current;
    if (player && Number.isFinite(player.duration)) player.currentTime = fraction * player.duration;
  };

  const common = {
    ref,
    src: media.url,
    controls: true,
    preload: 'metadata' as const,
    'aria-label': title,
    className: 'w-full',
  };

  return (
    <div className="space-y-2">
      {media.kind === 'video' ? (
        <video {...common} playsInline className="w-full rounded-xl bg-ink/5" />
      ) : (
        <>
          {media.peaks && media.peaks.length > 0 && (
            <Waveform peaks={media.peaks} played={durationMs ? playedMs / durationMs : 0} onSeek={seek} />
          )}
          <audio {...common} />
        </>
      )}
      {startMs > 0 && !started && <p className="text-sm text-muted">{t('media.resumes', { time: clock(startMs) })}</p>}
    </div>
  );
}

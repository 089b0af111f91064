// The loudness of a recording drawn as bars, the part heard so far in the
// accent colour. A picture for the eye and a target for the mouse: the
// player's own controls are the way to seek for keyboards and screen readers.

const HEIGHT = 40;
const BARS = 100; // wide enough apart to read as bars on a phone

/** The loudest of each run of peaks, so that there are at most BARS. */
function bars(peaks: number[]): number[] {
  const size = Math.ceil(peaks.length / BARS);
  return Array.from({ length: Math.ceil(peaks.length / size) }, (_, i) => Math.max(...peaks.slice(i * size, (i + 1) * size)));
}

export function Waveform({ peaks: all, played, onSeek }: { peaks: number[]; played: number; onSeek: (fraction: number) => void }) {
  const peaks = bars(all);
  const heard = Math.round(played * peaks.length);
  return (
    <svg
      aria-hidden="true"
      viewBox={`0 0 ${peaks.length} ${HEIGHT}`}
      preserveAspectRatio="none"
      className="h-12 w-full cursor-pointer"
      onClick={(e) => {
        const box = e.currentTarget.getBoundingClientRect();
        onSeek(Math.min(1, Math.max(0, (e.clientX - box.left) / box.width)));
      }}
    >
      {peaks.map((peak, i) => {
        const h = Math.max(2, (peak / 100) * HEIGHT);
        return (
          <rect
            key={i}
            x={i + 0.15}
            y={(HEIGHT - h) / 2}
            width={0.7}
            height={h}
            rx={0.35}
            className={i < heard ? 'fill-accent' : 'fill-ink/20'}
          />
        );
      })}
    </svg>
  );
}

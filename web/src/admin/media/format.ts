// Numbers an upload shows people: sizes, durations, progress, and how
// often to look again while the server processes a file.

const units = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/**
 * A size in bytes for people, in the units the server's messages use
 * (1 MB = 1024 × 1024 bytes): "820 B", "3.4 MB", "1.2 GB", with the
 * locale's decimal mark.
 */
export function formatBytes(bytes: number, locale?: string): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: unit === 0 || value >= 100 ? 0 : 1 }).format(value);
  return `${number} ${units[unit]}`;
}

/** A duration as a clock: "0:42", "12:05", "1:02:03". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** How much of a transfer is done, 0-100, rounded down so 100 means all of it. */
export function percentOf(loaded: number, total: number): number {
  if (total <= 0) return 0;
  return Math.min(100, Math.max(0, Math.floor((loaded / total) * 100)));
}

/**
 * The step of progress worth announcing to a screen reader: every quarter
 * (0, 25, 50, 75, 100), so that a long upload is told without chatter.
 */
export function progressStep(percent: number, step = 25): number {
  return Math.min(100, Math.floor(percent / step) * step);
}

/** How long to wait before asking again whether a file is processed: soon at first, then every few seconds. */
export function pollDelay(attempt: number): number {
  return Math.min(4000, Math.round(500 * 1.5 ** Math.max(0, attempt)));
}

// Where a person stopped in an audio or video item, saved often enough that
// any device resumes there, and seldom enough to stay quiet: every ten
// seconds while it plays, and at once when it pauses or the page goes away.
// The server keeps the later of two saves (by `at`), so a slow request
// never moves the place back.

export interface PositionSave {
  positionMs: number;
  at: Date;
  /** The page is going away: the request must outlive it (fetch keepalive). */
  leaving: boolean;
}

export interface PositionSaverOptions {
  save(position: PositionSave): void;
  /** How often to save while playing. */
  everyMs?: number;
  now?: () => number;
}

export interface PositionSaver {
  /** Playback started: the ten seconds count from here. */
  play(): void;
  /** Playback moved on (timeupdate, a few times a second): saves when ten seconds have passed. */
  progress(seconds: number): void;
  /** Playback paused or ended: saves at once. */
  pause(seconds: number): void;
  /** The page is being left or hidden: saves at once, with a request that outlives the page. */
  leave(seconds: number): void;
}

/** A saver for one item, starting from the place the server had (loadedMs). */
export function createPositionSaver(loadedMs: number, options: PositionSaverOptions): PositionSaver {
  const { save, everyMs = 10_000, now = Date.now } = options;
  let savedMs = loadedMs;
  let savedAt = now();

  const write = (seconds: number, leaving: boolean) => {
    const positionMs = Math.max(0, Math.round(seconds * 1000));
    savedAt = now();
    if (positionMs === savedMs) return; // already there
    savedMs = positionMs;
    save({ positionMs, at: new Date(savedAt), leaving });
  };

  return {
    play() {
      savedAt = now();
    },
    progress(seconds) {
      if (now() - savedAt >= everyMs) write(seconds, false);
    },
    pause(seconds) {
      write(seconds, false);
    },
    leave(seconds) {
      write(seconds, true);
    },
  };
}

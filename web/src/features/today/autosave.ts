// Saving a reflection while it is written: once typing pauses, at once when
// the page is left, and again a little later when a save fails. Each save
// carries the time its words were written, and the server keeps the newest
// words whatever order saves arrive in, so saves never wait for each other.

export type AutosaveStatus = 'unsaved' | 'saving' | 'saved' | 'failed';

export interface AutosaveOptions {
  /** Sends the text, written at `at`; leaving: the request must outlive the page. */
  save(body: string, at: Date, leaving: boolean): Promise<unknown>;
  onStatus(status: AutosaveStatus): void;
  /** How long typing must pause before a save. */
  delayMs?: number;
  /** How long to wait before trying a failed save again. */
  retryMs?: number;
}

export interface Autosave {
  /** The text changed. */
  edit(body: string): void;
  /** Saves what is unsaved now; leaving: the page is going away. */
  flush(leaving?: boolean): Promise<void>;
  /** Stops the timers (the text is saved or given up). */
  dispose(): void;
}

export function createAutosave({ save, onStatus, delayMs = 1500, retryMs = 5000 }: AutosaveOptions): Autosave {
  let draft: { body: string; at: Date } | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const later = (ms: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => void flush(), ms);
  };

  async function flush(leaving = false) {
    clearTimeout(timer);
    const words = draft;
    if (!words) return;
    onStatus('saving');
    try {
      await save(words.body, words.at, leaving);
      if (draft !== words) return; // written again meanwhile: that is saved next
      draft = null;
      onStatus('saved');
    } catch {
      if (draft !== words) return;
      onStatus('failed');
      if (!leaving) later(retryMs);
    }
  }

  return {
    edit(body) {
      draft = { body, at: new Date() };
      onStatus('unsaved');
      later(delayMs);
    },
    flush,
    dispose() {
      clearTimeout(timer);
    },
  };
}

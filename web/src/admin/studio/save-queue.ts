// The studio's save queue: every change to one plan goes through it, one
// write at a time, in the order it was made. Each write names the plan's
// version as the editor last knew it (If-Match), and each answer (the whole
// plan, with its new version) carries the version forward to the next write,
// so that a change someone else saved meanwhile is noticed (409) rather than
// overwritten.
//
// Two kinds of writes:
// - edits: field changes of one thing (the plan's title, an item), sent once
//   typing pauses. Repeated edits of the same thing before it is sent are
//   merged into one write (the later value of a field wins).
// - operations: structural changes (add, remove, reorder, submit), sent at
//   once, each on its own, with a promise of the answer.
//
// Nothing is lost on a flaky network: a write that got no answer (or a 5xx)
// stays at the head of the queue and is tried again after a growing pause;
// a 409 stops the queue and keeps every unsent write until the person
// chooses to reload or to overwrite; a 422 sets the edit aside with its
// field errors, to be sent again (merged) once that thing changes again.
import { ApiError } from '../../api/problem';

/** A change of some fields of one thing; `key` names the thing (and so what is merged). */
export interface Edit<T> {
  kind: 'edit';
  key: string;
  target: T;
  fields: Record<string, unknown>;
}

/** A structural change, sent on its own. */
export interface Op<O> {
  kind: 'op';
  op: O;
}

export type Write<T, O> = Edit<T> | Op<O>;

/** What a failed write means for the queue. */
export type Failure =
  /** No answer, or the server failed: try again later. */
  | { type: 'retry' }
  /** Someone else saved meanwhile (or the thing is gone): stop and ask. */
  | { type: 'conflict' }
  /** The server refused the values: keep them aside with the errors, by field. */
  | { type: 'invalid'; fields: Record<string, string>; message?: string }
  /** The thing the write was for is no longer here: nothing to send. */
  | { type: 'drop' }
  /** Anything else: stop until asked to try again. */
  | { type: 'fail' };

export type SaveStatus =
  /** Everything is saved. */
  | 'saved'
  /** Edits wait for typing to pause. */
  | 'waiting'
  | 'saving'
  /** A write failed; it is tried again at retryAt. */
  | 'retrying'
  /** As retrying, with the browser offline: tried again when it is back. */
  | 'offline'
  /** Stopped by a 409: reload or overwrite. */
  | 'conflict'
  /** Some edits were refused (422): they wait for a change. */
  | 'invalid'
  /** Stopped by another failure: try again. */
  | 'failed';

/** What the queue is doing, for people (an immutable snapshot; a new one on every change). */
export interface QueueState {
  status: SaveStatus;
  /** The version of the plan the next write names. */
  version: number;
  /** Writes not yet saved (sent or not), refused edits included. */
  unsaved: number;
  /** Refused edits waiting for a change. */
  invalid: number;
  /** Consecutive failed attempts of the write at the head. */
  attempt: number;
  /** When the next attempt is made (ms since the epoch), while retrying. */
  retryAt?: number;
  /** The failure that stopped or delays the queue. */
  error?: unknown;
}

export interface SaveQueueOptions<T, O, R> {
  /** The plan's version as loaded. */
  version: number;
  /** Sends a write naming version as If-Match (null: none, to overwrite); answers the plan. */
  send(write: Write<T, O>, version: number | null): Promise<R>;
  /** The version an answer carries. */
  versionOf(answer: R): number;
  /** Called with each saved write and its answer, before the next write goes out. */
  onSaved?(write: Write<T, O>, answer: R): void;
  /** What a failure means; by default from the HTTP status (see classify). */
  classify?(error: unknown): Failure;
  /** Whether the browser is online. */
  isOnline?(): boolean;
  /** How long typing must pause before edits are sent. */
  delayMs?: number;
  /** The pauses before each retry; the last repeats. */
  backoffMs?: readonly number[];
  /** The clock, for retryAt. */
  now?(): number;
}

/** Why an operation's promise was rejected when the person dropped their changes. */
export class DiscardedError extends Error {
  constructor() {
    super('discarded');
    this.name = 'DiscardedError';
  }
}

/** A problem location ("body.author_ids[2]", "body.title") as the field it is about ("author_ids", "title"). */
export function fieldOf(location: string | undefined): string {
  const rest = (location ?? '').replace(/^body\.?/, '');
  return rest.split(/[.[]/)[0] || '_';
}

/** The default reading of failures: by HTTP status, and no answer at all means try again. */
export function classify(error: unknown): Failure {
  if (error instanceof ApiError) {
    if (error.status === 409 || error.status === 404) return { type: 'conflict' };
    if (error.status === 422 || error.status === 400) {
      const fields: Record<string, string> = {};
      for (const e of error.problem?.errors ?? []) {
        const field = fieldOf(e.location);
        if (!e.message || fields[field]) continue;
        fields[field] = `${e.message.charAt(0).toUpperCase()}${e.message.slice(1)}.`;
      }
      return { type: 'invalid', fields, message: error.problem?.detail };
    }
    if (error.status >= 500 || error.status === 408 || error.status === 429) return { type: 'retry' };
    return { type: 'fail' };
  }
  if (error instanceof TypeError) return { type: 'retry' }; // fetch got no answer
  return { type: 'fail' };
}

interface EditEntry<T> extends Edit<T> {
  seq: number;
}

interface OpEntry<O, R> extends Op<O> {
  seq: number;
  resolve(answer: R): void;
  reject(error: unknown): void;
}

type Entry<T, O, R> = EditEntry<T> | OpEntry<O, R>;

interface Refused<T> {
  edit: EditEntry<T>;
  errors: Record<string, string>;
}

export interface SaveQueue<T, O, R> {
  /** A change of fields of the thing named key; sent once typing pauses. */
  edit(key: string, target: T, fields: Record<string, unknown>): void;
  /** A structural change, sent after the writes before it; resolves with the answer. */
  run(op: O): Promise<R>;
  /** Sends waiting edits now (a field lost focus). */
  flush(): void;
  /** The unsaved values of the thing named key (sent, waiting or refused), latest last; undefined when none. */
  unsaved(key: string): Record<string, unknown> | undefined;
  /** The field errors of the refused edit of key. */
  errors(key: string): Record<string, string> | undefined;
  /** Every write not yet saved, oldest first (the refused edits too). */
  writes(): Write<T, O>[];
  /** Whether anything is unsaved. */
  hasUnsaved(): boolean;
  /** After a conflict or a failure: carry on, naming version (null: no If-Match on the next write, to overwrite). */
  resume(version?: number | null): void;
  /** Drops every unsaved write (operations reject with DiscardedError) and starts again at version. */
  discard(version: number): void;
  /** Takes a version learnt elsewhere (the plan loaded afresh) when nothing is unsaved. */
  adopt(version: number): boolean;
  /** Drops waiting and refused edits that match (their thing is being removed). */
  forget(match: (edit: Edit<T>) => boolean): void;
  /** The browser is back online: try at once. */
  online(): void;
  getState(): QueueState;
  subscribe(listener: () => void): () => void;
  /** Stops the timers. */
  dispose(): void;
}

const defaultBackoff = [1000, 2000, 4000, 8000, 15000, 30000] as const;

export function createSaveQueue<T, O, R>(options: SaveQueueOptions<T, O, R>): SaveQueue<T, O, R> {
  const {
    send,
    versionOf,
    onSaved,
    classify: classifyError = classify,
    isOnline = () => true,
    delayMs = 800,
    backoffMs = defaultBackoff,
    now = () => Date.now(),
  } = options;

  let version: number | null = options.version;
  let entries: Entry<T, O, R>[] = [];
  const refused = new Map<string, Refused<T>>();
  let inFlight: Entry<T, O, R> | null = null;
  let seq = 0;
  let stopped: 'conflict' | 'failed' | null = null;
  let attempt = 0;
  let retryAt: number | undefined;
  let lastError: unknown;
  let debounce: ReturnType<typeof setTimeout> | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  // Send everything now, without waiting for typing to pause (a flush, an operation).
  let urgent = false;
  let disposed = false;

  const listeners = new Set<() => void>();
  let state: QueueState = snapshot();

  function snapshot(): QueueState {
    const unsaved = entries.length + refused.size;
    let status: SaveStatus;
    if (stopped) status = stopped;
    else if (retryTimer !== undefined) status = isOnline() ? 'retrying' : 'offline';
    else if (inFlight) status = 'saving';
    else if (entries.length) status = 'waiting';
    else if (refused.size) status = 'invalid';
    else status = 'saved';
    return {
      status,
      version: version ?? 0,
      unsaved,
      invalid: refused.size,
      attempt,
      retryAt: retryTimer !== undefined ? retryAt : undefined,
      error: status === 'saved' || status === 'waiting' || status === 'saving' ? undefined : lastError,
    };
  }

  function changed() {
    state = snapshot();
    for (const l of listeners) l();
  }

  function scheduleDebounce() {
    clearTimeout(debounce);
    debounce = setTimeout(() => {
      debounce = undefined;
      pump();
    }, delayMs);
  }

  function clearRetry() {
    clearTimeout(retryTimer);
    retryTimer = undefined;
    retryAt = undefined;
  }

  function pump() {
    if (disposed || inFlight || stopped || retryTimer !== undefined) return;
    const head = entries[0];
    if (!head) {
      urgent = false;
      changed();
      return;
    }
    inFlight = head;
    changed();
    const sentWith = version;
    let promise: Promise<R>;
    try {
      promise = send(head.kind === 'edit' ? { kind: 'edit', key: head.key, target: head.target, fields: head.fields } : { kind: 'op', op: head.op }, sentWith);
    } catch (error) {
      promise = Promise.reject(error);
    }
    promise.then(
      (answer) => {
        if (inFlight !== head) return; // discarded meanwhile
        inFlight = null;
        entries = entries.filter((e) => e !== head);
        version = versionOf(answer);
        attempt = 0;
        lastError = undefined;
        onSaved?.(head.kind === 'edit' ? { kind: 'edit', key: head.key, target: head.target, fields: head.fields } : { kind: 'op', op: head.op }, answer);
        if (head.kind === 'op') head.resolve(answer);
        next();
      },
      (error: unknown) => {
        if (inFlight !== head) return;
        inFlight = null;
        lastError = error;
        const failure = classifyError(error);
        switch (failure.type) {
          case 'retry': {
            const pause = backoffMs[Math.min(attempt, backoffMs.length - 1)] ?? 1000;
            attempt++;
            retryAt = now() + pause;
            retryTimer = setTimeout(() => {
              retryTimer = undefined;
              retryAt = undefined;
              pump();
            }, pause);
            changed();
            return;
          }
          case 'conflict':
            stopped = 'conflict';
            changed();
            return;
          case 'fail':
            if (head.kind === 'op') {
              // An operation that cannot be done is told to whoever asked; the rest goes on.
              entries = entries.filter((e) => e !== head);
              head.reject(error);
              next();
              return;
            }
            stopped = 'failed';
            changed();
            return;
          case 'drop':
            entries = entries.filter((e) => e !== head);
            if (head.kind === 'op') head.reject(error);
            next();
            return;
          case 'invalid':
            entries = entries.filter((e) => e !== head);
            attempt = 0;
            if (head.kind === 'op') {
              head.reject(error);
            } else {
              // Changed again meanwhile: those values go out with the newer ones.
              const later = entries.find((e): e is EditEntry<T> => e.kind === 'edit' && e.key === head.key);
              if (later) later.fields = { ...head.fields, ...later.fields };
              else refused.set(head.key, { edit: head, errors: failure.fields });
            }
            next();
            return;
        }
      },
    );
  }

  // After an answer: on to the next write, unless typing has not paused yet.
  function next() {
    if (!entries.length) urgent = false;
    if (urgent || debounce === undefined || entries.some((e) => e.kind === 'op')) pump();
    else changed();
  }

  return {
    edit(key, target, fields) {
      const set = refused.get(key);
      if (set) refused.delete(key);
      const merged = set ? { ...set.edit.fields, ...fields } : fields;
      const waiting = entries.find((e): e is EditEntry<T> => e.kind === 'edit' && e.key === key && e !== inFlight);
      if (waiting) {
        waiting.fields = { ...waiting.fields, ...merged };
        waiting.target = target;
      } else {
        entries.push({ kind: 'edit', key, target, fields: merged, seq: ++seq });
      }
      scheduleDebounce();
      changed();
    },

    run(op) {
      return new Promise<R>((resolve, reject) => {
        entries.push({ kind: 'op', op, seq: ++seq, resolve, reject });
        urgent = true;
        pump();
        changed();
      });
    },

    flush() {
      clearTimeout(debounce);
      debounce = undefined;
      if (entries.length) urgent = true;
      pump();
    },

    unsaved(key) {
      let fields: Record<string, unknown> | undefined;
      const add = (f: Record<string, unknown>) => (fields = { ...fields, ...f });
      if (inFlight?.kind === 'edit' && inFlight.key === key) add(inFlight.fields);
      const set = refused.get(key);
      if (set) add(set.edit.fields);
      for (const e of entries) if (e.kind === 'edit' && e.key === key && e !== inFlight) add(e.fields);
      return fields;
    },

    errors(key) {
      return refused.get(key)?.errors;
    },

    writes() {
      const all: Entry<T, O, R>[] = [...entries, ...Array.from(refused.values(), (r) => r.edit)];
      return all
        .sort((a, b) => a.seq - b.seq)
        .map((e) => (e.kind === 'edit' ? { kind: 'edit', key: e.key, target: e.target, fields: e.fields } : { kind: 'op', op: e.op }));
    },

    hasUnsaved() {
      return entries.length > 0 || refused.size > 0;
    },

    resume(v) {
      if (v !== undefined) version = v;
      stopped = null;
      attempt = 0;
      clearRetry();
      urgent = true;
      pump();
      changed();
    },

    discard(v) {
      clearTimeout(debounce);
      debounce = undefined;
      clearRetry();
      const ops = entries.filter((e): e is OpEntry<O, R> => e.kind === 'op');
      entries = [];
      refused.clear();
      inFlight = null;
      stopped = null;
      attempt = 0;
      lastError = undefined;
      urgent = false;
      version = v;
      for (const o of ops) o.reject(new DiscardedError());
      changed();
    },

    adopt(v) {
      if (entries.length || refused.size || inFlight || stopped) return false;
      if (version === v) return true;
      version = v;
      changed();
      return true;
    },

    forget(match) {
      entries = entries.filter((e) => e === inFlight || e.kind === 'op' || !match(e));
      for (const [key, r] of refused) if (match(r.edit)) refused.delete(key);
      changed();
    },

    online() {
      if (retryTimer === undefined) return;
      clearRetry();
      pump();
      changed();
    },

    getState: () => state,

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    dispose() {
      disposed = true;
      clearTimeout(debounce);
      clearRetry();
      listeners.clear();
    },
  };
}

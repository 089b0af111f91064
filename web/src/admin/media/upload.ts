// One media upload from start to a processed file, as plain TypeScript so
// that tests can drive it: check the file, declare it to the server
// (POST /v1/media/uploads, which refuses a file over the limit or the
// person's quota before a byte is sent), send the bytes where the server
// says with progress, complete it, then ask until processing has ended.
// Cancelling stops whatever is under way and deletes the unfinished media.
import type { components } from '../../api/schema';
import { checkFile, type FileCheck, type MediaKind } from './kinds';
import { pollDelay } from './format';
import { abortError, isAbort } from './xhr';

export type MediaBody = components['schemas']['MediaBody'];
export type UploadTarget = components['schemas']['UploadTarget'];
type StartBody = components['schemas']['UploadInputBody'];
type StartAnswer = components['schemas']['UploadOutputBody'];

/** Where an upload is. */
export type UploadState =
  | { phase: 'starting' }
  | { phase: 'sending'; loaded: number; total: number }
  | { phase: 'completing' }
  | { phase: 'processing'; media: MediaBody }
  | { phase: 'ready'; media: MediaBody }
  | { phase: 'failed'; failure: UploadFailure }
  | { phase: 'cancelled' };

/** Why an upload failed. */
export type UploadFailure =
  /** Refused here, before asking the server: the wrong kind of file, or an empty one. */
  | { reason: 'file'; check: Exclude<FileCheck, { ok: true }> }
  /** The server refused a step (a file over the limit at start, bytes that are not what was declared at complete) or could not be reached. */
  | { reason: 'request'; error: unknown }
  /** The file arrived but could not be processed; media.failure says why. */
  | { reason: 'processing'; media: MediaBody };

/** What an upload needs of the world; the picker gives the API, tests give fakes. */
export interface UploadDeps {
  start(body: StartBody, signal: AbortSignal): Promise<StartAnswer>;
  send(target: UploadTarget, file: Blob, onProgress: (loaded: number, total: number) => void, signal: AbortSignal): Promise<void>;
  complete(id: string, signal: AbortSignal): Promise<MediaBody>;
  get(id: string, signal: AbortSignal): Promise<MediaBody>;
  remove(id: string): Promise<void>;
  wait(ms: number, signal: AbortSignal): Promise<void>;
}

export interface Upload {
  /** Stops the upload and deletes what the server holds of it; nothing once it is over. */
  cancel(): void;
  /** The state it ended in: ready, failed or cancelled. */
  readonly done: Promise<UploadState>;
}

/** Processing is over: ready, failed, or served as uploaded (a video this server cannot read). */
export function processed(media: MediaBody): boolean {
  return media.status === 'ready' || media.status === 'failed' || media.status === 'unprocessed';
}

/** How many failed looks in a row end the wait for processing (a server restarting is not a failed upload). */
const pollErrors = 3;

/** Starts uploading file as media of kind, telling onState each step. */
export function uploadMedia(file: Blob & { name: string }, kind: MediaKind, deps: UploadDeps, onState: (state: UploadState) => void): Upload {
  const controller = new AbortController();
  const signal = controller.signal;
  let mediaId: string | undefined;
  let over = false;

  const report = (state: UploadState) => {
    if (!signal.aborted || state.phase === 'cancelled') onState(state);
  };
  const forget = () => {
    if (mediaId) void deps.remove(mediaId).catch(() => undefined);
  };
  const checkAborted = () => {
    if (signal.aborted) throw abortError();
  };

  async function run(): Promise<UploadState> {
    const check = checkFile(file, kind);
    if (!check.ok) return { phase: 'failed', failure: { reason: 'file', check } };

    report({ phase: 'starting' });
    const { media: started, upload } = await deps.start({ filename: file.name, content_type: check.contentType, size: file.size }, signal);
    mediaId = started.id;
    checkAborted();

    report({ phase: 'sending', loaded: 0, total: file.size });
    await deps.send(upload, file, (loaded, total) => report({ phase: 'sending', loaded, total }), signal);
    checkAborted();

    report({ phase: 'completing' });
    let media = await deps.complete(started.id, signal);
    checkAborted();

    for (let attempt = 0, errors = 0; !processed(media); attempt++) {
      report({ phase: 'processing', media });
      await deps.wait(pollDelay(attempt), signal);
      try {
        media = await deps.get(started.id, signal);
        errors = 0;
      } catch (error) {
        if (isAbort(error) || ++errors >= pollErrors) throw error;
      }
      checkAborted();
    }
    if (media.status === 'failed') {
      forget();
      return { phase: 'failed', failure: { reason: 'processing', media } };
    }
    return { phase: 'ready', media };
  }

  const done = run().then(
    (state) => state,
    (error: unknown): UploadState => {
      forget();
      return signal.aborted || isAbort(error) ? { phase: 'cancelled' } : { phase: 'failed', failure: { reason: 'request', error } };
    },
  );
  void done.then((state) => {
    over = true;
    onState(state);
  });

  return {
    cancel() {
      if (over || signal.aborted) return;
      controller.abort();
    },
    done,
  };
}

/** Waits ms, or rejects with an AbortError as soon as signal stops. */
export function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(abortError());
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', stop);
      resolve();
    }, ms);
    const stop = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    signal.addEventListener('abort', stop, { once: true });
  });
}

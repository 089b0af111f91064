// Sending a file with XMLHttpRequest, the one browser API that reports how
// much of a request body has gone (fetch does not yet), with an
// AbortSignal to stop it. Used for media uploads and plan folder imports.
import { ApiError } from '../../api/problem';

/** The part of XMLHttpRequest this uses; tests give a fake. */
export interface XhrLike {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  send(body: Blob): void;
  abort(): void;
  getResponseHeader(name: string): string | null;
  readonly status: number;
  readonly responseText: string;
  upload: { onprogress: ((event: { loaded: number; total: number; lengthComputable: boolean }) => void) | null };
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
  ontimeout: (() => void) | null;
}

export interface SendOptions {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body: Blob;
  /** Called as the body goes out, with bytes sent and bytes in all. */
  onProgress?: (loaded: number, total: number) => void;
  signal?: AbortSignal;
  /** Makes the request; tests give a fake. */
  xhr?: () => XhrLike;
}

/** An answer of any status, its body read as JSON when it is JSON. */
export interface XhrAnswer {
  status: number;
  body: unknown;
  header(name: string): string | null;
}

// Headers the browser sets itself and refuses from scripts.
const forbidden = new Set(['content-length', 'host', 'connection', 'accept-encoding', 'expect']);

/** The error a stopped transfer rejects with, as fetch does: a DOMException named AbortError. */
export function abortError(): Error {
  return new DOMException('The transfer was stopped.', 'AbortError');
}

/** Whether error is the one a stopped transfer (or wait) rejects with. */
export function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/**
 * Sends body and resolves with the answer, whatever its status. Rejects
 * with an AbortError when signal stops it, and with a TypeError (as fetch
 * does) when no answer came back.
 */
export function xhrSend({ method, url, headers = {}, body, onProgress, signal, xhr = () => new XMLHttpRequest() as unknown as XhrLike }: SendOptions): Promise<XhrAnswer> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError());
      return;
    }
    const request = xhr();
    const stop = () => request.abort();
    const settle = () => signal?.removeEventListener('abort', stop);
    request.open(method, url);
    for (const [name, value] of Object.entries(headers)) {
      if (!forbidden.has(name.toLowerCase())) request.setRequestHeader(name, value);
    }
    request.upload.onprogress = (event) => onProgress?.(event.loaded, event.lengthComputable ? event.total : body.size);
    request.onload = () => {
      settle();
      onProgress?.(body.size, body.size);
      resolve({ status: request.status, body: parseBody(request), header: (name) => request.getResponseHeader(name) });
    };
    request.onerror = () => {
      settle();
      reject(new TypeError('The server could not be reached.'));
    };
    request.ontimeout = request.onerror;
    request.onabort = () => {
      settle();
      reject(abortError());
    };
    signal?.addEventListener('abort', stop, { once: true });
    onProgress?.(0, body.size);
    request.send(body);
  });
}

function parseBody(request: XhrLike): unknown {
  const text = request.responseText;
  if (!text) return undefined;
  if (/json/i.test(request.getResponseHeader('Content-Type') ?? '')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/** The answer's body when it succeeded; an ApiError with its problem otherwise. */
export function bodyOf<T>(answer: XhrAnswer): T {
  if (answer.status < 200 || answer.status >= 300) throw new ApiError(answer.status, answer.body);
  return answer.body as T;
}

/** Whether url is on this page's origin (the API server itself, not a bucket). */
export function sameOrigin(url: string): boolean {
  if (typeof location === 'undefined') return false;
  try {
    return new URL(url, location.href).origin === location.origin;
  } catch {
    return false;
  }
}

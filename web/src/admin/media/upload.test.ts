import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/problem';
import { abortError } from './xhr';
import { uploadMedia, wait, type MediaBody, type UploadDeps, type UploadState } from './upload';

function media(status: MediaBody['status'], extra: Partial<MediaBody> = {}): MediaBody {
  return {
    id: 'm1',
    kind: 'image',
    filename: 'cover.png',
    content_type: 'image/png',
    size: 1000,
    status,
    public: false,
    variants: [],
    created_at: '2025-01-01T00:00:00Z',
    ...extra,
  };
}

function file(name = 'cover.png', type = 'image/png', size = 1000): Blob & { name: string } {
  return Object.assign(new Blob([new Uint8Array(size)], { type }), { name });
}

const target = { method: 'PUT', url: '/v1/media/uploads/m1/content?token=t', headers: { 'Content-Type': 'image/png' }, expires_at: '' };

/** Deps that succeed, processing ending after `polls` looks. */
function fakes(polls = 1, end: MediaBody['status'] = 'ready'): UploadDeps & { [K in keyof UploadDeps]: ReturnType<typeof vi.fn> } {
  let looks = 0;
  return {
    start: vi.fn(async () => ({ media: media('uploading'), upload: target })),
    send: vi.fn(async (_t, body: Blob, onProgress: (l: number, t: number) => void) => {
      onProgress(0, body.size);
      onProgress(body.size / 2, body.size);
      onProgress(body.size, body.size);
    }),
    complete: vi.fn(async () => media('processing')),
    get: vi.fn(async () => (++looks >= polls ? media(end, { failure: end === 'failed' ? 'the image is damaged' : undefined }) : media('processing'))),
    remove: vi.fn(async () => undefined),
    wait: vi.fn(async () => undefined),
  } as never;
}

async function run(deps: UploadDeps, f = file(), kind: 'image' | 'audio' | 'video' | 'pdf' = 'image') {
  const states: UploadState[] = [];
  const upload = uploadMedia(f, kind, deps, (s) => states.push(s));
  const end = await upload.done;
  await Promise.resolve();
  return { states, end, upload };
}

describe('uploadMedia', () => {
  it('declares the file, sends its bytes with progress, completes, and waits until it is processed', async () => {
    const deps = fakes(2);
    const { states, end } = await run(deps);
    expect(deps.start).toHaveBeenCalledWith({ filename: 'cover.png', content_type: 'image/png', size: 1000 }, expect.any(AbortSignal));
    expect(deps.send.mock.calls[0]![0]).toBe(target);
    expect(states.map((s) => s.phase)).toEqual([
      'starting',
      'sending',
      'sending',
      'sending',
      'sending',
      'completing',
      'processing',
      'processing',
      'ready',
    ]);
    expect(states.filter((s) => s.phase === 'sending').map((s) => (s.phase === 'sending' ? s.loaded : -1))).toEqual([0, 0, 500, 1000]);
    expect(deps.get).toHaveBeenCalledTimes(2);
    expect(end).toMatchObject({ phase: 'ready', media: { status: 'ready' } });
    expect(deps.remove).not.toHaveBeenCalled();
  });

  it('sends no byte when the server refuses the file at the start (over the limit)', async () => {
    const deps = fakes();
    const tooLarge = new ApiError(413, { status: 413, title: 'Request Entity Too Large', type: 'about:blank', detail: 'an image file may have at most 20 MB; this one has 30 MB' });
    deps.start.mockRejectedValueOnce(tooLarge);
    const { states, end } = await run(deps);
    expect(deps.send).not.toHaveBeenCalled();
    expect(deps.complete).not.toHaveBeenCalled();
    expect(deps.remove).not.toHaveBeenCalled();
    expect(states.map((s) => s.phase)).toEqual(['starting', 'failed']);
    expect(end).toEqual({ phase: 'failed', failure: { reason: 'request', error: tooLarge } });
  });

  it('refuses a file of another kind before asking the server', async () => {
    const deps = fakes();
    const { end } = await run(deps, file('talk.pdf', 'application/pdf'));
    expect(deps.start).not.toHaveBeenCalled();
    expect(end).toEqual({ phase: 'failed', failure: { reason: 'file', check: { ok: false, reason: 'kind', found: 'pdf' } } });
  });

  it('stops sending when cancelled, and deletes the unfinished upload', async () => {
    const deps = fakes();
    let progressed!: () => void;
    const halfway = new Promise<void>((r) => (progressed = r));
    deps.send.mockImplementationOnce(
      (_t: unknown, body: Blob, onProgress: (l: number, t: number) => void, signal: AbortSignal) =>
        new Promise((_resolve, reject) => {
          onProgress(body.size / 4, body.size);
          progressed();
          signal.addEventListener('abort', () => reject(abortError()));
        }),
    );
    const states: UploadState[] = [];
    const upload = uploadMedia(file(), 'image', deps, (s) => states.push(s));
    await halfway;
    upload.cancel();
    expect(await upload.done).toEqual({ phase: 'cancelled' });
    await Promise.resolve();
    expect(deps.remove).toHaveBeenCalledWith('m1');
    expect(deps.complete).not.toHaveBeenCalled();
    expect(states.at(-1)).toEqual({ phase: 'cancelled' });
    expect(states.some((s) => s.phase === 'sending' && s.loaded === 250)).toBe(true);
  });

  it('deletes an upload cancelled while the server was still answering the start', async () => {
    const deps = fakes();
    let answer!: () => void;
    deps.start.mockImplementationOnce(() => new Promise((r) => (answer = () => r({ media: media('uploading'), upload: target }))));
    const upload = uploadMedia(file(), 'image', deps, () => undefined);
    upload.cancel();
    answer();
    expect(await upload.done).toEqual({ phase: 'cancelled' });
    expect(deps.send).not.toHaveBeenCalled();
    expect(deps.remove).toHaveBeenCalledWith('m1');
  });

  it('ends the wait when processing fails, with the reason, and deletes the failed media', async () => {
    const deps = fakes(3, 'failed');
    const { end, states } = await run(deps);
    expect(deps.get).toHaveBeenCalledTimes(3);
    expect(end).toMatchObject({ phase: 'failed', failure: { reason: 'processing', media: { status: 'failed', failure: 'the image is damaged' } } });
    expect(states.filter((s) => s.phase === 'processing')).toHaveLength(3);
    expect(deps.remove).toHaveBeenCalledWith('m1');
  });

  it('takes a video this server cannot read (unprocessed) as ready', async () => {
    const deps = fakes(1, 'unprocessed');
    const { end } = await run(deps, file('walk.mp4', 'video/mp4'), 'video');
    expect(end).toMatchObject({ phase: 'ready', media: { status: 'unprocessed' } });
  });

  it('does not poll when complete answers an already processed file', async () => {
    const deps = fakes();
    deps.complete.mockResolvedValueOnce(media('ready'));
    const { end } = await run(deps);
    expect(deps.get).not.toHaveBeenCalled();
    expect(end.phase).toBe('ready');
  });

  it('reports the server refusing the bytes at complete (not what was declared) and cleans up', async () => {
    const deps = fakes();
    const refused = new ApiError(422, { status: 422, title: 'Unprocessable Entity', type: 'about:blank', detail: 'the file was declared as image/png, but its bytes are text/html' });
    deps.complete.mockRejectedValueOnce(refused);
    const { end } = await run(deps);
    expect(end).toEqual({ phase: 'failed', failure: { reason: 'request', error: refused } });
    expect(deps.remove).toHaveBeenCalledWith('m1');
  });

  it('keeps waiting through a failed look, but gives up after three in a row', async () => {
    const flaky = fakes(2);
    flaky.get.mockRejectedValueOnce(new TypeError('offline'));
    expect((await run(flaky)).end.phase).toBe('ready');

    const down = fakes();
    down.get.mockRejectedValue(new TypeError('offline'));
    const { end } = await run(down);
    expect(down.get).toHaveBeenCalledTimes(3);
    expect(end).toMatchObject({ phase: 'failed', failure: { reason: 'request' } });
  });

  it('does nothing when cancelled after it is over', async () => {
    const deps = fakes();
    const { upload, states } = await run(deps);
    upload.cancel();
    await Promise.resolve();
    expect(states.at(-1)!.phase).toBe('ready');
    expect(deps.remove).not.toHaveBeenCalled();
  });
});

describe('wait', () => {
  it('resolves after the delay, and rejects at once when stopped', async () => {
    vi.useFakeTimers();
    try {
      const done = vi.fn();
      void wait(1000, new AbortController().signal).then(done);
      await vi.advanceTimersByTimeAsync(999);
      expect(done).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(1);
      expect(done).toHaveBeenCalled();

      const controller = new AbortController();
      const stopped = wait(1000, controller.signal);
      controller.abort();
      await expect(stopped).rejects.toMatchObject({ name: 'AbortError' });
    } finally {
      vi.useRealTimers();
    }
  });
});

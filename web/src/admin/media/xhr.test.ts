import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/problem';
import { FakeXhr } from './fake-xhr';
import { bodyOf, xhrSend } from './xhr';

const body = new Blob([new Uint8Array(100)]);

describe('xhrSend', () => {
  it('sends the body with the given headers (not those the browser sets) and reports progress', async () => {
    const fake = new FakeXhr();
    const progress: Array<[number, number]> = [];
    const sent = xhrSend({
      method: 'PUT',
      url: '/v1/media/uploads/m1/content?token=t',
      headers: { 'Content-Type': 'image/png', 'Content-Length': '100' },
      body,
      onProgress: (l, t) => progress.push([l, t]),
      xhr: () => fake,
    });
    expect(fake.method).toBe('PUT');
    expect(fake.headers).toEqual({ 'Content-Type': 'image/png' });
    expect(fake.sent).toBe(body);
    fake.progress(40, 100);
    fake.answer(204);
    const answer = await sent;
    expect(answer.status).toBe(204);
    expect(progress).toEqual([
      [0, 100],
      [40, 100],
      [100, 100],
    ]);
  });

  it('reads a problem document, which bodyOf turns into an ApiError', async () => {
    const fake = new FakeXhr();
    const sent = xhrSend({ method: 'POST', url: '/x', body, xhr: () => fake });
    fake.answer(413, JSON.stringify({ status: 413, title: 'Request Entity Too Large', detail: 'too large' }), 'application/problem+json');
    const answer = await sent;
    expect(() => bodyOf(answer)).toThrow(ApiError);
    try {
      bodyOf(answer);
    } catch (error) {
      expect((error as ApiError).status).toBe(413);
      expect((error as ApiError).problem?.detail).toBe('too large');
    }
  });

  it('gives the JSON of a success', async () => {
    const fake = new FakeXhr();
    const sent = xhrSend({ method: 'POST', url: '/x', body, xhr: () => fake });
    fake.answer(201, '{"id":"p1"}', 'application/json');
    expect(bodyOf(await sent)).toEqual({ id: 'p1' });
  });

  it('stops the request when the signal aborts, rejecting with an AbortError', async () => {
    const fake = new FakeXhr();
    const controller = new AbortController();
    const sent = xhrSend({ method: 'PUT', url: '/x', body, signal: controller.signal, xhr: () => fake });
    controller.abort();
    await expect(sent).rejects.toMatchObject({ name: 'AbortError' });
    expect(fake.aborted).toBe(true);
  });

  it('sends nothing when already aborted', async () => {
    const fake = new FakeXhr();
    const controller = new AbortController();
    controller.abort();
    await expect(xhrSend({ method: 'PUT', url: '/x', body, signal: controller.signal, xhr: () => fake })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(fake.sent).toBeUndefined();
  });

  it('rejects with a TypeError, as fetch does, when no answer comes back', async () => {
    const fake = new FakeXhr();
    const sent = xhrSend({ method: 'PUT', url: '/x', body, xhr: () => fake });
    fake.onerror?.();
    await expect(sent).rejects.toBeInstanceOf(TypeError);
  });
});

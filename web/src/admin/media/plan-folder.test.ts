import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/problem';
import { setAccessToken } from '../../api/client';
import { FakeXhr } from './fake-xhr';
import { checkZip, exportPlanFolder, importPlanFolder, importProblems, planZipLimit, zipName } from './plan-folder';

const zip = new Blob([new Uint8Array(64)], { type: 'application/zip' });
const plan = { id: 'p1', slug: 'metta', title: 'Mettā' };

describe('checkZip', () => {
  it('takes a zip up to the import limit, and nothing else', () => {
    expect(checkZip({ name: 'metta.zip', type: 'application/zip', size: 10 })).toBeNull();
    expect(checkZip({ name: 'metta.ZIP', type: '', size: 10 })).toBeNull();
    expect(checkZip({ name: 'plan.yaml', type: 'application/yaml', size: 10 })).toBe('not-zip');
    expect(checkZip({ name: 'big.zip', type: 'application/zip', size: planZipLimit + 1 })).toBe('too-large');
  });
});

describe('importPlanFolder', () => {
  it('posts the zip with the bearer token and answers the new plan', async () => {
    setAccessToken('tok');
    const fake = new FakeXhr();
    const progress: number[] = [];
    const done = importPlanFolder(zip, { xhr: () => fake, onProgress: (l) => progress.push(l) });
    expect(fake.method).toBe('POST');
    expect(fake.url).toBe('/v1/studio/plans/import');
    expect(fake.headers).toMatchObject({ 'Content-Type': 'application/zip', Authorization: 'Bearer tok' });
    fake.progress(32, 64);
    fake.answer(201, JSON.stringify(plan), 'application/json');
    expect(await done).toEqual(plan);
    expect(progress).toEqual([0, 32, 64]);
    setAccessToken(null);
  });

  it('renews an expired token once and sends again', async () => {
    setAccessToken('old');
    const sent: FakeXhr[] = [];
    const renew = vi.fn(async () => setAccessToken('new'));
    const done = importPlanFolder(zip, {
      renew,
      xhr: () => {
        const fake = new FakeXhr();
        sent.push(fake);
        return fake;
      },
    });
    sent[0]!.responseHeaders['www-authenticate'] = 'Bearer error="invalid_token"';
    sent[0]!.answer(401, '{"status":401,"title":"Unauthorized"}', 'application/problem+json');
    await vi.waitFor(() => expect(sent).toHaveLength(2));
    expect(sent[1]!.headers.Authorization).toBe('Bearer new');
    sent[1]!.answer(201, JSON.stringify(plan), 'application/json');
    expect(await done).toEqual(plan);
    expect(renew).toHaveBeenCalledTimes(1);
    setAccessToken(null);
  });

  it('rejects with the problem naming what is wrong in the folder', async () => {
    const fake = new FakeXhr();
    const done = importPlanFolder(zip, { xhr: () => fake });
    const problem = {
      status: 422,
      title: 'Unprocessable Entity',
      detail: 'the plan folder has problems',
      errors: [
        { location: 'plan.yaml', message: 'title is required' },
        { location: 'body.days[1].items[0].media_id', message: 'media talk.mp3 is not in the folder' },
        { message: 'the folder has no days' },
      ],
    };
    fake.answer(422, JSON.stringify(problem), 'application/problem+json');
    const error = await done.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(importProblems(error)).toEqual([
      'plan.yaml: Title is required',
      'days[1].items[0].media_id: Media talk.mp3 is not in the folder',
      'The folder has no days',
    ]);
  });
});

describe('exportPlanFolder', () => {
  it('downloads the zip with the bearer token', async () => {
    setAccessToken('tok');
    const fetcher = vi.fn(async () => new Response(zip, { status: 200, headers: { 'Content-Type': 'application/zip' } }));
    const blob = await exportPlanFolder('p 1', { fetcher: fetcher as unknown as typeof fetch });
    expect(blob.size).toBe(64);
    expect(fetcher).toHaveBeenCalledWith('/v1/studio/plans/p%201/export', expect.objectContaining({ headers: { Authorization: 'Bearer tok' } }));
    setAccessToken(null);
  });

  it('turns a refusal into an ApiError with its problem', async () => {
    const fetcher = vi.fn(
      async () =>
        new Response(JSON.stringify({ status: 404, title: 'Not Found', detail: 'plan not found' }), {
          status: 404,
          headers: { 'Content-Type': 'application/problem+json' },
        }),
    );
    const error = await exportPlanFolder('p1', { fetcher: fetcher as unknown as typeof fetch }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).problem?.detail).toBe('plan not found');
  });

  it('renews an expired token once', async () => {
    const renew = vi.fn(async () => undefined);
    const fetcher = vi
      .fn()
      .mockResolvedValueOnce(new Response(null, { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } }))
      .mockResolvedValueOnce(new Response(zip, { status: 200 }));
    await exportPlanFolder('p1', { fetcher: fetcher as unknown as typeof fetch, renew });
    expect(renew).toHaveBeenCalledTimes(1);
    expect(fetcher).toHaveBeenCalledTimes(2);
  });
});

describe('zipName', () => {
  it('is the slug, safe as a file name', () => {
    expect(zipName('metta-bhavana')).toBe('metta-bhavana.zip');
    expect(zipName('../x/y')).toBe('x-y.zip');
    expect(zipName('')).toBe('plan.zip');
  });
});

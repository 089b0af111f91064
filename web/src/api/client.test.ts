import { afterEach, describe, expect, it } from 'vitest';
import { api, setAccessToken } from './client';

// Sends a request with the app's own client to a fake server that records
// it; the page's origin is given here because tests have no page.
async function sent(): Promise<Request> {
  let request: Request | undefined;
  await api.GET('/v1/plans', {
    baseUrl: 'https://plans.example',
    fetch: async (r: Request) => {
      request = r;
      return Response.json({ items: [] });
    },
  });
  if (!request) throw new Error('no request was sent');
  return request;
}

describe('the API client', () => {
  afterEach(() => setAccessToken(null));

  it('sends no credentials but the cookie while signed out', async () => {
    const request = await sent();
    expect(request.headers.has('Authorization')).toBe(false);
    expect(request.credentials).toBe('same-origin');
  });

  it('sends the access token held in memory as a bearer token', async () => {
    setAccessToken('token-1');
    expect((await sent()).headers.get('Authorization')).toBe('Bearer token-1');
  });

  it('sends the newest token after a refresh, and none after signing out', async () => {
    setAccessToken('token-1');
    await sent();
    setAccessToken('token-2');
    expect((await sent()).headers.get('Authorization')).toBe('Bearer token-2');
    setAccessToken(null);
    expect((await sent()).headers.has('Authorization')).toBe(false);
  });

  it('keeps an Authorization a request names itself', async () => {
    setAccessToken('token-1');
    let request: Request | undefined;
    await api.GET('/v1/me', {
      baseUrl: 'https://plans.example',
      headers: { Authorization: 'Bearer other' },
      fetch: async (r: Request) => {
        request = r;
        return new Response(null, { status: 401 });
      },
    });
    expect(request?.headers.get('Authorization')).toBe('Bearer other');
  });
});

import createClient from 'openapi-fetch';
import { describe, expect, it, vi } from 'vitest';
import type { paths } from '../../api/schema';
import { bearerToken } from '../../api/client';
import { retryOn401 } from './retry-on-401';

const tokenRefused = { 'WWW-Authenticate': 'Bearer realm="dharmaplans", error="invalid_token"' };
const passwordRefused = { 'WWW-Authenticate': 'Bearer realm="dharmaplans"' };

// A client like the app's, against a fake server answering with the given
// statuses in turn (a 401 refusing the token unless told otherwise) and
// recording what it was sent.
function clientAgainst(statuses: number[], renewed: string | null = 'fresh', refusal = tokenRefused) {
  let token = 'expired';
  const sent: { authorization: string | null; body: string; path: string }[] = [];
  const renew = vi.fn(async () => {
    if (renewed) token = renewed;
    return renewed;
  });
  const client = createClient<paths>({
    baseUrl: 'https://plans.example',
    fetch: async (request: Request) => {
      sent.push({
        authorization: request.headers.get('Authorization'),
        body: await request.text(),
        path: new URL(request.url).pathname,
      });
      const status = statuses.shift() ?? 200;
      return status === 200
        ? Response.json({ display_name: 'Ānanda' })
        : Response.json({ status, title: 'Unauthorized' }, { status, headers: refusal });
    },
  });
  client.use(bearerToken(() => token), retryOn401(renew));
  return { client, sent, renew };
}

describe('retrying after a 401', () => {
  it('sends a request refused for an expired token again, with a new token and the same body', async () => {
    const { client, sent, renew } = clientAgainst([401, 200]);
    const { data, response } = await client.PATCH('/v1/me', { body: { display_name: 'Ānanda' } });
    expect(response.status).toBe(200);
    expect(data?.display_name).toBe('Ānanda');
    expect(renew).toHaveBeenCalledWith('expired');
    expect(sent).toEqual([
      { authorization: 'Bearer expired', body: '{"display_name":"Ānanda"}', path: '/v1/me' },
      { authorization: 'Bearer fresh', body: '{"display_name":"Ānanda"}', path: '/v1/me' },
    ]);
  });

  it('tries only once: a second 401 stands', async () => {
    const { client, sent } = clientAgainst([401, 401]);
    const { response } = await client.GET('/v1/me');
    expect(response.status).toBe(401);
    expect(sent).toHaveLength(2);
  });

  it('lets the 401 stand when the session could not be renewed', async () => {
    const { client, sent } = clientAgainst([401], null);
    const { response } = await client.GET('/v1/me');
    expect(response.status).toBe(401);
    expect(sent).toHaveLength(1);
  });

  it('leaves a 401 about something else than the token alone, such as a wrong current password', async () => {
    const { client, sent, renew } = clientAgainst([401], 'fresh', passwordRefused);
    const { response } = await client.POST('/v1/me/password', { body: { current_password: 'wrong', new_password: 'a-new-password' } });
    expect(response.status).toBe(401);
    expect(sent).toHaveLength(1);
    expect(renew).not.toHaveBeenCalled();
  });

  it('leaves a wrong password alone: a 401 from /v1/auth is an answer, not an expired token', async () => {
    const { client, sent, renew } = clientAgainst([401]);
    const { response } = await client.POST('/v1/auth/login', { body: { email: 'a@example.org', password: 'wrong' } });
    expect(response.status).toBe(401);
    expect(sent).toHaveLength(1);
    expect(renew).not.toHaveBeenCalled();
  });
});

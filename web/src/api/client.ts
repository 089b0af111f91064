// The API client: openapi-fetch over the types openapi-typescript generates
// from the server's OpenAPI document (make api-client), so a request or an
// answer that does not match the API fails to compile.
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

// The access token is kept in memory only, never in storage that a script
// could read it back from; after a reload, the session gets a new one with
// its refresh cookie.
let accessToken: string | null = null;

/**
 * The access token now, for the few requests that cannot go through api:
 * uploads that report their progress (XMLHttpRequest) and downloads. Read
 * it as the request goes out; never keep it.
 */
export function currentAccessToken(): string | null {
  return accessToken;
}

/** Sets (or, with null, forgets) the access token sent with every request. */
export function setAccessToken(token: string | null): void {
  accessToken = token;
}

/**
 * Sends the current access token, if any, as a bearer token. The token is
 * read as each request goes out, so requests made after sign-in carry it
 * and requests after sign-out do not. A request that names its own
 * Authorization keeps it.
 */
export function bearerToken(current: () => string | null): Middleware {
  return {
    onRequest({ request }) {
      const token = current();
      if (token && !request.headers.has('Authorization')) {
        request.headers.set('Authorization', `Bearer ${token}`);
      }
      return request;
    },
  };
}

export type ApiClient = Client<paths>;

/**
 * The web app's client. The app is served by the API server, so requests go
 * to the page's own origin; same-origin credentials carry the refresh
 * cookie (HttpOnly, scoped to /v1/auth) that keeps a session alive.
 */
export const api: ApiClient = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(bearerToken(() => accessToken));

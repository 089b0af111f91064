import type { Middleware } from 'openapi-fetch';

/**
 * An openapi-fetch middleware that answers a 401 refusing the access token
 * (WWW-Authenticate: Bearer error="invalid_token", RFC 6750: the token
 * expired while the tab slept, or its session ended) by getting a fresh
 * token (renew) and sending the request once more with it. If renewing
 * fails, the 401 stands. Other 401s are answers, not expired tokens: a wrong
 * current password when changing it, wrong credentials under /v1/auth.
 */
export function retryOn401(renew: (rejected: string) => Promise<string | null>): Middleware {
  // The request as it was before it was sent, since a sent body cannot be read again.
  const unsent = new Map<string, Request>();
  return {
    onRequest({ request, id }) {
      if (request.headers.has('Authorization') && !new URL(request.url).pathname.startsWith('/v1/auth/')) {
        unsent.set(id, request.clone());
      }
      return undefined;
    },
    async onResponse({ response, id, options }) {
      const again = unsent.get(id);
      unsent.delete(id);
      if (!again || response.status !== 401 || !tokenRefused(response)) return undefined;
      const rejected = again.headers.get('Authorization')?.replace(/^Bearer /, '') ?? '';
      const token = await renew(rejected);
      if (!token) return undefined;
      again.headers.set('Authorization', `Bearer ${token}`);
      return options.fetch(again);
    },
    onError({ id }) {
      unsent.delete(id);
      return undefined;
    },
  };
}

function tokenRefused(response: Response): boolean {
  return /error="invalid_token"/.test(response.headers.get('WWW-Authenticate') ?? '');
}

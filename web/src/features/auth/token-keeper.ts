// Keeps the session's access token fresh. The token lives in memory only;
// the refresh token is an HttpOnly cookie the browser sends to
// POST /v1/auth/refresh. Refresh tokens rotate and presenting one twice ends
// the whole session, so refreshes go one at a time: callers in this tab share
// the refresh in flight, and tabs take turns under a Web Lock (each turn
// sends the cookie the previous one left in the shared cookie jar). Tabs tell
// each other about new tokens and sign-outs over a BroadcastChannel, so one
// refresh serves every open tab and signing out in one signs out all.

/** What POST /v1/auth/refresh, /login and /register answer with. */
export interface Tokens {
  access_token: string;
  /** Seconds until the access token expires. */
  expires_in: number;
}

/** How a refresh went. */
export type RefreshOutcome =
  /** A new access token is in use. */
  | 'refreshed'
  /** The server refused the refresh token: the session is over. */
  | 'signed-out'
  /** The server could not be reached or failed; the session may still be alive. */
  | 'unavailable';

/** What the keeper tells its listeners. */
export type SessionEvent = 'signed-in' | 'signed-out';

/** Messages between tabs. */
type TabMessage = { type: 'tokens'; token: string; expiresAt: number } | { type: 'signed-out' };

/** A channel to the app's other tabs (a BroadcastChannel in browsers). */
export interface TabChannel {
  postMessage(message: TabMessage): void;
  onmessage: ((event: MessageEvent<TabMessage>) => void) | null;
}

export interface TokenKeeperOptions {
  /** Asks the server for new tokens: null when it refused (401), a throw when it could not answer. */
  exchange: () => Promise<Tokens | null>;
  /** Where the token goes for requests to carry (the API client's setAccessToken). */
  setAccessToken: (token: string | null) => void;
  /** Runs fn while no other tab refreshes; without it, refreshes are single-flight within this tab only. */
  lock?: <T>(fn: () => Promise<T>) => Promise<T>;
  channel?: TabChannel;
  now?: () => number;
}

/** How long before expiry the token is renewed, at most. */
const renewLead = 60_000;
/** How long to wait before trying again when the server could not be reached. */
const retryDelay = 30_000;

export interface TokenKeeper {
  /** The access token in use, or null while signed out. */
  token(): string | null;
  /** Starts using tokens the server just gave (after signing in or up). */
  accept(tokens: Tokens): void;
  /** Gets a new access token; concurrent calls share one request. */
  refresh(): Promise<RefreshOutcome>;
  /**
   * The token to retry a request with after the server rejected `rejected`:
   * the current one if a refresh already replaced it, otherwise a new one;
   * null when there is none.
   */
  renewAfterRejection(rejected: string): Promise<string | null>;
  /** Forgets the token here and in the other tabs (after signing out). */
  forget(): void;
  /** Listens for sign-ins and sign-outs that did not start with this tab's caller. */
  subscribe(listener: (event: SessionEvent) => void): () => void;
}

export function createTokenKeeper(options: TokenKeeperOptions): TokenKeeper {
  const now = options.now ?? Date.now;
  const lock = options.lock ?? ((fn) => fn());
  const listeners = new Set<(event: SessionEvent) => void>();
  let token: string | null = null;
  let expiresAt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<RefreshOutcome> | null = null;

  function schedule(delay: number) {
    clearTimeout(timer);
    timer = setTimeout(() => void refresh(), Math.max(0, delay));
  }

  // Renews shortly before expiry: a minute ahead, or a fifth of the
  // lifetime for tokens that live under five minutes.
  function use(next: string, nextExpiresAt: number) {
    token = next;
    expiresAt = nextExpiresAt;
    options.setAccessToken(next);
    const lifetime = nextExpiresAt - now();
    schedule(lifetime - Math.min(renewLead, lifetime / 5));
  }

  function drop() {
    clearTimeout(timer);
    token = null;
    expiresAt = 0;
    options.setAccessToken(null);
  }

  function emit(event: SessionEvent) {
    for (const listener of listeners) listener(event);
  }

  function accept(tokens: Tokens) {
    const at = now() + tokens.expires_in * 1000;
    use(tokens.access_token, at);
    options.channel?.postMessage({ type: 'tokens', token: tokens.access_token, expiresAt: at });
  }

  async function exchangeInTurn(startedWith: string | null): Promise<RefreshOutcome> {
    return lock(async () => {
      // Another tab refreshed while this one waited for its turn.
      if (token !== null && token !== startedWith && expiresAt - now() > renewLead) return 'refreshed';
      let tokens: Tokens | null;
      try {
        tokens = await options.exchange();
      } catch {
        if (token !== null) schedule(retryDelay);
        return 'unavailable';
      }
      if (!tokens) {
        const wasSignedIn = token !== null;
        drop();
        options.channel?.postMessage({ type: 'signed-out' });
        if (wasSignedIn) emit('signed-out');
        return 'signed-out';
      }
      accept(tokens);
      return 'refreshed';
    });
  }

  function refresh(): Promise<RefreshOutcome> {
    inFlight ??= exchangeInTurn(token).finally(() => {
      inFlight = null;
    });
    return inFlight;
  }

  async function renewAfterRejection(rejected: string): Promise<string | null> {
    if (token !== null && token !== rejected) return token;
    return (await refresh()) === 'refreshed' ? token : null;
  }

  function forget() {
    drop();
    options.channel?.postMessage({ type: 'signed-out' });
  }

  if (options.channel) {
    options.channel.onmessage = ({ data }: MessageEvent<TabMessage>) => {
      if (data.type === 'tokens') {
        const wasSignedIn = token !== null;
        use(data.token, data.expiresAt);
        if (!wasSignedIn) emit('signed-in');
      } else if (token !== null) {
        drop();
        emit('signed-out');
      }
    };
  }

  return {
    token: () => token,
    accept,
    refresh,
    renewAfterRejection,
    forget,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

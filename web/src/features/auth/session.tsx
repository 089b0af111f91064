// Who is signed in, for the whole app: restored on start from the refresh
// cookie, kept fresh by the token keeper, shared across tabs.
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { api, setAccessToken } from '../../api/client';
import { ApiError, dataOf } from '../../api/problem';
import type { components } from '../../api/schema';
import { PageSkeleton } from '../../components/page-skeleton';
import i18n from '../../i18n';
import { chooseLanguage } from '../../lib/device-preferences';
import { retryOn401 } from './retry-on-401';
import { createTokenKeeper, type TokenKeeper } from './token-keeper';

/** The signed-in person's account. */
export type User = components['schemas']['UserBody'];

/** What a new account needs; the time zone and language are taken from the browser. */
export type SignUpInput = Pick<components['schemas']['RegisterInputBody'], 'email' | 'password' | 'display_name' | 'invite_code'>;

export interface Session {
  status: 'loading' | 'signed-in' | 'signed-out';
  user: User | null;
  /** Signs in; rejects with an ApiError the form can show. */
  signIn(email: string, password: string): Promise<void>;
  /** Creates the account and signs it in; rejects with an ApiError the form can show. */
  signUp(input: SignUpInput): Promise<void>;
  /** Ends this device's session. */
  signOut(): Promise<void>;
  /** Replaces the account after a change saved through the API (PATCH /v1/me). */
  setUser(user: User): void;
  /** Forgets the session here and in other tabs when the server already ended it (the account was deleted). */
  forget(): void;
}

// Cross-tab mutual exclusion where the browser has the Web Locks API
// (every current browser, on HTTPS and localhost).
function webLock<T>(fn: () => Promise<T>): Promise<T> {
  return navigator.locks.request('dharmaplans:refresh', fn) as Promise<T>;
}

// Whether this browser may have a session: set while it holds an access
// token. Without it, starting the app asks nothing of the server, so
// visitors who never signed in see no refused refresh (the refresh cookie
// is HttpOnly: a script cannot tell whether there is one). Not a secret.
const sessionHintKey = 'dharmaplans.session';

function mayBeSignedIn(): boolean {
  try {
    return localStorage.getItem(sessionHintKey) !== null;
  } catch {
    return true; // storage turned off: ask the server
  }
}

function holdToken(token: string | null) {
  setAccessToken(token);
  try {
    if (token) localStorage.setItem(sessionHintKey, '1');
    else localStorage.removeItem(sessionHintKey);
  } catch {
    // storage turned off: the next start asks the server
  }
}

const keeper: TokenKeeper = createTokenKeeper({
  async exchange() {
    const result = await api.POST('/v1/auth/refresh', {});
    if (result.response.status === 401) return null;
    return dataOf(result);
  },
  setAccessToken: holdToken,
  lock: typeof navigator !== 'undefined' && 'locks' in navigator ? webLock : undefined,
  channel: typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel('dharmaplans:session'),
});
api.use(retryOn401(keeper.renewAfterRejection));

/** The browser's IANA time zone, e.g. Asia/Ho_Chi_Minh. */
export function detectedTimezone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

const SessionContext = createContext<Session | null>(null);

type State = Pick<Session, 'status' | 'user'>;

/** Holds the session; wrap the router with it, inside the QueryClientProvider. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<State>({ status: 'loading', user: null });

  const signedIn = useCallback(
    (user: User) => {
      chooseLanguage(user.locale);
      setState({ status: 'signed-in', user });
      void queryClient.invalidateQueries();
    },
    [queryClient],
  );

  const signedOut = useCallback(() => {
    setState({ status: 'signed-out', user: null });
    queryClient.removeQueries();
  }, [queryClient]);

  // With a token in hand: who is it?
  const loadUser = useCallback(async () => {
    try {
      signedIn(dataOf(await api.GET('/v1/me')));
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) keeper.forget();
      signedOut();
    }
  }, [signedIn, signedOut]);

  useEffect(() => {
    let live = true;
    const restored = mayBeSignedIn() ? keeper.refresh() : Promise.resolve('signed-out' as const);
    void restored.then((outcome) => {
      if (!live) return;
      if (outcome === 'refreshed') void loadUser();
      else setState({ status: 'signed-out', user: null });
    });
    const unsubscribe = keeper.subscribe((event) => {
      if (event === 'signed-in') void loadUser();
      else signedOut();
    });
    return () => {
      live = false;
      unsubscribe();
    };
  }, [loadUser, signedOut]);

  // The actions keep their identity across renders, so effects can depend on them.
  const actions = useMemo<Omit<Session, 'status' | 'user'>>(
    () => ({
      async signIn(email, password) {
        const tokens = dataOf(await api.POST('/v1/auth/login', { body: { email, password } }));
        keeper.accept(tokens);
        if (tokens.user) signedIn(tokens.user);
        else await loadUser();
      },
      async signUp(input) {
        const body = { ...input, timezone: detectedTimezone(), locale: i18n.language };
        const tokens = dataOf(await api.POST('/v1/auth/register', { body }));
        keeper.accept(tokens);
        if (tokens.user) signedIn(tokens.user);
        else await loadUser();
      },
      async signOut() {
        try {
          await api.POST('/v1/auth/logout', {});
        } finally {
          keeper.forget();
          signedOut();
        }
      },
      setUser(user) {
        chooseLanguage(user.locale);
        setState({ status: 'signed-in', user });
      },
      forget() {
        keeper.forget();
        signedOut();
      },
    }),
    [signedIn, signedOut, loadUser],
  );
  const session = useMemo<Session>(() => ({ ...state, ...actions }), [state, actions]);

  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

/** The session: who is signed in, and how to sign in and out. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession needs a SessionProvider above it');
  return session;
}

/**
 * Shows children only to a signed-in person: a quiet placeholder while the
 * session is being restored, and the sign-in page (coming back here after)
 * when nobody is signed in.
 */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { status } = useSession();
  const location = useLocation();
  if (status === 'loading') return <PageSkeleton />;
  if (status === 'signed-out') {
    const next = location.pathname + location.search;
    return <Navigate to={`/sign-in?next=${encodeURIComponent(next)}`} replace />;
  }
  return <>{children}</>;
}

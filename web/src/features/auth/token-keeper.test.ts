import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTokenKeeper, type TabChannel, type TokenKeeperOptions, type Tokens } from './token-keeper';

const minutes = (n: number) => n * 60_000;
const fifteenMinutes: (token: string) => Tokens = (token) => ({ access_token: token, expires_in: 900 });

// A server's refresh endpoint: hands out token-1, token-2, ... and counts calls.
function server() {
  let issued = 0;
  const exchange = vi.fn(async (): Promise<Tokens | null> => fifteenMinutes(`token-${++issued}`));
  return { exchange };
}

function keeperWith(options: Partial<TokenKeeperOptions> = {}) {
  const setAccessToken = vi.fn();
  const { exchange } = server();
  const keeper = createTokenKeeper({ exchange, setAccessToken, ...options });
  return { keeper, exchange: (options.exchange ?? exchange) as ReturnType<typeof vi.fn>, setAccessToken };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the token keeper', () => {
  it('restores a session from the refresh cookie and hands the token to the client', async () => {
    const { keeper, setAccessToken } = keeperWith();
    expect(await keeper.refresh()).toBe('refreshed');
    expect(keeper.token()).toBe('token-1');
    expect(setAccessToken).toHaveBeenLastCalledWith('token-1');
  });

  it('sends one refresh for callers asking at the same time, since a refresh token works once', async () => {
    const { keeper, exchange } = keeperWith();
    const outcomes = await Promise.all([keeper.refresh(), keeper.refresh(), keeper.refresh()]);
    expect(outcomes).toEqual(['refreshed', 'refreshed', 'refreshed']);
    expect(exchange).toHaveBeenCalledTimes(1);
  });

  it('renews the access token a minute before it expires, without anyone asking', async () => {
    const { keeper, exchange } = keeperWith();
    keeper.accept(fifteenMinutes('from-sign-in'));
    await vi.advanceTimersByTimeAsync(minutes(14) - 1);
    expect(exchange).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(exchange).toHaveBeenCalledTimes(1);
    expect(keeper.token()).toBe('token-1');
    // and again before the new one expires
    await vi.advanceTimersByTimeAsync(minutes(14));
    expect(keeper.token()).toBe('token-2');
  });

  it('renews short-lived tokens well before they expire too', async () => {
    const { keeper, exchange } = keeperWith();
    keeper.accept({ access_token: 'short', expires_in: 60 });
    await vi.advanceTimersByTimeAsync(47_999);
    expect(exchange).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(exchange).toHaveBeenCalledTimes(1);
  });

  it('signs out when the server refuses the refresh, and says so', async () => {
    const exchange = vi.fn(async () => null);
    const { keeper, setAccessToken } = keeperWith({ exchange });
    const heard = vi.fn();
    keeper.subscribe(heard);
    keeper.accept(fifteenMinutes('old'));
    expect(await keeper.refresh()).toBe('signed-out');
    expect(keeper.token()).toBeNull();
    expect(setAccessToken).toHaveBeenLastCalledWith(null);
    expect(heard).toHaveBeenCalledWith('signed-out');
    // and stops renewing
    await vi.advanceTimersByTimeAsync(minutes(60));
    expect(exchange).toHaveBeenCalledTimes(1);
  });

  it('keeps the session when the server cannot be reached, and tries again', async () => {
    const exchange = vi
      .fn<() => Promise<Tokens | null>>()
      .mockRejectedValueOnce(new TypeError('Failed to fetch'))
      .mockResolvedValueOnce(fifteenMinutes('later'));
    const { keeper } = keeperWith({ exchange });
    keeper.accept(fifteenMinutes('current'));
    expect(await keeper.refresh()).toBe('unavailable');
    expect(keeper.token()).toBe('current');
    await vi.advanceTimersByTimeAsync(30_000);
    expect(keeper.token()).toBe('later');
  });

  it('renews once for requests rejected together, and not again for one rejected late', async () => {
    const { keeper, exchange } = keeperWith();
    keeper.accept(fifteenMinutes('expired'));
    const tokens = await Promise.all([keeper.renewAfterRejection('expired'), keeper.renewAfterRejection('expired')]);
    expect(tokens).toEqual(['token-1', 'token-1']);
    expect(await keeper.renewAfterRejection('expired')).toBe('token-1');
    expect(exchange).toHaveBeenCalledTimes(1);
  });

  it('has no token to retry with once the session is over', async () => {
    const { keeper } = keeperWith({ exchange: async () => null });
    keeper.accept(fifteenMinutes('expired'));
    expect(await keeper.renewAfterRejection('expired')).toBeNull();
  });

  it('forgets the token on sign-out and stops renewing', async () => {
    const { keeper, exchange, setAccessToken } = keeperWith();
    keeper.accept(fifteenMinutes('t'));
    keeper.forget();
    expect(keeper.token()).toBeNull();
    expect(setAccessToken).toHaveBeenLastCalledWith(null);
    await vi.advanceTimersByTimeAsync(minutes(30));
    expect(exchange).not.toHaveBeenCalled();
  });
});

// Two tabs of one browser: a lock they take turns under (as the Web Locks
// API gives) and a channel between them (as BroadcastChannel does).
function twoTabs() {
  let queue: Promise<unknown> = Promise.resolve();
  const lock = <T,>(fn: () => Promise<T>): Promise<T> => {
    const turn = queue.then(fn);
    queue = turn.catch(() => undefined);
    return turn;
  };
  const a = { postMessage: (data: unknown) => b.onmessage?.({ data } as MessageEvent) } as TabChannel;
  const b = { postMessage: (data: unknown) => a.onmessage?.({ data } as MessageEvent) } as TabChannel;
  a.onmessage = b.onmessage = null;

  let issued = 0;
  let refreshing = 0;
  let overlapped = false;
  const exchange = vi.fn(async (): Promise<Tokens | null> => {
    overlapped ||= refreshing > 0;
    refreshing++;
    await new Promise((resolve) => setTimeout(resolve, 100));
    refreshing--;
    return fifteenMinutes(`token-${++issued}`);
  });
  const tab = (channel: TabChannel) => createTokenKeeper({ exchange, setAccessToken: () => {}, lock, channel });
  return { first: tab(a), second: tab(b), exchange, overlapped: () => overlapped };
}

describe('the token keeper across tabs', () => {
  it('never refreshes in two tabs at once, and a tab that waited uses the token the other got', async () => {
    const { first, second, exchange, overlapped } = twoTabs();
    const both = Promise.all([first.refresh(), second.refresh()]);
    await vi.advanceTimersByTimeAsync(250);
    expect(await both).toEqual(['refreshed', 'refreshed']);
    expect(overlapped()).toBe(false);
    expect(exchange).toHaveBeenCalledTimes(1);
    expect(second.token()).toBe(first.token());
  });

  it('signs in the other tabs when one signs in', async () => {
    const { first, second } = twoTabs();
    const heard = vi.fn();
    second.subscribe(heard);
    first.accept(fifteenMinutes('new-session'));
    expect(second.token()).toBe('new-session');
    expect(heard).toHaveBeenCalledWith('signed-in');
  });

  it('signs out the other tabs when one signs out', async () => {
    const { first, second } = twoTabs();
    first.accept(fifteenMinutes('shared'));
    const heard = vi.fn();
    second.subscribe(heard);
    first.forget();
    expect(second.token()).toBeNull();
    expect(heard).toHaveBeenCalledWith('signed-out');
  });
});

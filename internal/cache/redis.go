package cache

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/dharmaplans/dharmaplans/internal/redisclient"
)

// DefaultRedisTimeout is the budget of one Redis operation when
// RedisOptions.Timeout is zero: long enough for a healthy server on the same
// network, short enough that a sick one barely slows a request.
const DefaultRedisTimeout = 250 * time.Millisecond

// warnInterval spaces out the warnings of one Redis cache: when the server is
// down every request fails, and one line per request would bury the log.
// Every failure is still counted in dharmaplans_cache_errors_total.
const warnInterval = 10 * time.Second

// RedisOptions configures NewRedis.
type RedisOptions struct {
	// URL locates the server: redis://[[user]:password@]host[:port][/db] or
	// rediss:// for TLS. Timeouts given in its query are replaced by Timeout.
	URL string
	// Prefix is put before every key, e.g. "dp:", so that several
	// applications or environments can share one server.
	Prefix string
	// Timeout bounds each operation, dialling included; zero means
	// DefaultRedisTimeout. An operation that runs out of time is a miss.
	Timeout time.Duration
	// Logger receives the warnings about failed operations; nil means
	// slog.Default().
	Logger *slog.Logger
}

// Redis is a Cache on a Redis or Dragonfly server. It uses only GET, SET with
// an expiry, DEL and PING, which both servers support.
//
// When the server is down or slow, Get misses, Set and Delete do nothing, and
// each operation gives up after its Timeout. Every such failure is counted in
// dharmaplans_cache_errors_total{op} and logged as a warning, at most one
// every few seconds; the warning names the operation and the error, never the
// key or the value, which may hold user content. An operation whose ctx was
// already done, or ends while it runs, is neither counted nor logged: the
// caller gave up, the cache did not fail.
type Redis struct {
	client  *redis.Client
	prefix  string
	timeout time.Duration
	log     *slog.Logger
	warn    *redisclient.WarnLimiter
}

var _ Cache = (*Redis)(nil)

// NewRedis returns a Redis cache for opts. It fails only for a bad URL; it
// does not contact the server, so the process can start before its cache
// does (Ping tells whether it answers).
func NewRedis(opts RedisOptions) (*Redis, error) {
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultRedisTimeout
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.Default()
	}

	client, err := redisclient.New(opts.URL, timeout)
	if err != nil {
		return nil, fmt.Errorf("cache: %w", err)
	}

	return &Redis{
		client:  client,
		prefix:  opts.Prefix,
		timeout: timeout,
		log:     logger,
		warn:    redisclient.NewWarnLimiter(warnInterval),
	}, nil
}

// Get returns the value under key and true on a hit; a missing key and a
// failure are both misses.
func (r *Redis) Get(ctx context.Context, key string) ([]byte, bool) {
	opCtx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	// Bytes converts go-redis's string, so the slice is already the caller's own.
	b, err := r.client.Get(opCtx, r.prefix+key).Bytes()
	switch {
	case err == nil:
		countLookup("redis", true)
		return b, true
	case errors.Is(err, redis.Nil):
		countLookup("redis", false)
		return nil, false
	default:
		r.fail(ctx, opGet, err)
		countLookup("redis", false)
		return nil, false
	}
}

// Set stores value under key for ttl (SET with PX or EX); a ttl <= 0
// deletes the key.
func (r *Redis) Set(ctx context.Context, key string, value []byte, ttl time.Duration) {
	opCtx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	var err error
	if ttl <= 0 {
		// SET rejects a zero or negative expiry; an already expired value
		// is no value, as in Memory.
		err = r.client.Del(opCtx, r.prefix+key).Err()
	} else {
		// Redis counts expiry in whole milliseconds at best; go-redis would
		// round a shorter ttl up anyway, but with a log line of its own.
		ttl = max(ttl, time.Millisecond)
		err = r.client.Set(opCtx, r.prefix+key, value, ttl).Err()
	}
	if err != nil {
		r.fail(ctx, opSet, err)
	}
}

// Delete removes keys with one DEL.
func (r *Redis) Delete(ctx context.Context, keys ...string) {
	if len(keys) == 0 {
		return
	}
	prefixed := make([]string, len(keys))
	for i, k := range keys {
		prefixed[i] = r.prefix + k
	}
	opCtx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	if err := r.client.Del(opCtx, prefixed...).Err(); err != nil {
		r.fail(ctx, opDelete, err)
	}
}

// Ping returns nil if the server answers PING within the timeout. Its
// failures are the caller's to report, so they are not counted or logged.
func (r *Redis) Ping(ctx context.Context) error {
	opCtx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	if err := r.client.Ping(opCtx).Err(); err != nil {
		return fmt.Errorf("cache: redis ping: %w", err)
	}
	return nil
}

// Close closes the connections to the server.
func (r *Redis) Close() error {
	return r.client.Close()
}

// fail counts and perhaps logs a failed operation. ctx is the caller's, not
// the operation's: if it is done, the caller stopped waiting, which says
// nothing about the server.
func (r *Redis) fail(ctx context.Context, op string, err error) {
	if callerGaveUp(ctx) {
		return
	}
	errorsTotal.WithLabelValues(op).Inc()
	if ok, suppressed := r.warn.Allow(time.Now()); ok {
		r.log.LogAttrs(ctx, slog.LevelWarn, "cache operation failed; carrying on without the cache",
			slog.String("op", op),
			slog.String("err", err.Error()),
			slog.Int("suppressed", suppressed))
	}
}

// callerGaveUp reports whether ctx is done. A passed deadline counts even
// before ctx says so: go-redis puts the deadline on the socket, whose timeout
// may fire a moment before the context's own timer.
func callerGaveUp(ctx context.Context) bool {
	if ctx.Err() != nil {
		return true
	}
	deadline, ok := ctx.Deadline()
	return ok && !time.Now().Before(deadline)
}

package cache

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/dharmaplans/dharmaplans/internal/redisclient"
)

// RedisOptions configures NewRedis; an operation that runs out of its
// Timeout (default redisclient.DefaultTimeout) is a miss.
type RedisOptions = redisclient.Options

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
	conn *redisclient.Conn
}

var _ Cache = (*Redis)(nil)

// NewRedis returns a Redis cache for opts. It fails only for a bad URL; it
// does not contact the server, so the process can start before its cache
// does (Ping tells whether it answers).
func NewRedis(opts RedisOptions) (*Redis, error) {
	conn, err := redisclient.Dial(opts, redisclient.Failures{
		Counter: errorsTotal,
		Warning: "cache operation failed; carrying on without the cache",
	})
	if err != nil {
		return nil, fmt.Errorf("cache: %w", err)
	}
	return &Redis{conn: conn}, nil
}

// Get returns the value under key and true on a hit; a missing key and a
// failure are both misses.
func (r *Redis) Get(ctx context.Context, key string) ([]byte, bool) {
	opCtx, cancel := r.conn.Op(ctx)
	defer cancel()
	// Bytes converts go-redis's string, so the slice is already the caller's own.
	b, err := r.conn.Get(opCtx, r.conn.Prefix+key).Bytes()
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
	opCtx, cancel := r.conn.Op(ctx)
	defer cancel()
	var err error
	if ttl <= 0 {
		// SET rejects a zero or negative expiry; an already expired value
		// is no value, as in Memory.
		err = r.conn.Del(opCtx, r.conn.Prefix+key).Err()
	} else {
		// Redis counts expiry in whole milliseconds at best; go-redis would
		// round a shorter ttl up anyway, but with a log line of its own.
		ttl = max(ttl, time.Millisecond)
		err = r.conn.Set(opCtx, r.conn.Prefix+key, value, ttl).Err()
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
		prefixed[i] = r.conn.Prefix + k
	}
	opCtx, cancel := r.conn.Op(ctx)
	defer cancel()
	if err := r.conn.Del(opCtx, prefixed...).Err(); err != nil {
		r.fail(ctx, opDelete, err)
	}
}

// Ping returns nil if the server answers PING within the timeout. Its
// failures are the caller's to report, so they are not counted or logged.
func (r *Redis) Ping(ctx context.Context) error {
	opCtx, cancel := r.conn.Op(ctx)
	defer cancel()
	if err := r.conn.Ping(opCtx).Err(); err != nil {
		return fmt.Errorf("cache: redis ping: %w", err)
	}
	return nil
}

// Close closes the connections to the server.
func (r *Redis) Close() error {
	return r.conn.Close()
}

// fail counts and perhaps logs a failed operation (see Conn.Failed); the
// cache carries on alike whatever the cause.
func (r *Redis) fail(ctx context.Context, op string, err error) {
	_ = r.conn.Failed(ctx, op, err)
}

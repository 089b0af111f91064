package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"

	"github.com/dharmaplans/dharmaplans/internal/redisclient"
)

// RedisOptions configures NewRedis; an operation that runs out of its
// Timeout (default redisclient.DefaultTimeout) fails open. The key stored on
// the server is "rate:" + Prefix + key, the first part being redis_rate's
// own.
type RedisOptions = redisclient.Options

// Redis is a Limiter on a Redis server, shared by every replica that uses the
// same server and Prefix. It runs redis_rate's GCRA script, so each decision
// is one atomic EVALSHA on the server's clock.
//
// When the server is down or slow, Allow allows the event and Reset leaves
// the key as it was, each after at most Timeout. Every such failure is
// counted in dharmaplans_ratelimit_errors_total{op} and logged as a warning,
// at most one every few seconds; the warning names the operation and the
// error, never the key. An operation whose ctx was already done, or ends
// while it runs, returns ctx's error and is neither counted nor logged: the
// caller gave up, the server did not fail.
type Redis struct {
	conn    *redisclient.Conn
	limiter *redis_rate.Limiter
	closed  atomic.Bool
}

var _ Limiter = (*Redis)(nil)

// NewRedis returns a Redis limiter for opts. It fails only for a bad URL; it
// does not contact the server, so the process can start before its cache
// does.
func NewRedis(opts RedisOptions) (*Redis, error) {
	conn, err := redisclient.Dial(opts, redisclient.Failures{
		Counter: errorsTotal,
		Warning: "rate limiter operation failed; carrying on without the limit",
	})
	if err != nil {
		return nil, fmt.Errorf("ratelimit: %w", err)
	}
	return &Redis{conn: conn, limiter: redis_rate.NewLimiter(conn.Client)}, nil
}

// Allow records one event for key under l and says whether it may go ahead;
// if the server fails, the event is allowed.
func (r *Redis) Allow(ctx context.Context, key string, l Limit) (Result, error) {
	if err := usable(ctx, &r.closed); err != nil {
		return Result{}, err
	}
	if err := l.Validate(); err != nil {
		return Result{}, err
	}
	opCtx, cancel := r.conn.Op(ctx)
	defer cancel()
	res, err := r.limiter.Allow(opCtx, r.conn.Prefix+key, redis_rate.Limit{
		Rate:   l.Rate,
		Period: l.Period,
		Burst:  l.burst(),
	})
	if err != nil {
		if err := r.fail(ctx, opAllow, err); err != nil {
			return Result{}, err
		}
		return Result{Allowed: true}, nil
	}
	if res.Allowed == 0 {
		refusedRedis.Inc()
		// Rounding can neither make a refusal say "go ahead now" nor ask
		// for a wait longer than one event takes to earn.
		return Result{RetryAfter: min(max(res.RetryAfter, time.Nanosecond), l.interval())}, nil
	}
	return Result{Allowed: true, Remaining: remaining(l, res.ResetAfter)}, nil
}

// redisClockError bounds the error of the script's clock arithmetic: it
// counts floating-point seconds since 2017, which are precise to about a
// tenth of a microsecond, and reads a clock that ticks in microseconds.
const redisClockError = time.Microsecond

// remaining counts the events a key has left from resetAfter, the time it
// needs to be fresh again. The script's own count truncates its float
// arithmetic, so that with one event every 100ms a fresh key of burst 2 has
// 0.9999996 events left, reported as 0; counting again with the clock's error
// forgiven gives 1, as Memory does. minInterval keeps that allowance below a
// thousandth of an event.
func remaining(l Limit, resetAfter time.Duration) int {
	interval := l.interval()
	earned := time.Duration(l.burst())*interval - resetAfter + redisClockError
	return min(max(int(earned/interval), 0), l.burst()-1)
}

// Reset forgets key with one DEL; if the server fails, the key keeps its
// count until it runs out.
func (r *Redis) Reset(ctx context.Context, key string) error {
	if err := usable(ctx, &r.closed); err != nil {
		return err
	}
	opCtx, cancel := r.conn.Op(ctx)
	defer cancel()
	if err := r.limiter.Reset(opCtx, r.conn.Prefix+key); err != nil {
		return r.fail(ctx, opReset, err)
	}
	return nil
}

// Close closes the connections to the server. Closing again does nothing.
func (r *Redis) Close() error {
	if !r.closed.CompareAndSwap(false, true) {
		return nil
	}
	return r.conn.Close()
}

// fail deals with a failed operation (see Conn.Failed): it returns the
// error owed to a caller who gave up or raced with Close, and nil when the
// server failed and the limiter carries on without it.
func (r *Redis) fail(ctx context.Context, op string, err error) error {
	switch err := r.conn.Failed(ctx, op, err); {
	case err == nil:
		return nil
	case errors.Is(err, redis.ErrClosed):
		return ErrClosed
	default:
		return fmt.Errorf("ratelimit: %w", err)
	}
}

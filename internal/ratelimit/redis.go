package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"

	"github.com/dharmaplans/dharmaplans/internal/redisclient"
)

// DefaultRedisTimeout is the budget of one Redis operation when
// RedisOptions.Timeout is zero: long enough for a healthy server on the same
// network, short enough that a sick one barely slows a login.
const DefaultRedisTimeout = 250 * time.Millisecond

// warnInterval spaces out the warnings of one Redis limiter: when the server
// is down every limited request fails, and one line per request would bury
// the log. Every failure is still counted in dharmaplans_ratelimit_errors_total.
const warnInterval = 10 * time.Second

// RedisOptions configures NewRedis.
type RedisOptions struct {
	// URL locates the server: redis://[[user]:password@]host[:port][/db] or
	// rediss:// for TLS. Timeouts given in its query are replaced by Timeout.
	URL string
	// Prefix is put before every key, e.g. "dp:rl:", so that several
	// applications or environments can share one server; replicas share
	// their counts by using the same prefix. The key stored on the server is
	// "rate:" + Prefix + key, the first part being redis_rate's own.
	Prefix string
	// Timeout bounds each operation, dialling included; zero means
	// DefaultRedisTimeout. An operation that runs out of time fails open.
	Timeout time.Duration
	// Logger receives the warnings about failed operations; nil means
	// slog.Default().
	Logger *slog.Logger
}

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
	client  *redis.Client
	limiter *redis_rate.Limiter
	prefix  string
	timeout time.Duration
	log     *slog.Logger
	warn    *redisclient.WarnLimiter
	closed  atomic.Bool
}

var _ Limiter = (*Redis)(nil)

// NewRedis returns a Redis limiter for opts. It fails only for a bad URL; it
// does not contact the server, so the process can start before its cache
// does.
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
		return nil, fmt.Errorf("ratelimit: %w", err)
	}

	return &Redis{
		client:  client,
		limiter: redis_rate.NewLimiter(client),
		prefix:  opts.Prefix,
		timeout: timeout,
		log:     logger,
		warn:    redisclient.NewWarnLimiter(warnInterval),
	}, nil
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
	opCtx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	res, err := r.limiter.Allow(opCtx, r.prefix+key, redis_rate.Limit{
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
	opCtx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	if err := r.limiter.Reset(opCtx, r.prefix+key); err != nil {
		return r.fail(ctx, opReset, err)
	}
	return nil
}

// Close closes the connections to the server. Closing again does nothing.
func (r *Redis) Close() error {
	if !r.closed.CompareAndSwap(false, true) {
		return nil
	}
	return r.client.Close()
}

// fail deals with a failed operation. If the caller stopped waiting (ctx is
// the caller's, not the operation's), that says nothing about the server:
// fail returns ctx's error. Otherwise the server failed: fail counts the
// failure, perhaps logs it, and returns nil so the caller carries on.
func (r *Redis) fail(ctx context.Context, op string, err error) error {
	if cerr := callerGaveUp(ctx); cerr != nil {
		return fmt.Errorf("ratelimit: %w", cerr)
	}
	if errors.Is(err, redis.ErrClosed) {
		// Close raced with this operation.
		return ErrClosed
	}
	errorsTotal.WithLabelValues(op).Inc()
	if ok, suppressed := r.warn.Allow(time.Now()); ok {
		r.log.LogAttrs(ctx, slog.LevelWarn, "rate limiter operation failed; carrying on without the limit",
			slog.String("op", op),
			slog.String("err", err.Error()),
			slog.Int("suppressed", suppressed))
	}
	return nil
}

// callerGaveUp returns ctx's error if ctx is done. A passed deadline counts
// even before ctx says so: go-redis puts the deadline on the socket, whose
// timeout may fire a moment before the context's own timer.
func callerGaveUp(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if deadline, ok := ctx.Deadline(); ok && !time.Now().Before(deadline) {
		return context.DeadlineExceeded
	}
	return nil
}

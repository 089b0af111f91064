package redisclient

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
)

// DefaultTimeout is the budget of one operation when Options.Timeout is
// zero: long enough for a healthy server on the same network, short enough
// that a sick one barely slows a request.
const DefaultTimeout = 250 * time.Millisecond

// warnInterval spaces out the warnings of one Conn.
const warnInterval = 10 * time.Second

// Options configures Dial.
type Options struct {
	// URL locates the server: redis://[[user]:password@]host[:port][/db] or
	// rediss:// for TLS. Timeouts given in its query are replaced by Timeout.
	URL string
	// Prefix is put before every key, e.g. "dp:", so that several
	// applications or environments can share one server, and replicas using
	// the same prefix share what they store.
	Prefix string
	// Timeout bounds each operation, dialling included; zero means
	// DefaultTimeout.
	Timeout time.Duration
	// Logger receives the warnings about failed operations; nil means
	// slog.Default().
	Logger *slog.Logger
}

// Failures says how a Conn reports the operations its server failed.
type Failures struct {
	// Counter counts them, labelled by operation name.
	Counter *prometheus.CounterVec
	// Warning is the log message, saying what the adapter does instead,
	// e.g. "cache operation failed; carrying on without the cache".
	Warning string
}

// Conn is a fail-fast client (see New) with the failure policy that the
// adapters share: each operation gets its own short budget, and a failure is
// counted and logged as a warning, at most one every few seconds, naming the
// operation and the error, never the key, which may be personal data.
type Conn struct {
	*redis.Client
	// Prefix is Options.Prefix, for the adapter to put before its keys.
	Prefix string

	timeout time.Duration
	log     *slog.Logger
	warn    *WarnLimiter
	fails   Failures
}

// Dial returns a Conn for opts. It fails only for a bad URL; it does not
// contact the server, so the process can start before the server does.
func Dial(opts Options, fails Failures) (*Conn, error) {
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.Default()
	}
	client, err := New(opts.URL, timeout)
	if err != nil {
		return nil, err
	}
	return &Conn{Client: client, Prefix: opts.Prefix, timeout: timeout, log: logger,
		warn: NewWarnLimiter(warnInterval), fails: fails}, nil
}

// Op returns the context of one operation: ctx bounded by the timeout.
func (c *Conn) Op(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, c.timeout)
}

// Failed deals with err, the failure of operation op run for a caller with
// ctx (the caller's context, not the operation's):
//   - if the caller stopped waiting, that says nothing about the server:
//     Failed returns ctx's error, and counts and logs nothing;
//   - if the Conn was closed meanwhile, it returns redis.ErrClosed;
//   - otherwise the server failed: Failed counts the failure, perhaps logs
//     it, and returns nil, so that the adapter carries on without it.
func (c *Conn) Failed(ctx context.Context, op string, err error) error {
	if cerr := callerGaveUp(ctx); cerr != nil {
		return cerr
	}
	if errors.Is(err, redis.ErrClosed) {
		return redis.ErrClosed
	}
	c.fails.Counter.WithLabelValues(op).Inc()
	if ok, suppressed := c.warn.Allow(time.Now()); ok {
		c.log.LogAttrs(ctx, slog.LevelWarn, c.fails.Warning,
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

// RouteLogs sends go-redis's own messages (dial failures and the like),
// which it writes to stderr through one process-wide logger, to logger at
// debug level: Conn already reports failures as rate-limited warnings and
// metrics, and plain-text lines would break JSON logs.
func RouteLogs(logger *slog.Logger) {
	redis.SetLogger(redisLogger{logger})
}

type redisLogger struct{ l *slog.Logger }

func (r redisLogger) Printf(ctx context.Context, format string, v ...any) {
	r.l.DebugContext(ctx, "go-redis: "+fmt.Sprintf(format, v...))
}

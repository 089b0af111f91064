// Package ratelimit decides whether an event keyed by client or account (a
// login, a registration, a token refresh, a password-reset mail) may go ahead
// or must wait, so that guessing passwords or flooding mailboxes stays slow.
//
// Limits follow the generic cell rate algorithm (GCRA): a key earns one event
// every Period/Rate and may save up to Burst of them, so a fresh key allows
// Burst events at once and then one per Period/Rate. Two implementations keep
// the same contract, checked by package ratelimittest: Memory, bounded and
// in-process, for a single instance or tests; and Redis, whose counts are
// shared by every replica that uses the same server and prefix.
//
// A limiter is a safeguard, not a source of truth. When its server is down or
// slow, Redis allows the event (it fails open), counts the failure in
// dharmaplans_ratelimit_errors_total and logs a warning, so that a dead cache
// never fails a request. Keys hold e-mail addresses and IP addresses, which
// are personal data: no implementation logs them or uses them as metric labels.
package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// Limit allows Rate events per Period with bursts up to Burst (Burst 0 means
// Rate). For example, Limit{Rate: 5, Period: time.Minute} allows five events
// at once, then one every twelve seconds; Limit{Rate: 5, Period: time.Minute,
// Burst: 1} allows only one at once, then one every twelve seconds.
type Limit struct {
	// Rate is how many events a key earns per Period; it must be positive.
	Rate int
	// Period is the time over which a key earns Rate events; it must be
	// positive.
	Period time.Duration
	// Burst is how many events a rested key may have at once; zero means
	// Rate, and it must not be negative.
	Burst int
}

// ErrInvalidLimit is wrapped by the error of Allow and Validate for a Limit
// that cannot be enforced: a bug or a bad setting, never a client's doing.
var ErrInvalidLimit = errors.New("ratelimit: invalid limit")

// ErrClosed is wrapped by the errors of a Limiter used after Close.
var ErrClosed = errors.New("ratelimit: limiter is closed")

// minInterval is the shortest time between two events a Limit may ask for,
// a thousand times Redis's clock error, so that both implementations count a
// limit alike. A thousand events a second is far beyond what a login needs.
const minInterval = time.Millisecond

// Validate returns nil if l can be enforced, and otherwise an error wrapping
// ErrInvalidLimit that says why. Allow checks its Limit the same way, so
// calling Validate on configured limits at start-up only reports a bad
// setting sooner.
func (l Limit) Validate() error {
	switch {
	case l.Rate <= 0:
		return fmt.Errorf("%w: rate %d is not positive", ErrInvalidLimit, l.Rate)
	case l.Period <= 0:
		return fmt.Errorf("%w: period %v is not positive", ErrInvalidLimit, l.Period)
	case l.Burst < 0:
		return fmt.Errorf("%w: burst %d is negative", ErrInvalidLimit, l.Burst)
	}
	interval := l.interval()
	if interval < minInterval {
		return fmt.Errorf("%w: %d events per %v are more than one per %v", ErrInvalidLimit, l.Rate, l.Period, minInterval)
	}
	if int64(l.burst()) > math.MaxInt64/int64(interval) {
		return fmt.Errorf("%w: a burst of %d events every %v overflows", ErrInvalidLimit, l.burst(), interval)
	}
	return nil
}

// interval is the time in which a key earns one event (GCRA's emission
// interval).
func (l Limit) interval() time.Duration {
	return l.Period / time.Duration(l.Rate)
}

// burst is Burst with its default applied.
func (l Limit) burst() int {
	if l.Burst == 0 {
		return l.Rate
	}
	return l.Burst
}

// Result is the decision on one event.
type Result struct {
	// Allowed says whether the event may go ahead.
	Allowed bool
	// Remaining is how many more events the key may have right now. It is
	// zero when the event was refused, and when the limiter failed open and
	// could not tell.
	Remaining int
	// RetryAfter is how long until the key's next event would be allowed:
	// positive when the event was refused, zero when it was allowed.
	RetryAfter time.Duration
}

// Limiter decides, per key, whether events may go ahead. Implementations are
// safe for concurrent use. A key is any string, such as "login:ip:203.0.113.7"
// or "reset:email:a@example.org"; callers give each kind of limit its own key
// space, because one key should be used with one Limit.
type Limiter interface {
	// Allow records one event for key under l and says whether it may go
	// ahead. A refused event is not recorded, so a client that keeps trying
	// is not pushed further back. Allow returns an error only for an invalid
	// l (ErrInvalidLimit), a closed limiter (ErrClosed) or a ctx that is done
	// before the decision is made; a backing server that is down or slow
	// allows the event instead.
	Allow(ctx context.Context, key string, l Limit) (Result, error)
	// Reset forgets key, so that its next event finds it fresh (e.g. after a
	// successful login clears an account's failures). Resetting an unknown
	// key does nothing. Like Allow, it returns an error only for a closed
	// limiter or a ctx that is done; if the backing server fails, the key
	// keeps its count until that runs out, and the failure is counted and
	// logged instead.
	Reset(ctx context.Context, key string) error
	// Close releases connections and background goroutines. Later calls of
	// Allow and Reset return ErrClosed.
	Close() error
}

// Operation labels of the errors counter.
const (
	opAllow = "allow"
	opReset = "reset"
)

// The counters are package-level because the default registry accepts a
// name only once: every limiter in the process shares them. Their labels
// take a few fixed values; keys are personal data and never become labels.
var (
	errorsTotal = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "dharmaplans_ratelimit_errors_total",
		Help: "Rate-limiter operations that failed because the server was down, slow or refused them, by operation (allow, reset); a failed allow lets the event through.",
	}, []string{"op"})

	refusedTotal = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "dharmaplans_ratelimit_refused_total",
		Help: "Events refused because their key was over its limit, by backend (memory, redis).",
	}, []string{"backend"})

	// Resolved once: Allow is on the path of every limited request.
	refusedMemory = refusedTotal.WithLabelValues("memory")
	refusedRedis  = refusedTotal.WithLabelValues("redis")
)

// usable returns the error owed to a caller of a closed limiter, or to one
// whose ctx is done before anything is decided. Memory never waits, but it
// checks ctx all the same so that both implementations answer alike.
func usable(ctx context.Context, closed *atomic.Bool) error {
	if closed.Load() {
		return ErrClosed
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("ratelimit: %w", err)
	}
	return nil
}

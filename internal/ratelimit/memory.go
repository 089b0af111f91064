package ratelimit

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/maypok86/otter/v2"
)

// Memory is a Limiter held in the process's own memory, for a single instance
// or tests. Its decisions match those of Redis (redis_rate's GCRA script),
// computed in whole nanoseconds rather than floating-point seconds.
//
// It remembers at most about maxKeys keys. A key is forgotten once it has
// rested long enough to be fresh again, and when the bound is reached the
// keys least likely to be used again are evicted (otter's W-TinyLFU): an
// evicted key starts afresh, so a flood of new keys can only make the limiter
// more lenient, never refuse a key that is within its limit.
type Memory struct {
	c      *otter.Cache[string, memoryEntry]
	now    func() time.Time
	closed atomic.Bool
}

// memoryEntry is a key's GCRA state: its theoretical arrival time, the
// moment by which the key will have earned back every event it has used.
// The ttl travels with it because otter asks for an entry's expiry only when
// it is written.
type memoryEntry struct {
	tat int64 // nanoseconds since the Unix epoch
	ttl time.Duration
}

var _ Limiter = (*Memory)(nil)

// MemoryOption changes how NewMemory builds a Memory.
type MemoryOption func(*Memory)

// WithClock makes a Memory read the time from now instead of time.Now (nil
// means time.Now), so tests can move time forward without sleeping. The
// clock also decides when rested keys are forgotten; they are then cleaned
// up as the limiter is used, without the background sweep of a real clock.
func WithClock(now func() time.Time) MemoryOption {
	return func(m *Memory) { m.now = now }
}

// NewMemory returns a Memory that remembers at most about maxKeys keys. It
// panics if maxKeys < 1, which is a programming error.
func NewMemory(maxKeys int, opts ...MemoryOption) *Memory {
	if maxKeys < 1 {
		panic(fmt.Sprintf("ratelimit: NewMemory needs maxKeys >= 1, got %d", maxKeys))
	}
	m := &Memory{}
	for _, opt := range opts {
		opt(m)
	}
	o := &otter.Options[string, memoryEntry]{
		MaximumSize: maxKeys,
		ExpiryCalculator: otter.ExpiryWritingFunc(func(e otter.Entry[string, memoryEntry]) time.Duration {
			return e.Value.ttl
		}),
	}
	if m.now == nil {
		m.now = time.Now
	} else {
		// Expiry must follow the same clock as the decisions, or a test
		// clock that lags real time would see keys forgotten too soon.
		o.Clock = otterClock(m.now)
	}
	m.c = otter.Must(o)
	return m
}

// Allow records one event for key under l and says whether it may go ahead.
func (m *Memory) Allow(ctx context.Context, key string, l Limit) (Result, error) {
	if err := usable(ctx, &m.closed); err != nil {
		return Result{}, err
	}
	if err := l.Validate(); err != nil {
		return Result{}, err
	}
	interval := int64(l.interval())
	burstOffset := interval * int64(l.burst())

	var res Result
	// Compute holds the key's lock while deciding, so that concurrent events
	// on one key are decided one after the other, as the Lua script is.
	m.c.Compute(key, func(e memoryEntry, found bool) (memoryEntry, otter.ComputeOp) {
		// The same steps as redis_rate's allowN script, with cost 1.
		now := m.now().UnixNano()
		tat := now
		if found {
			tat = max(e.tat, now)
		}
		newTAT := tat + interval
		diff := now - (newTAT - burstOffset)
		if diff < 0 {
			res = Result{RetryAfter: time.Duration(-diff)}
			return e, otter.CancelOp
		}
		res = Result{Allowed: true, Remaining: int(diff / interval)}
		return memoryEntry{tat: newTAT, ttl: time.Duration(newTAT - now)}, otter.WriteOp
	})
	if !res.Allowed {
		refusedMemory.Inc()
	}
	return res, nil
}

// Reset forgets key.
func (m *Memory) Reset(ctx context.Context, key string) error {
	if err := usable(ctx, &m.closed); err != nil {
		return err
	}
	m.c.Invalidate(key)
	return nil
}

// Close stops the background goroutine that forgets rested keys. It always
// returns nil.
func (m *Memory) Close() error {
	if m.closed.CompareAndSwap(false, true) {
		m.c.StopAllGoroutines()
	}
	return nil
}

// otterClock lets otter expire entries on a Memory's clock. It never ticks:
// a test clock has no business starting a sweep on its own.
type otterClock func() time.Time

func (c otterClock) NowNano() int64                      { return c().UnixNano() }
func (c otterClock) Tick(time.Duration) <-chan time.Time { return nil }

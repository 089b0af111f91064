package ratelimit_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/dharmaplans/dharmaplans/internal/ratelimit"
	"github.com/dharmaplans/dharmaplans/internal/ratelimit/ratelimittest"
)

func TestMemory(t *testing.T) {
	t.Parallel()
	ratelimittest.Run(t, func(t *testing.T) ratelimit.Limiter {
		return ratelimit.NewMemory(1000)
	})
}

func TestMemoryWithClock(t *testing.T) {
	t.Parallel()
	limit := ratelimit.Limit{Rate: 3, Period: time.Minute} // one event every 20s

	t.Run("RetryAfter is exactly the time until the next event is earned", func(t *testing.T) {
		t.Parallel()
		clock := newFakeClock()
		m := newMemory(t, 100, clock)
		for range 3 {
			allow(t, m, "k", limit)
		}
		if res := allow(t, m, "k", limit); res.Allowed || res.RetryAfter != 20*time.Second {
			t.Fatalf("fourth Allow = %+v; want refused with RetryAfter 20s", res)
		}
		clock.Advance(20*time.Second - time.Nanosecond)
		if res := allow(t, m, "k", limit); res.Allowed || res.RetryAfter != time.Nanosecond {
			t.Fatalf("Allow 1ns early = %+v; want refused with RetryAfter 1ns", res)
		}
		clock.Advance(time.Nanosecond)
		if res := allow(t, m, "k", limit); !res.Allowed || res.Remaining != 0 {
			t.Fatalf("Allow on time = %+v; want allowed with 0 remaining", res)
		}
		if res := allow(t, m, "k", limit); res.Allowed || res.RetryAfter != 20*time.Second {
			t.Fatalf("Allow after the earned event = %+v; want refused with RetryAfter 20s", res)
		}
	})

	t.Run("a key earns events back one interval at a time, up to its burst", func(t *testing.T) {
		t.Parallel()
		clock := newFakeClock()
		m := newMemory(t, 100, clock)
		for range 3 {
			allow(t, m, "k", limit)
		}
		clock.Advance(45 * time.Second) // two events earned, a quarter on the way
		if res := allow(t, m, "k", limit); !res.Allowed || res.Remaining != 1 {
			t.Fatalf("Allow = %+v; want allowed with 1 remaining", res)
		}
		clock.Advance(time.Hour) // far more than a full burst
		if res := allow(t, m, "k", limit); !res.Allowed || res.Remaining != 2 {
			t.Fatalf("Allow after an hour = %+v; want allowed with 2 remaining, no more than the burst", res)
		}
	})

	t.Run("a rested key is forgotten", func(t *testing.T) {
		t.Parallel()
		clock := newFakeClock()
		m := newMemory(t, 1000, clock)
		for i := range 100 {
			allow(t, m, fmt.Sprintf("key-%d", i), limit)
		}
		if n := m.Len(); n != 100 {
			t.Fatalf("Len = %d; want 100", n)
		}
		clock.Advance(20 * time.Second)
		if n := m.Len(); n != 0 {
			t.Fatalf("Len = %d once every key has rested; want 0", n)
		}
	})

	t.Run("a refusal is counted", func(t *testing.T) {
		t.Parallel()
		m := newMemory(t, 100, newFakeClock())
		for range 3 {
			allow(t, m, "k", limit)
		}
		refused := ratelimit.RefusedTotal.WithLabelValues("memory")
		before := testutil.ToFloat64(refused)
		allow(t, m, "k", limit)
		// Other tests refuse events too: check for growth, not a value.
		if got := testutil.ToFloat64(refused); got <= before {
			t.Fatalf("refused = %v, was %v; want an increase", got, before)
		}
	})
}

func TestMemoryBound(t *testing.T) {
	t.Parallel()

	t.Run("far more keys than the bound keep the size bounded", func(t *testing.T) {
		t.Parallel()
		const maxKeys = 100
		m := ratelimit.NewMemory(maxKeys)
		t.Cleanup(func() { m.Close() })
		for i := range 50 * maxKeys {
			allow(t, m, fmt.Sprintf("key-%d", i), ratelimit.Limit{Rate: 1, Period: time.Hour})
		}
		// Eviction may lag the writes by a little; an unbounded limiter
		// would never catch up.
		deadline := time.Now().Add(5 * time.Second)
		for m.Len() > maxKeys {
			if time.Now().After(deadline) {
				t.Fatalf("Len = %d after %d keys; want at most %d", m.Len(), 50*maxKeys, maxKeys)
			}
			time.Sleep(10 * time.Millisecond)
		}
	})

	t.Run("a bound below one is refused", func(t *testing.T) {
		t.Parallel()
		defer func() {
			if recover() == nil {
				t.Fatal("NewMemory(0) did not panic")
			}
		}()
		ratelimit.NewMemory(0)
	})
}

func BenchmarkMemoryAllow(b *testing.B) {
	limit := ratelimit.Limit{Rate: 5, Period: time.Minute}

	b.Run("one key", func(b *testing.B) {
		m := ratelimit.NewMemory(10_000)
		defer m.Close()
		for b.Loop() {
			if _, err := m.Allow(b.Context(), "login:email:a@example.org", limit); err != nil {
				b.Fatal(err)
			}
		}
	})

	b.Run("many keys in parallel", func(b *testing.B) {
		m := ratelimit.NewMemory(10_000)
		defer m.Close()
		keys := make([]string, 4096)
		for i := range keys {
			keys[i] = fmt.Sprintf("login:ip:192.0.2.%d:%d", i%256, i)
		}
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				if _, err := m.Allow(b.Context(), keys[i%len(keys)], limit); err != nil {
					b.Error(err)
					return
				}
				i++
			}
		})
	})
}

func newMemory(t *testing.T, maxKeys int, clock *fakeClock) *ratelimit.Memory {
	t.Helper()
	m := ratelimit.NewMemory(maxKeys, ratelimit.WithClock(clock.Now))
	t.Cleanup(func() { m.Close() })
	return m
}

func allow(t *testing.T, l ratelimit.Limiter, key string, limit ratelimit.Limit) ratelimit.Result {
	t.Helper()
	res, err := l.Allow(t.Context(), key, limit)
	if err != nil {
		t.Fatalf("Allow(%q): %v", key, err)
	}
	return res
}

// fakeClock is a time that moves only when told to.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 5, 1, 6, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

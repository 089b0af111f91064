// Package ratelimittest is the contract every ratelimit.Limiter keeps,
// written once as tests and run against each implementation, so that a
// limit behaves the same in one process and across replicas.
package ratelimittest

import (
	"context"
	"errors"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/ratelimit"
)

// slowLimit earns an event every twenty seconds: no test waits that long, so
// whatever it allows was allowed by the burst alone.
var slowLimit = ratelimit.Limit{Rate: 3, Period: time.Minute}

// slack is how much of a slow limit's interval a test may take between two
// events and still expect RetryAfter to be close to the whole interval.
const slack = 5 * time.Second

// Run runs the shared tests against the limiters newLimiter returns.
// newLimiter is called once per subtest, possibly from parallel subtests, and
// must return a limiter that sees none of the keys used through the others
// (a separate instance, or a unique key prefix on a shared server). Run
// closes each limiter when its subtest ends.
func Run(t *testing.T, newLimiter func(t *testing.T) ratelimit.Limiter) {
	t.Helper()
	setup := func(t *testing.T) ratelimit.Limiter {
		t.Helper()
		t.Parallel()
		l := newLimiter(t)
		t.Cleanup(func() {
			if err := l.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		})
		return l
	}

	t.Run("a fresh key allows its burst at once, counting down what remains", func(t *testing.T) {
		l := setup(t)
		for want := 2; want >= 0; want-- {
			res := wantAllowed(t, l, "k", slowLimit)
			if res.Remaining != want {
				t.Fatalf("Remaining = %d; want %d", res.Remaining, want)
			}
		}
	})

	t.Run("an event over the burst is refused until the next one is earned", func(t *testing.T) {
		l := setup(t)
		useBurst(t, l, "k", slowLimit)
		wantRefused(t, l, "k", slowLimit)
	})

	t.Run("a burst larger than the rate allows that many at once", func(t *testing.T) {
		l := setup(t)
		limit := ratelimit.Limit{Rate: 1, Period: time.Minute, Burst: 4}
		for want := 3; want >= 0; want-- {
			if res := wantAllowed(t, l, "k", limit); res.Remaining != want {
				t.Fatalf("Remaining = %d; want %d", res.Remaining, want)
			}
		}
		wantRefused(t, l, "k", limit)
	})

	t.Run("a burst of one spaces out every event", func(t *testing.T) {
		l := setup(t)
		limit := ratelimit.Limit{Rate: 10, Period: time.Minute, Burst: 1}
		if res := wantAllowed(t, l, "k", limit); res.Remaining != 0 {
			t.Fatalf("Remaining = %d; want 0", res.Remaining)
		}
		wantRefused(t, l, "k", limit)
	})

	t.Run("a refused event does not push the next one back", func(t *testing.T) {
		l := setup(t)
		useBurst(t, l, "k", slowLimit)
		first := wantRefused(t, l, "k", slowLimit)
		for range 5 {
			if again := wantRefused(t, l, "k", slowLimit); again.RetryAfter > first.RetryAfter {
				t.Fatalf("RetryAfter grew from %v to %v after refused events", first.RetryAfter, again.RetryAfter)
			}
		}
	})

	t.Run("after waiting RetryAfter the next event is allowed, and only that one", func(t *testing.T) {
		l := setup(t)
		// One event every 200ms: short enough to wait for, long enough
		// that a busy machine does not earn a second one by accident.
		limit := ratelimit.Limit{Rate: 2, Period: 400 * time.Millisecond}
		useBurst(t, l, "k", limit)
		res := wantRefused(t, l, "k", limit)
		time.Sleep(res.RetryAfter)
		wantAllowed(t, l, "k", limit)
		wantRefused(t, l, "k", limit)
	})

	t.Run("a key that rests a whole period has its full burst again", func(t *testing.T) {
		l := setup(t)
		limit := ratelimit.Limit{Rate: 2, Period: 200 * time.Millisecond}
		useBurst(t, l, "k", limit)
		time.Sleep(limit.Period)
		if res := wantAllowed(t, l, "k", limit); res.Remaining != 1 {
			t.Fatalf("Remaining = %d after resting; want 1", res.Remaining)
		}
	})

	t.Run("keys are limited independently", func(t *testing.T) {
		l := setup(t)
		useBurst(t, l, "a", slowLimit)
		wantRefused(t, l, "a", slowLimit)
		if res := wantAllowed(t, l, "b", slowLimit); res.Remaining != 2 {
			t.Fatalf("Remaining of b = %d after a used its burst; want 2", res.Remaining)
		}
	})

	t.Run("keys with unusual bytes are kept apart", func(t *testing.T) {
		l := setup(t)
		keys := []string{
			"", " ", "a b", "a:b", "rate:a", "a*", "?", "[x]", "ключ", "鍵",
			"\x00", "a\x00b", "\xff\xfe", "\r\n", `"quoted"`,
			"login:email:a@example.org", "login:ip:2001:db8::1",
			strings.Repeat("long", 250),
		}
		limit := ratelimit.Limit{Rate: 1, Period: time.Minute}
		for _, k := range keys {
			if _, err := l.Allow(t.Context(), k, limit); err != nil {
				t.Fatalf("Allow(%q): %v", k, err)
			}
		}
		for _, k := range keys {
			res, err := l.Allow(t.Context(), k, limit)
			if err != nil {
				t.Fatalf("Allow(%q): %v", k, err)
			}
			if res.Allowed {
				t.Fatalf("second Allow(%q) was allowed; another key's event must have been counted instead", k)
			}
		}
	})

	t.Run("reset makes a key fresh", func(t *testing.T) {
		l := setup(t)
		useBurst(t, l, "k", slowLimit)
		if err := l.Reset(t.Context(), "k"); err != nil {
			t.Fatalf("Reset: %v", err)
		}
		if res := wantAllowed(t, l, "k", slowLimit); res.Remaining != 2 {
			t.Fatalf("Remaining = %d after Reset; want 2", res.Remaining)
		}
	})

	t.Run("reset leaves other keys alone", func(t *testing.T) {
		l := setup(t)
		useBurst(t, l, "a", slowLimit)
		useBurst(t, l, "b", slowLimit)
		if err := l.Reset(t.Context(), "a"); err != nil {
			t.Fatalf("Reset: %v", err)
		}
		wantRefused(t, l, "b", slowLimit)
	})

	t.Run("resetting an unknown key does nothing", func(t *testing.T) {
		l := setup(t)
		if err := l.Reset(t.Context(), "unknown"); err != nil {
			t.Fatalf("Reset: %v", err)
		}
		if res := wantAllowed(t, l, "unknown", slowLimit); res.Remaining != 2 {
			t.Fatalf("Remaining = %d; want 2", res.Remaining)
		}
	})

	t.Run("an invalid limit is an error, not a panic", func(t *testing.T) {
		l := setup(t)
		for _, limit := range []ratelimit.Limit{
			{},
			{Rate: 0, Period: time.Minute},
			{Rate: -1, Period: time.Minute},
			{Rate: 1, Period: 0},
			{Rate: 1, Period: -time.Second},
			{Rate: 1, Period: time.Minute, Burst: -1},
			{Rate: 1001, Period: time.Second},
			{Rate: 1, Period: time.Hour, Burst: math.MaxInt32},
		} {
			res, err := l.Allow(t.Context(), "k", limit)
			if !errors.Is(err, ratelimit.ErrInvalidLimit) {
				t.Errorf("Allow with %+v = %+v, %v; want ErrInvalidLimit", limit, res, err)
			}
			if res.Allowed {
				t.Errorf("Allow with %+v allowed the event", limit)
			}
		}
	})

	t.Run("a done context is an error, not a decision", func(t *testing.T) {
		l := setup(t)
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		res, err := l.Allow(ctx, "k", slowLimit)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Allow = %+v, %v; want context.Canceled", res, err)
		}
		if res.Allowed {
			t.Error("Allow with a cancelled context allowed the event")
		}
		if err := l.Reset(ctx, "k"); !errors.Is(err, context.Canceled) {
			t.Errorf("Reset = %v; want context.Canceled", err)
		}
		// Nothing was recorded.
		if res := wantAllowed(t, l, "k", slowLimit); res.Remaining != 2 {
			t.Fatalf("Remaining = %d; want 2", res.Remaining)
		}
	})

	t.Run("a closed limiter says so", func(t *testing.T) {
		t.Parallel()
		l := newLimiter(t)
		if err := l.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
		if res, err := l.Allow(t.Context(), "k", slowLimit); !errors.Is(err, ratelimit.ErrClosed) || res.Allowed {
			t.Errorf("Allow after Close = %+v, %v; want ErrClosed", res, err)
		}
		if err := l.Reset(t.Context(), "k"); !errors.Is(err, ratelimit.ErrClosed) {
			t.Errorf("Reset after Close = %v; want ErrClosed", err)
		}
		if err := l.Close(); err != nil {
			t.Errorf("second Close: %v", err)
		}
	})

	t.Run("concurrent events on one key are allowed no more than its burst", func(t *testing.T) {
		l := setup(t)
		const goroutines, each = 32, 10
		var allowed atomic.Int64
		var wg sync.WaitGroup
		for range goroutines {
			wg.Go(func() {
				for range each {
					res, err := l.Allow(t.Context(), "shared", slowLimit)
					if err != nil {
						t.Errorf("Allow: %v", err)
						return
					}
					if res.Allowed {
						allowed.Add(1)
					}
				}
			})
		}
		wg.Wait()
		if got := allowed.Load(); got != 3 {
			t.Fatalf("%d of %d concurrent events were allowed; want the burst of 3", got, goroutines*each)
		}
	})
}

// useBurst spends every event a fresh key has under limit.
func useBurst(t *testing.T, l ratelimit.Limiter, key string, limit ratelimit.Limit) {
	t.Helper()
	burst := limit.Burst
	if burst == 0 {
		burst = limit.Rate
	}
	for range burst {
		wantAllowed(t, l, key, limit)
	}
}

func wantAllowed(t *testing.T, l ratelimit.Limiter, key string, limit ratelimit.Limit) ratelimit.Result {
	t.Helper()
	res, err := l.Allow(t.Context(), key, limit)
	if err != nil {
		t.Fatalf("Allow(%q): %v", key, err)
	}
	if !res.Allowed || res.RetryAfter != 0 {
		t.Fatalf("Allow(%q) = %+v; want the event allowed with no RetryAfter", key, res)
	}
	return res
}

// wantRefused checks that the next event of key is refused and that
// RetryAfter is at most the time in which limit earns one event, and close to
// it when that is long enough for slack to matter little.
func wantRefused(t *testing.T, l ratelimit.Limiter, key string, limit ratelimit.Limit) ratelimit.Result {
	t.Helper()
	interval := limit.Period / time.Duration(limit.Rate)
	res, err := l.Allow(t.Context(), key, limit)
	if err != nil {
		t.Fatalf("Allow(%q): %v", key, err)
	}
	if res.Allowed || res.Remaining != 0 {
		t.Fatalf("Allow(%q) = %+v; want the event refused with nothing remaining", key, res)
	}
	if res.RetryAfter <= 0 || res.RetryAfter > interval {
		t.Fatalf("RetryAfter = %v; want more than 0 and at most %v", res.RetryAfter, interval)
	}
	if interval > 2*slack && res.RetryAfter < interval-slack {
		t.Fatalf("RetryAfter = %v; want about %v", res.RetryAfter, interval)
	}
	return res
}

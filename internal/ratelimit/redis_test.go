package ratelimit_test

import (
	"context"
	"crypto/rand"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/redis/go-redis/v9"

	"github.com/dharmaplans/dharmaplans/internal/ratelimit"
	"github.com/dharmaplans/dharmaplans/internal/ratelimit/ratelimittest"
	"github.com/dharmaplans/dharmaplans/internal/testenv"
)

// warningText is what a failed operation logs.
const warningText = "rate limiter operation failed"

// personalKey looks like the keys callers use: its parts must never be logged.
const personalKey = "login:email:alice@example.org:ip:203.0.113.7"

func TestRedis(t *testing.T) {
	t.Parallel()
	url := testenv.RedisURL(t)
	ratelimittest.Run(t, func(t *testing.T) ratelimit.Limiter {
		return newRedis(t, ratelimit.RedisOptions{
			URL: url,
			// Tests share one server: a prefix of their own keeps their keys apart.
			Prefix: testPrefix(),
			// Generous, so that a loaded test machine does not fail open.
			Timeout: 5 * time.Second,
		})
	})
}

func TestRedisReplicas(t *testing.T) {
	t.Parallel()
	url := testenv.RedisURL(t)
	limit := ratelimit.Limit{Rate: 2, Period: time.Minute}

	t.Run("replicas with the same prefix share a key's count", func(t *testing.T) {
		t.Parallel()
		prefix := testPrefix()
		a := newRedis(t, ratelimit.RedisOptions{URL: url, Prefix: prefix, Timeout: 5 * time.Second})
		b := newRedis(t, ratelimit.RedisOptions{URL: url, Prefix: prefix, Timeout: 5 * time.Second})
		allow(t, a, "k", limit)
		allow(t, b, "k", limit)
		if res := allow(t, a, "k", limit); res.Allowed {
			t.Fatalf("third event through a = %+v; want refused after one event through each replica", res)
		}
		if err := b.Reset(t.Context(), "k"); err != nil {
			t.Fatalf("b.Reset: %v", err)
		}
		if res := allow(t, a, "k", limit); !res.Allowed || res.Remaining != 1 {
			t.Fatalf("a.Allow after b.Reset = %+v; want allowed with 1 remaining", res)
		}
	})

	t.Run("limiters with different prefixes count apart", func(t *testing.T) {
		t.Parallel()
		prefix := testPrefix()
		a := newRedis(t, ratelimit.RedisOptions{URL: url, Prefix: prefix + "a:", Timeout: 5 * time.Second})
		b := newRedis(t, ratelimit.RedisOptions{URL: url, Prefix: prefix + "b:", Timeout: 5 * time.Second})
		allow(t, a, "k", limit)
		allow(t, a, "k", limit)
		if res := allow(t, b, "k", limit); !res.Allowed || res.Remaining != 1 {
			t.Fatalf("b.Allow = %+v; want allowed with 1 remaining", res)
		}
	})

	t.Run("a key is stored as rate: and the prefix, and expires once rested", func(t *testing.T) {
		t.Parallel()
		prefix := testPrefix()
		l := newRedis(t, ratelimit.RedisOptions{URL: url, Prefix: prefix, Timeout: 5 * time.Second})
		allow(t, l, "k", limit)
		opts, err := redis.ParseURL(url)
		if err != nil {
			t.Fatalf("ParseURL: %v", err)
		}
		raw := redis.NewClient(opts)
		t.Cleanup(func() { raw.Close() })
		ttl, err := raw.TTL(t.Context(), "rate:"+prefix+"k").Result()
		if err != nil {
			t.Fatalf("TTL: %v", err)
		}
		// One event under 2 per minute rests after 30s; Redis rounds up to
		// whole seconds.
		if ttl <= 0 || ttl > 30*time.Second {
			t.Fatalf("TTL of %q = %v; want the key to exist and expire within 30s", "rate:"+prefix+"k", ttl)
		}
	})
}

func TestRedisUnreachable(t *testing.T) {
	t.Parallel()
	limit := ratelimit.Limit{Rate: 1, Period: time.Hour}

	t.Run("with nothing listening every event is allowed, and the failures are counted and logged once", func(t *testing.T) {
		t.Parallel()
		var logs testenv.Buffer
		l := newRedis(t, ratelimit.RedisOptions{
			URL:     "redis://" + testenv.DeadAddr(t),
			Timeout: 100 * time.Millisecond,
			Logger:  slog.New(slog.NewTextHandler(&logs, nil)),
		})
		allowErrors := testutil.ToFloat64(ratelimit.ErrorsTotal.WithLabelValues("allow"))
		resetErrors := testutil.ToFloat64(ratelimit.ErrorsTotal.WithLabelValues("reset"))

		// Far more events than the limit allows: a dead server limits nothing.
		for range 3 {
			if res := allow(t, l, personalKey, limit); !res.Allowed {
				t.Fatalf("Allow = %+v; want allowed while the server is down", res)
			}
		}
		if err := l.Reset(t.Context(), personalKey); err != nil {
			t.Errorf("Reset = %v; want nil while the server is down", err)
		}

		// Other tests may fail operations too, so the counters are checked
		// for growth, not for an exact value.
		if got := testutil.ToFloat64(ratelimit.ErrorsTotal.WithLabelValues("allow")); got < allowErrors+3 {
			t.Errorf("allow errors = %v, was %v; want an increase of at least 3", got, allowErrors)
		}
		if got := testutil.ToFloat64(ratelimit.ErrorsTotal.WithLabelValues("reset")); got <= resetErrors {
			t.Errorf("reset errors = %v, was %v; want an increase", got, resetErrors)
		}
		out := logs.String()
		if !strings.Contains(out, warningText) || !strings.Contains(out, "level=WARN") || !strings.Contains(out, "op=allow") {
			t.Errorf("log = %q; want a warning about the failed allow", out)
		}
		if n := strings.Count(out, warningText); n != 1 {
			t.Errorf("log has %d warnings; want 1 for a burst of failures:\n%s", n, out)
		}
		for _, part := range []string{"alice", "example.org", "203.0.113.7"} {
			if strings.Contains(out, part) {
				t.Errorf("log reveals %q from the key:\n%s", part, out)
			}
		}
	})

	t.Run("a server that never answers allows the event after the timeout", func(t *testing.T) {
		t.Parallel()
		var logs testenv.Buffer
		l := newRedis(t, ratelimit.RedisOptions{
			URL:     "redis://" + testenv.SilentAddr(t),
			Timeout: 100 * time.Millisecond,
			Logger:  slog.New(slog.NewTextHandler(&logs, nil)),
		})
		before := testutil.ToFloat64(ratelimit.ErrorsTotal.WithLabelValues("allow"))
		start := time.Now()
		if res := allow(t, l, personalKey, limit); !res.Allowed {
			t.Fatalf("Allow = %+v; want allowed while the server is silent", res)
		}
		if took := time.Since(start); took > 2*time.Second {
			t.Errorf("Allow took %v with a 100ms timeout", took)
		}
		if got := testutil.ToFloat64(ratelimit.ErrorsTotal.WithLabelValues("allow")); got <= before {
			t.Errorf("allow errors = %v, was %v; want an increase", got, before)
		}
		if !strings.Contains(logs.String(), warningText) {
			t.Errorf("log = %q; want a warning", logs.String())
		}
	})

	t.Run("an invalid limit is still an error", func(t *testing.T) {
		t.Parallel()
		l := newRedis(t, ratelimit.RedisOptions{URL: "redis://" + testenv.DeadAddr(t), Timeout: 100 * time.Millisecond})
		if res, err := l.Allow(t.Context(), "k", ratelimit.Limit{Rate: 0, Period: time.Minute}); !errors.Is(err, ratelimit.ErrInvalidLimit) || res.Allowed {
			t.Fatalf("Allow = %+v, %v; want ErrInvalidLimit", res, err)
		}
	})
}

// TestRedisCallerGaveUp is not parallel: it checks that the failure counter
// stays put, which only holds while no other test fails operations.
func TestRedisCallerGaveUp(t *testing.T) {
	t.Run("a caller deadline shorter than the timeout is an error but not a failure", func(t *testing.T) {
		var logs testenv.Buffer
		l := newRedis(t, ratelimit.RedisOptions{
			URL:     "redis://" + testenv.SilentAddr(t),
			Timeout: time.Minute,
			Logger:  slog.New(slog.NewTextHandler(&logs, nil)),
		})
		ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
		defer cancel()
		before := totalErrors()
		res, err := l.Allow(ctx, "k", ratelimit.Limit{Rate: 1, Period: time.Hour})
		if !errors.Is(err, context.DeadlineExceeded) || res.Allowed {
			t.Fatalf("Allow = %+v, %v; want context.DeadlineExceeded", res, err)
		}
		if err := l.Reset(ctx, "k"); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Reset = %v; want context.DeadlineExceeded", err)
		}
		if got := totalErrors(); got != before {
			t.Errorf("errors = %v, was %v; want no change", got, before)
		}
		if logs.Len() != 0 {
			t.Errorf("log = %q; want nothing", logs.String())
		}
	})
}

// The URL rules are redisclient's (tested there); NewRedis passes its
// errors on, named for the adapter and without the password.
func TestNewRedisRejectsBadURLs(t *testing.T) {
	t.Parallel()
	_, err := ratelimit.NewRedis(ratelimit.RedisOptions{URL: "redis://user:s3cret@host:bad/0"})
	if err == nil {
		t.Fatal("NewRedis succeeded; want an error")
	}
	if msg := err.Error(); !strings.HasPrefix(msg, "ratelimit: invalid redis URL") || strings.Contains(msg, "s3cret") {
		t.Fatalf("error %q: want it to start with %q and not reveal the password", msg, "ratelimit: invalid redis URL")
	}
}

func newRedis(t *testing.T, opts ratelimit.RedisOptions) *ratelimit.Redis {
	t.Helper()
	l, err := ratelimit.NewRedis(opts)
	if err != nil {
		t.Fatalf("NewRedis: %v", err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func testPrefix() string {
	return "ratelimittest:" + rand.Text() + ":"
}

func totalErrors() float64 {
	var n float64
	for _, op := range []string{"allow", "reset"} {
		n += testutil.ToFloat64(ratelimit.ErrorsTotal.WithLabelValues(op))
	}
	return n
}

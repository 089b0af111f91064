package cache_test

import (
	"context"
	"crypto/rand"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/dharmaplans/dharmaplans/internal/cache"
	"github.com/dharmaplans/dharmaplans/internal/cache/cachetest"
	"github.com/dharmaplans/dharmaplans/internal/testenv"
)

// warningText is what a failed operation logs.
const warningText = "cache operation failed"

func TestRedis(t *testing.T) {
	t.Parallel()
	url := testenv.RedisURL(t)
	cachetest.Run(t, func(t *testing.T) cache.Cache {
		c, err := cache.NewRedis(cache.RedisOptions{
			URL: url,
			// Tests share one server: a prefix of their own keeps their keys apart.
			Prefix: "cachetest:" + rand.Text() + ":",
			// Generous, so that a loaded test machine does not turn hits into misses.
			Timeout: 5 * time.Second,
		})
		if err != nil {
			t.Fatalf("NewRedis: %v", err)
		}
		return c
	})
}

func TestRedisPrefix(t *testing.T) {
	t.Parallel()
	url := testenv.RedisURL(t)

	t.Run("caches with different prefixes do not see each other's keys", func(t *testing.T) {
		t.Parallel()
		shared := "cachetest:" + rand.Text() + ":"
		a := newRedis(t, cache.RedisOptions{URL: url, Prefix: shared + "a:", Timeout: 5 * time.Second})
		b := newRedis(t, cache.RedisOptions{URL: url, Prefix: shared + "b:", Timeout: 5 * time.Second})
		a.Set(t.Context(), "k", []byte("from a"), time.Minute)
		if v, ok := b.Get(t.Context(), "k"); ok {
			t.Fatalf("b.Get(k) = %q, true; want a miss", v)
		}
		if v, ok := a.Get(t.Context(), "k"); !ok || string(v) != "from a" {
			t.Fatalf("a.Get(k) = %q, %v; want \"from a\", true", v, ok)
		}
	})
}

func TestRedisUnreachable(t *testing.T) {
	t.Parallel()

	t.Run("with nothing listening the cache starts, misses, does nothing and says so", func(t *testing.T) {
		t.Parallel()
		var logs testenv.Buffer
		c := newRedis(t, cache.RedisOptions{
			URL:     "redis://" + testenv.DeadAddr(t),
			Timeout: 100 * time.Millisecond,
			Logger:  slog.New(slog.NewTextHandler(&logs, nil)),
		})
		getErrors := testutil.ToFloat64(cache.ErrorsTotal.WithLabelValues("get"))
		setErrors := testutil.ToFloat64(cache.ErrorsTotal.WithLabelValues("set"))
		deleteErrors := testutil.ToFloat64(cache.ErrorsTotal.WithLabelValues("delete"))

		if v, ok := c.Get(t.Context(), "k"); ok {
			t.Errorf("Get = %q, true; want a miss", v)
		}
		c.Set(t.Context(), "k", []byte("v"), time.Minute)
		c.Delete(t.Context(), "k", "l")
		if err := c.Ping(t.Context()); err == nil {
			t.Error("Ping = nil; want an error")
		}

		// Other tests may fail operations too, so the counters are checked
		// for growth, not for an exact value.
		if got := testutil.ToFloat64(cache.ErrorsTotal.WithLabelValues("get")); got <= getErrors {
			t.Errorf("get errors = %v, was %v; want an increase", got, getErrors)
		}
		if got := testutil.ToFloat64(cache.ErrorsTotal.WithLabelValues("set")); got <= setErrors {
			t.Errorf("set errors = %v, was %v; want an increase", got, setErrors)
		}
		if got := testutil.ToFloat64(cache.ErrorsTotal.WithLabelValues("delete")); got <= deleteErrors {
			t.Errorf("delete errors = %v, was %v; want an increase", got, deleteErrors)
		}
		out := logs.String()
		if !strings.Contains(out, warningText) || !strings.Contains(out, "level=WARN") || !strings.Contains(out, "op=get") {
			t.Errorf("log = %q; want a warning about the failed get", out)
		}
		// Three failures in a row: the first is logged, the rest held back.
		if n := strings.Count(out, warningText); n != 1 {
			t.Errorf("log has %d warnings; want 1 for a burst of failures:\n%s", n, out)
		}
	})

	t.Run("a server that never answers makes get miss", func(t *testing.T) {
		t.Parallel()
		var logs testenv.Buffer
		c := newRedis(t, cache.RedisOptions{
			URL:     "redis://" + testenv.SilentAddr(t),
			Timeout: 100 * time.Millisecond,
			Logger:  slog.New(slog.NewTextHandler(&logs, nil)),
		})
		before := testutil.ToFloat64(cache.ErrorsTotal.WithLabelValues("get"))
		if v, ok := c.Get(t.Context(), "k"); ok {
			t.Fatalf("Get = %q, true; want a miss", v)
		}
		if got := testutil.ToFloat64(cache.ErrorsTotal.WithLabelValues("get")); got <= before {
			t.Errorf("get errors = %v, was %v; want an increase", got, before)
		}
		if !strings.Contains(logs.String(), warningText) {
			t.Errorf("log = %q; want a warning", logs.String())
		}
		if err := c.Ping(t.Context()); err == nil {
			t.Error("Ping = nil; want an error")
		}
	})
}

// TestRedisCallerGaveUp is not parallel: it checks that the failure counter
// stays put, which only holds while no other test fails operations.
func TestRedisCallerGaveUp(t *testing.T) {
	t.Run("a cancelled context is a miss but not a failure", func(t *testing.T) {
		var logs testenv.Buffer
		c := newRedis(t, cache.RedisOptions{
			URL:    "redis://" + testenv.SilentAddr(t),
			Logger: slog.New(slog.NewTextHandler(&logs, nil)),
		})
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		before := totalErrors()
		if v, ok := c.Get(ctx, "k"); ok {
			t.Fatalf("Get = %q, true; want a miss", v)
		}
		c.Set(ctx, "k", []byte("v"), time.Minute)
		c.Delete(ctx, "k")
		if got := totalErrors(); got != before {
			t.Errorf("errors = %v, was %v; want no change", got, before)
		}
		if logs.Len() != 0 {
			t.Errorf("log = %q; want nothing", logs.String())
		}
	})

	t.Run("a caller deadline shorter than the timeout is a miss but not a failure", func(t *testing.T) {
		var logs testenv.Buffer
		c := newRedis(t, cache.RedisOptions{
			URL:     "redis://" + testenv.SilentAddr(t),
			Timeout: time.Minute,
			Logger:  slog.New(slog.NewTextHandler(&logs, nil)),
		})
		ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
		defer cancel()
		before := totalErrors()
		if v, ok := c.Get(ctx, "k"); ok {
			t.Fatalf("Get = %q, true; want a miss", v)
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
	_, err := cache.NewRedis(cache.RedisOptions{URL: "redis://user:s3cret@host:bad/0"})
	if err == nil {
		t.Fatal("NewRedis succeeded; want an error")
	}
	if msg := err.Error(); !strings.HasPrefix(msg, "cache: invalid redis URL") || strings.Contains(msg, "s3cret") {
		t.Fatalf("error %q: want it to start with %q and not reveal the password", msg, "cache: invalid redis URL")
	}
}

func newRedis(t *testing.T, opts cache.RedisOptions) *cache.Redis {
	t.Helper()
	c, err := cache.NewRedis(opts)
	if err != nil {
		t.Fatalf("NewRedis: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func totalErrors() float64 {
	var n float64
	for _, op := range []string{"get", "set", "delete"} {
		n += testutil.ToFloat64(cache.ErrorsTotal.WithLabelValues(op))
	}
	return n
}

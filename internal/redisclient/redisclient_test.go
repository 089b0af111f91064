package redisclient_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/redisclient"
	"github.com/dharmaplans/dharmaplans/internal/testenv"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/redis/go-redis/v9"
)

func TestNewRejectsBadURLs(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, url, want string
	}{
		{"an empty URL", "", "empty"},
		{"a scheme other than redis", "http://x", `unsupported scheme "http"`},
		{"a port that is not a number", "redis://:bad port", `invalid port ":bad port"`},
		{"a database that is not a number", "redis://127.0.0.1:6379/zero", `invalid database number: "zero"`},
		{"no host", "redis:///0", "missing host"},
	} {
		t.Run("names the problem with "+tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := redisclient.New(tc.url, time.Second)
			if err == nil {
				c.Close()
				t.Fatalf("New(%q) succeeded; want an error", tc.url)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("New(%q) error = %q; want it to mention %q", tc.url, err, tc.want)
			}
		})
	}
	t.Run("does not repeat the password of a bad URL", func(t *testing.T) {
		t.Parallel()
		_, err := redisclient.New("redis://user:s3cret@host:bad/0", time.Second)
		if err == nil {
			t.Fatal("New succeeded; want an error")
		}
		if strings.Contains(err.Error(), "s3cret") {
			t.Fatalf("error %q reveals the password", err)
		}
	})
}

func TestWarnLimiterLetsOneWarningThroughPerInterval(t *testing.T) {
	w := redisclient.NewWarnLimiter(10 * time.Second)
	start := time.Date(2026, 11, 25, 6, 0, 0, 0, time.UTC)
	if ok, n := w.Allow(start); !ok || n != 0 {
		t.Fatalf("first warning: %v, %d; want it through with none held back", ok, n)
	}
	for i := 1; i <= 3; i++ {
		if ok, _ := w.Allow(start.Add(time.Duration(i) * time.Second)); ok {
			t.Fatalf("warning %d s later went through; want it held back", i)
		}
	}
	if ok, n := w.Allow(start.Add(10 * time.Second)); !ok || n != 3 {
		t.Fatalf("after the interval: %v, %d; want it through, saying 3 were held back", ok, n)
	}
}

func TestConnFailedTellsTheServerFromTheCaller(t *testing.T) {
	redisclient.RouteLogs(slog.New(slog.DiscardHandler)) // go-redis's own dial errors
	var logs testenv.Buffer
	counter := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "test_failures_total"}, []string{"op"})
	c, err := redisclient.Dial(redisclient.Options{
		URL:    "redis://" + testenv.DeadAddr(t),
		Logger: slog.New(slog.NewTextHandler(&logs, nil)),
	}, redisclient.Failures{Counter: counter, Warning: "carrying on without it"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	failed := func(ctx context.Context, op string) error {
		opCtx, cancel := c.Op(ctx)
		defer cancel()
		return c.Failed(ctx, op, c.Ping(opCtx).Err())
	}

	if err := failed(t.Context(), "ping"); err != nil {
		t.Fatalf("a dead server: Failed = %v; want nil, so the adapter carries on", err)
	}
	if err := failed(t.Context(), "ping"); err != nil {
		t.Fatal(err)
	}
	if n := testutil.ToFloat64(counter.WithLabelValues("ping")); n != 2 {
		t.Errorf("counted %v failures; want 2", n)
	}
	if n := strings.Count(logs.String(), "carrying on without it"); n != 1 {
		t.Errorf("logged %d warnings for 2 failures in a row; want 1:\n%s", n, logs.String())
	}

	done, cancel := context.WithCancel(t.Context())
	cancel()
	if err := failed(done, "ping"); !errors.Is(err, context.Canceled) {
		t.Errorf("a caller who gave up: Failed = %v; want context.Canceled", err)
	}
	c.Close()
	if err := failed(t.Context(), "ping"); !errors.Is(err, redis.ErrClosed) {
		t.Errorf("a closed Conn: Failed = %v; want redis.ErrClosed", err)
	}
	if n := testutil.ToFloat64(counter.WithLabelValues("ping")); n != 2 {
		t.Errorf("counted %v failures; want still 2: neither the caller nor Close is the server's fault", n)
	}
}

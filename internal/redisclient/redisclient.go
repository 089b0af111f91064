// Package redisclient makes the Redis-protocol clients of the adapters that
// may use Redis (the cache, the rate limiter): clients that fail fast, so a
// sick server costs a request a short, bounded time and the adapter can
// fall back (a cache miss, an allowed request) instead of making people wait.
package redisclient

import (
	"errors"
	"fmt"
	"net/url"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"
)

// New returns a client for rawURL (redis://[[user]:password@]host[:port][/db]
// or rediss:// for TLS) in which every step, dialling included, gives up
// after timeout. It does not contact the server. Its errors never repeat
// the URL, which may hold a password and end up in a log.
func New(rawURL string, timeout time.Duration) (*redis.Client, error) {
	ro, err := parse(rawURL)
	if err != nil {
		return nil, err
	}
	// go-redis defaults to seconds-long timeouts and several dial attempts;
	// one budget rules them all here, and the caller's context deadline
	// applies to socket reads and writes too.
	ro.DialTimeout = timeout
	ro.ReadTimeout = timeout
	ro.WriteTimeout = timeout
	ro.PoolTimeout = timeout
	ro.ContextTimeoutEnabled = true
	ro.DialerRetries = 1
	// No retries: falling back costs little, while retrying doubles the load
	// on a server that is already failing. go-redis checks pooled
	// connections before use, so one the server closed while idle is rarely
	// picked.
	ro.MaxRetries = -1
	// RESP2 needs no push-message handling and is spoken by every
	// Redis-protocol server (Redis, Dragonfly, Valkey).
	ro.Protocol = 2
	// CLIENT SETINFO and CLIENT MAINT_NOTIFICATIONS are Redis-only handshakes
	// that Dragonfly and proxies may reject; nothing here needs them.
	ro.DisableIdentity = true
	ro.MaintNotificationsConfig = &maintnotifications.Config{Mode: maintnotifications.ModeDisabled}
	return redis.NewClient(ro), nil
}

// parse checks raw before go-redis parses it, so that errors say what is
// wrong without quoting it.
func parse(raw string) (*redis.Options, error) {
	if raw == "" {
		return nil, errors.New("redis URL is empty")
	}
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("invalid redis URL: %v", err)
	}
	if u.Scheme != "redis" && u.Scheme != "rediss" {
		return nil, fmt.Errorf("invalid redis URL: unsupported scheme %q (want redis or rediss)", u.Scheme)
	}
	if u.Hostname() == "" {
		return nil, errors.New("invalid redis URL: missing host")
	}
	ro, err := redis.ParseURL(raw)
	if err != nil {
		return nil, fmt.Errorf("invalid redis URL: %w", err)
	}
	return ro, nil
}

// WarnLimiter spaces out the warnings about a failing server: when it is
// down every request fails, and one log line per request would bury the
// log. It lets one warning through per interval and counts the ones it
// holds back, so the next warning can say how many there were.
type WarnLimiter struct {
	interval time.Duration

	mu         sync.Mutex
	last       time.Time
	suppressed int
}

// NewWarnLimiter returns a WarnLimiter letting one warning through per
// interval.
func NewWarnLimiter(interval time.Duration) *WarnLimiter {
	return &WarnLimiter{interval: interval}
}

// Allow reports whether a warning may be logged at now and, if so, how many
// were held back since the last one.
func (w *WarnLimiter) Allow(now time.Time) (bool, int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.last.IsZero() && now.Sub(w.last) < w.interval {
		w.suppressed++
		return false, 0
	}
	n := w.suppressed
	w.last, w.suppressed = now, 0
	return true, n
}

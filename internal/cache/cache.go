// Package cache keeps short-lived byte values by key for the API server:
// search results, rate-limit windows and the like. It is an optimisation,
// never a source of truth, so its methods do not return errors for the data
// path: a cache that is down or slow behaves as an empty cache that forgets
// what it is told, while its failures are counted in Prometheus and logged.
//
// Two implementations share one contract, checked by package cachetest:
// Memory, bounded and in-process, for a single instance or tests; and Redis,
// for a Redis or Dragonfly server shared by several instances.
package cache

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// Cache stores short-lived byte values by key. Implementations are safe for
// concurrent use, copy values in and out so a caller can never change what
// another caller reads, and treat every failure of their backing store as a
// miss rather than an error.
type Cache interface {
	// Get returns a copy of the value stored under key and true on a hit.
	// A value that has expired and a cache that is down or slow are misses,
	// never errors. An empty value is a hit.
	Get(ctx context.Context, key string) ([]byte, bool)
	// Set stores a copy of value under key for ttl, replacing any earlier
	// value and its ttl. A ttl <= 0 means the value is already expired, so
	// the key is removed instead. Failures are logged and counted, not
	// returned: a later Get may simply miss.
	Set(ctx context.Context, key string, value []byte, ttl time.Duration)
	// Delete removes keys; absent keys are ignored. Failures are logged and
	// counted, not returned.
	Delete(ctx context.Context, keys ...string)
	// Ping reports whether the backing server answers, for readiness checks.
	// An in-process cache always answers nil.
	Ping(ctx context.Context) error
	// Close releases connections and background goroutines. The cache must
	// not be used afterwards.
	Close() error
}

// Operation labels of the errors counter.
const (
	opGet    = "get"
	opSet    = "set"
	opDelete = "delete"
)

// The counters are package-level because the default registry accepts a
// name only once: every cache in the process shares them, told apart by the
// backend label where that matters.
var (
	errorsTotal = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "dharmaplans_cache_errors_total",
		Help: "Cache operations that failed because the cache server was down, slow or refused them, by operation (get, set, delete).",
	}, []string{"op"})

	requestsTotal = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "dharmaplans_cache_requests_total",
		Help: "Cache lookups by backend (memory, redis) and result (hit, miss); failed lookups count as misses.",
	}, []string{"backend", "result"})
)

// countLookup records the outcome of one Get for the hit ratio.
func countLookup(backend string, hit bool) {
	result := "miss"
	if hit {
		result = "hit"
	}
	requestsTotal.WithLabelValues(backend, result).Inc()
}

// clone copies b so the cache and its callers never share a backing array.
// The copy of an empty value is non-nil, so a hit on an empty value still
// looks like a value to callers that test for nil.
func clone(b []byte) []byte {
	c := make([]byte, len(b))
	copy(c, b)
	return c
}

package cache

import (
	"context"
	"fmt"
	"time"

	"github.com/maypok86/otter/v2"
)

// Memory is a Cache held in the process's own memory, bounded by a number of
// entries (not bytes), each with its own ttl. Keep values small: a bound by
// count lets a few large values take a lot of memory.
//
// When full, it evicts the entries least likely to be read again (otter's
// W-TinyLFU), so the size may briefly exceed the bound while eviction catches
// up. Expired entries are never returned, even before they are cleaned up.
type Memory struct {
	c *otter.Cache[string, memoryEntry]
}

// memoryEntry keeps the ttl with the value because otter asks for the expiry
// of an entry only when it is written: the ttl must travel with the value.
type memoryEntry struct {
	value []byte
	ttl   time.Duration
}

var _ Cache = (*Memory)(nil)

// NewMemory returns an empty Memory that holds at most about maxEntries
// entries. It panics if maxEntries < 1, which is a programming error.
func NewMemory(maxEntries int) *Memory {
	if maxEntries < 1 {
		panic(fmt.Sprintf("cache: NewMemory needs maxEntries >= 1, got %d", maxEntries))
	}
	return &Memory{c: otter.Must(&otter.Options[string, memoryEntry]{
		MaximumSize: maxEntries,
		// Writing, not accessing: a value read often must still expire when
		// its ttl says, as it would in Redis.
		ExpiryCalculator: otter.ExpiryWritingFunc(func(e otter.Entry[string, memoryEntry]) time.Duration {
			return e.Value.ttl
		}),
	})}
}

// Get returns a copy of the value under key and true if it is present and
// has not expired.
func (m *Memory) Get(ctx context.Context, key string) ([]byte, bool) {
	e, ok := m.c.GetIfPresent(key)
	countLookup("memory", ok)
	if !ok {
		return nil, false
	}
	return clone(e.value), true
}

// Set stores a copy of value under key for ttl; a ttl <= 0 removes the key.
func (m *Memory) Set(ctx context.Context, key string, value []byte, ttl time.Duration) {
	if ttl <= 0 {
		m.c.Invalidate(key)
		return
	}
	m.c.Set(key, memoryEntry{value: clone(value), ttl: ttl})
}

// Delete removes keys.
func (m *Memory) Delete(ctx context.Context, keys ...string) {
	for _, k := range keys {
		m.c.Invalidate(k)
	}
}

// Ping always returns nil: there is no server to lose.
func (m *Memory) Ping(ctx context.Context) error { return nil }

// Close stops the background goroutine that removes expired entries. It
// always returns nil.
func (m *Memory) Close() error {
	m.c.StopAllGoroutines()
	return nil
}

// Len reports about how many entries the cache holds once pending evictions
// and removals of expired entries have run; it runs them first, so it costs
// more than a lookup. Meant for tests and gauges, not for the request path.
func (m *Memory) Len() int {
	m.c.CleanUp()
	return m.c.EstimatedSize()
}

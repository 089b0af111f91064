package cache_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/cache"
	"github.com/dharmaplans/dharmaplans/internal/cache/cachetest"
)

func TestMemory(t *testing.T) {
	t.Parallel()
	cachetest.Run(t, func(t *testing.T) cache.Cache {
		return cache.NewMemory(1000)
	})
}

func TestMemoryBound(t *testing.T) {
	t.Parallel()

	t.Run("inserting far more than the bound keeps the size bounded", func(t *testing.T) {
		t.Parallel()
		const maxEntries = 100
		m := cache.NewMemory(maxEntries)
		t.Cleanup(func() { m.Close() })
		for i := range 50 * maxEntries {
			m.Set(t.Context(), fmt.Sprintf("key-%d", i), []byte("v"), time.Minute)
		}
		// Eviction may lag the writes by a little, so wait for it to catch
		// up; an unbounded cache never would.
		deadline := time.Now().Add(5 * time.Second)
		for m.Len() > maxEntries {
			if time.Now().After(deadline) {
				t.Fatalf("Len() = %d after inserting %d keys; want at most %d", m.Len(), 50*maxEntries, maxEntries)
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
		cache.NewMemory(0)
	})
}

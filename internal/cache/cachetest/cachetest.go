// Package cachetest is the contract every cache.Cache implementation keeps,
// written once as tests and run against each of them.
package cachetest

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/cache"
)

// shortTTL is short enough to wait out in a test and long enough that a
// server's expiry resolution (one millisecond for Redis) does not matter.
const shortTTL = 100 * time.Millisecond

// longTTL outlives any test.
const longTTL = time.Minute

// expiryWait is how long a test waits for a short-lived value to go: far
// longer than shortTTL, so that a slow machine fails no test, while a value
// that never expires still fails it.
const expiryWait = 5 * time.Second

// Run runs the shared tests against the caches newCache returns. newCache is
// called once per subtest, possibly from parallel subtests, and must return a
// cache that sees none of the keys written through the others (a separate
// instance, or a unique key prefix on a shared server). Run closes each cache
// when its subtest ends.
func Run(t *testing.T, newCache func(t *testing.T) cache.Cache) {
	t.Helper()
	setup := func(t *testing.T) cache.Cache {
		t.Helper()
		t.Parallel()
		c := newCache(t)
		t.Cleanup(func() {
			if err := c.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		})
		return c
	}

	t.Run("an absent key is a miss", func(t *testing.T) {
		c := setup(t)
		if v, ok := c.Get(t.Context(), "absent"); ok {
			t.Fatalf("Get(absent) = %q, true; want a miss", v)
		}
	})

	t.Run("a value set is returned by get", func(t *testing.T) {
		c := setup(t)
		c.Set(t.Context(), "k", []byte("hello"), longTTL)
		wantHit(t, c, "k", "hello")
	})

	t.Run("changing the slice given to set leaves the cached value alone", func(t *testing.T) {
		c := setup(t)
		in := []byte("original")
		c.Set(t.Context(), "k", in, longTTL)
		copy(in, "XXXXXXXX")
		wantHit(t, c, "k", "original")
	})

	t.Run("changing a value returned by get leaves the cached value alone", func(t *testing.T) {
		c := setup(t)
		c.Set(t.Context(), "k", []byte("original"), longTTL)
		got, ok := c.Get(t.Context(), "k")
		if !ok {
			t.Fatal("Get(k) missed right after Set")
		}
		copy(got, "XXXXXXXX")
		wantHit(t, c, "k", "original")
	})

	t.Run("a value expires after its ttl while a longer-lived one stays", func(t *testing.T) {
		c := setup(t)
		c.Set(t.Context(), "short", []byte("v"), shortTTL)
		c.Set(t.Context(), "long", []byte("v"), longTTL)
		waitForMiss(t, c, "short")
		wantHit(t, c, "long", "v")
	})

	t.Run("setting a key again replaces its value", func(t *testing.T) {
		c := setup(t)
		c.Set(t.Context(), "k", []byte("first"), longTTL)
		c.Set(t.Context(), "k", []byte("second"), longTTL)
		wantHit(t, c, "k", "second")
	})

	t.Run("setting a key again replaces its ttl", func(t *testing.T) {
		c := setup(t)
		c.Set(t.Context(), "k", []byte("first"), longTTL)
		c.Set(t.Context(), "k", []byte("second"), shortTTL)
		waitForMiss(t, c, "k")
	})

	t.Run("a ttl of zero or less removes the key", func(t *testing.T) {
		c := setup(t)
		c.Set(t.Context(), "zero", []byte("v"), longTTL)
		c.Set(t.Context(), "zero", []byte("v"), 0)
		wantMiss(t, c, "zero")
		c.Set(t.Context(), "negative", []byte("v"), -time.Second)
		wantMiss(t, c, "negative")
	})

	t.Run("delete removes every key given and ignores absent ones", func(t *testing.T) {
		c := setup(t)
		for _, k := range []string{"a", "b", "c"} {
			c.Set(t.Context(), k, []byte(k), longTTL)
		}
		c.Delete(t.Context(), "a", "b", "absent")
		wantMiss(t, c, "a")
		wantMiss(t, c, "b")
		wantHit(t, c, "c", "c")
	})

	t.Run("delete with no keys does nothing", func(t *testing.T) {
		c := setup(t)
		c.Set(t.Context(), "k", []byte("v"), longTTL)
		c.Delete(t.Context())
		wantHit(t, c, "k", "v")
	})

	t.Run("keys with unusual bytes are kept apart", func(t *testing.T) {
		c := setup(t)
		keys := []string{
			"", " ", "a b", "a:b", "a*", "?", "[x]", "ключ", "鍵",
			"\x00", "a\x00b", "\xff\xfe", "\r\n", "\t", `"quoted"`,
			strings.Repeat("long", 250),
		}
		for i, k := range keys {
			c.Set(t.Context(), k, fmt.Appendf(nil, "value %d", i), longTTL)
		}
		for i, k := range keys {
			wantHit(t, c, k, fmt.Sprintf("value %d", i))
		}
	})

	t.Run("values keep every byte", func(t *testing.T) {
		c := setup(t)
		v := make([]byte, 256)
		for i := range v {
			v[i] = byte(i)
		}
		c.Set(t.Context(), "k", v, longTTL)
		wantHit(t, c, "k", string(v))
	})

	t.Run("an empty value is a hit", func(t *testing.T) {
		c := setup(t)
		c.Set(t.Context(), "empty", []byte{}, longTTL)
		c.Set(t.Context(), "nil", nil, longTTL)
		wantHit(t, c, "empty", "")
		wantHit(t, c, "nil", "")
	})

	t.Run("concurrent gets and sets see whole values", func(t *testing.T) {
		c := setup(t)
		values := []string{strings.Repeat("a", 100), strings.Repeat("b", 100)}
		var wg sync.WaitGroup
		for g := range 8 {
			wg.Go(func() {
				for i := range 50 {
					c.Set(t.Context(), "shared", []byte(values[(g+i)%2]), longTTL)
					if got, ok := c.Get(t.Context(), "shared"); ok && !bytes.Equal(got, []byte(values[0])) && !bytes.Equal(got, []byte(values[1])) {
						t.Errorf("Get(shared) = %q; want one of the values set", got)
						return
					}
				}
			})
		}
		wg.Wait()
	})

	t.Run("ping answers", func(t *testing.T) {
		c := setup(t)
		if err := c.Ping(t.Context()); err != nil {
			t.Fatalf("Ping: %v", err)
		}
	})
}

func wantHit(t *testing.T, c cache.Cache, key, want string) {
	t.Helper()
	got, ok := c.Get(t.Context(), key)
	if !ok {
		t.Fatalf("Get(%q) missed; want %q", key, want)
	}
	if string(got) != want {
		t.Fatalf("Get(%q) = %q; want %q", key, got, want)
	}
}

func wantMiss(t *testing.T, c cache.Cache, key string) {
	t.Helper()
	if got, ok := c.Get(t.Context(), key); ok {
		t.Fatalf("Get(%q) = %q, true; want a miss", key, got)
	}
}

// waitForMiss polls until key misses: expiry is checked for its outcome,
// never for how soon it happened.
func waitForMiss(t *testing.T, c cache.Cache, key string) {
	t.Helper()
	deadline := time.Now().Add(expiryWait)
	for {
		if _, ok := c.Get(t.Context(), key); !ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("Get(%q) still hits %v after a Set with ttl %v", key, expiryWait, shortTTL)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

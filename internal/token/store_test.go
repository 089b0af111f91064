package token_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/token"
)

// memStore is an in-memory token.KeyStore that counts its calls.
type memStore struct {
	mu    sync.Mutex
	keys  []token.Key
	calls map[string]int
}

func newMemStore() *memStore { return &memStore{calls: map[string]int{}} }

func (s *memStore) SigningKeys(ctx context.Context) ([]token.Key, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls["SigningKeys"]++
	out := make([]token.Key, len(s.keys))
	for n, k := range s.keys {
		out[n] = copyKey(k)
	}
	slices.SortFunc(out, func(a, b token.Key) int { return b.CreatedAt.Compare(a.CreatedAt) })
	return out, nil
}

func (s *memStore) AddSigningKey(ctx context.Context, k token.Key) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls["AddSigningKey"]++
	for _, old := range s.keys {
		if old.ID == k.ID {
			return fmt.Errorf("duplicate key %s", k.ID)
		}
	}
	s.keys = append(s.keys, copyKey(k))
	return nil
}

func (s *memStore) RetireSigningKey(ctx context.Context, id string, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls["RetireSigningKey"]++
	for n := range s.keys {
		if s.keys[n].ID == id {
			s.keys[n].RetiredAt = &at
			return nil
		}
	}
	return fmt.Errorf("no key %s", id)
}

func (s *memStore) DeleteSigningKey(ctx context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls["DeleteSigningKey"]++
	for n := range s.keys {
		if s.keys[n].ID == id {
			s.keys = slices.Delete(s.keys, n, n+1)
			return nil
		}
	}
	return fmt.Errorf("no key %s", id)
}

// Calls returns how many times the store's methods were called, by name.
func (s *memStore) Calls() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.calls)
}

// IDs returns the IDs of the stored keys.
func (s *memStore) IDs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []string
	for _, k := range s.keys {
		ids = append(ids, k.ID)
	}
	slices.Sort(ids)
	return ids
}

// Key returns the stored key with id.
func (s *memStore) Key(t testing.TB, id string) token.Key {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range s.keys {
		if k.ID == id {
			return copyKey(k)
		}
	}
	t.Fatalf("no stored key %s", id)
	return token.Key{}
}

func copyKey(k token.Key) token.Key {
	if k.RetiredAt != nil {
		at := *k.RetiredAt
		k.RetiredAt = &at
	}
	return k
}

// rendezvous holds each of n callers until all n have arrived.
type rendezvous struct{ wg sync.WaitGroup }

func newRendezvous(n int) *rendezvous {
	r := &rendezvous{}
	r.wg.Add(n)
	return r
}

func (r *rendezvous) arrive() {
	r.wg.Done()
	r.wg.Wait()
}

// lockstepStore is one replica's view of a shared memStore that makes the
// replicas' first reads, and then their inserts, happen together: the worst
// case of starting at once, where every replica finds no key and makes one.
type lockstepStore struct {
	*memStore
	firstRead, inserted *rendezvous
	mu                  sync.Mutex
	reads               int
}

func (s *lockstepStore) SigningKeys(ctx context.Context) ([]token.Key, error) {
	keys, err := s.memStore.SigningKeys(ctx)
	s.mu.Lock()
	s.reads++
	first := s.reads == 1
	s.mu.Unlock()
	if first {
		s.firstRead.arrive()
	}
	return keys, err
}

func (s *lockstepStore) AddSigningKey(ctx context.Context, k token.Key) error {
	err := s.memStore.AddSigningKey(ctx, k)
	s.inserted.arrive()
	return err
}

// clock is a settable clock for Options.Now.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Date(2026, 3, 1, 6, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

package sqlite_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/identity"
	"github.com/dharmaplans/dharmaplans/internal/store"
	"github.com/dharmaplans/dharmaplans/internal/store/sqlite"
)

func benchStore(b *testing.B) *store.Store {
	db, err := sqlite.Open(b.Context(), filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	m, err := store.NewMigrator(db, nil)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := m.Up(b.Context()); err != nil {
		b.Fatal(err)
	}
	return store.New(db)
}

func benchUser(i int) *identity.User {
	now := time.Now().UTC()
	return &identity.User{ID: identity.NewID(), Email: fmt.Sprintf("u%d@example.org", i), DisplayName: "U",
		Role: identity.RoleUser, Timezone: "UTC", Locale: "en", Theme: "system", CreatedAt: now, UpdatedAt: now}
}

// BenchmarkCreateUser measures one write through the single writer connection.
func BenchmarkCreateUser(b *testing.B) {
	s := benchStore(b)
	i := 0
	for b.Loop() {
		if err := s.CreateUser(b.Context(), benchUser(i)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkUserByIDParallel measures reads spread over the reader pool.
func BenchmarkUserByIDParallel(b *testing.B) {
	s := benchStore(b)
	u := benchUser(0)
	if err := s.CreateUser(b.Context(), u); err != nil {
		b.Fatal(err)
	}
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := s.UserByID(b.Context(), u.ID); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

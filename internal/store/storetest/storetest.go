// Package storetest is the store's conformance suite: one set of tests that
// every engine must pass, so SQLite and PostgreSQL behave the same.
//
// Each engine's package calls Run from a plain test with a constructor that
// returns a fresh, empty, migrated database of its own (a temporary file on
// SQLite, a schema of its own on PostgreSQL), so subtests run in parallel.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/identity"
	"github.com/dharmaplans/dharmaplans/internal/store"
)

// Open returns a fresh, empty database; Run migrates it.
type Open func(t *testing.T) *store.DB

// Run runs the conformance suite.
func Run(t *testing.T, open Open) {
	t.Run("migrations", func(t *testing.T) { t.Parallel(); testMigrations(t, open) })
	t.Run("users", func(t *testing.T) { t.Parallel(); testUsers(t, open) })
	t.Run("sessions", func(t *testing.T) { t.Parallel(); testSessions(t, open) })
	t.Run("concurrent writers all succeed", func(t *testing.T) { t.Parallel(); testConcurrentWrites(t, open) })
}

// bundle is what a test gets from setup.
type bundle struct {
	db    *store.DB
	store *store.Store
	ctx   context.Context
}

func setup(t *testing.T, open Open) bundle {
	t.Helper()
	db := open(t)
	t.Cleanup(func() { db.Close() })
	m, err := store.NewMigrator(db, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Up(t.Context()); err != nil {
		t.Fatal(err)
	}
	return bundle{db: db, store: store.New(db), ctx: t.Context()}
}

// now is a fixed instant with microsecond precision, the finest both engines keep.
var now = time.Date(2026, 11, 25, 6, 30, 0, 123456000, time.UTC)

func newUser(email string) *identity.User {
	return &identity.User{
		ID: identity.NewID(), Email: email, PasswordHash: "$argon2id$fake", DisplayName: "Ananda",
		Role: identity.RoleUser, Timezone: "Asia/Colombo", Locale: "si", CreatedAt: now, UpdatedAt: now,
	}
}

func wantCode(t *testing.T, err error, code errs.Code) {
	t.Helper()
	if errs.CodeOf(err) != code {
		t.Fatalf("error = %v, want code %s", err, code)
	}
}

func testMigrations(t *testing.T, open Open) {
	b := setup(t, open)
	m, err := store.NewMigrator(b.db, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("a second up applies nothing", func(t *testing.T) {
		applied, err := m.Up(b.ctx)
		if err != nil || len(applied) != 0 {
			t.Fatalf("Up again = %v, %v; want nothing applied", applied, err)
		}
	})
	t.Run("status lists every migration as applied", func(t *testing.T) {
		st, err := m.Status(b.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(st) == 0 || len(st) != len(m.Versions()) {
			t.Fatalf("status has %d migrations, embedded %d", len(st), len(m.Versions()))
		}
		for _, s := range st {
			if !s.Applied {
				t.Errorf("migration %d %s not applied", s.Version, s.Name)
			}
		}
	})
	t.Run("down then up restores the schema", func(t *testing.T) {
		last := m.Versions()[len(m.Versions())-1]
		down, err := m.Down(b.ctx)
		if err != nil || down.Version != last {
			t.Fatalf("Down = %+v, %v; want version %d", down, err, last)
		}
		applied, err := m.Up(b.ctx)
		if err != nil || len(applied) != 1 {
			t.Fatalf("Up after Down = %v, %v", applied, err)
		}
		if err := b.store.CreateUser(b.ctx, newUser("after-down@example.org")); err != nil {
			t.Fatalf("schema unusable after down/up: %v", err)
		}
	})
}

func testUsers(t *testing.T, open Open) {
	b := setup(t, open)
	u := newUser("tara@example.org")
	disabled := now.Add(time.Hour)
	u.DisabledAt = &disabled
	if err := b.store.CreateUser(b.ctx, u); err != nil {
		t.Fatal(err)
	}

	t.Run("a stored user reads back the same, times in UTC", func(t *testing.T) {
		got, err := b.store.UserByID(b.ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Email != u.Email || got.DisplayName != u.DisplayName || got.Role != u.Role ||
			got.Timezone != u.Timezone || got.Locale != u.Locale || got.PasswordHash != u.PasswordHash {
			t.Errorf("got %+v, want %+v", got, u)
		}
		if !got.CreatedAt.Equal(now) || got.CreatedAt.Location() != time.UTC {
			t.Errorf("created_at = %v, want %v in UTC", got.CreatedAt, now)
		}
		if got.DisabledAt == nil || !got.DisabledAt.Equal(disabled) {
			t.Errorf("disabled_at = %v, want %v", got.DisabledAt, disabled)
		}
		byEmail, err := b.store.UserByEmail(b.ctx, "tara@example.org")
		if err != nil || byEmail.ID != u.ID {
			t.Errorf("UserByEmail = %v, %v", byEmail, err)
		}
	})
	t.Run("a local time is stored as the same instant", func(t *testing.T) {
		colombo := time.FixedZone("+0530", 5*3600+1800)
		v := newUser("local@example.org")
		v.CreatedAt = now.In(colombo)
		if err := b.store.CreateUser(b.ctx, v); err != nil {
			t.Fatal(err)
		}
		got, err := b.store.UserByID(b.ctx, v.ID)
		if err != nil || !got.CreatedAt.Equal(now) {
			t.Fatalf("created_at = %v, %v; want %v", got.CreatedAt, err, now)
		}
	})
	t.Run("an unknown user is not found, by name", func(t *testing.T) {
		_, err := b.store.UserByID(b.ctx, identity.NewID())
		wantCode(t, err, errs.NotFound)
		var e *errs.Error
		if !errors.As(err, &e) || e.Message != "user not found" {
			t.Errorf("message = %q, want %q", e.Message, "user not found")
		}
		_, err = b.store.UserByEmail(b.ctx, "nobody@example.org")
		wantCode(t, err, errs.NotFound)
	})
	t.Run("a second account with the same email is a conflict", func(t *testing.T) {
		err := b.store.CreateUser(b.ctx, newUser("tara@example.org"))
		wantCode(t, err, errs.Conflict)
	})
	t.Run("an unknown role is invalid", func(t *testing.T) {
		v := newUser("guru@example.org")
		v.Role = "guru"
		wantCode(t, b.store.CreateUser(b.ctx, v), errs.Invalid)
	})
}

func testSessions(t *testing.T, open Open) {
	b := setup(t, open)
	u := newUser("sessions@example.org")
	if err := b.store.CreateUser(b.ctx, u); err != nil {
		t.Fatal(err)
	}
	mk := func(expires time.Time) *identity.Session {
		s := &identity.Session{ID: identity.NewID(), UserID: u.ID, UserAgent: "Firefox on Linux",
			CreatedAt: now, LastUsedAt: now, ExpiresAt: expires}
		if err := b.store.CreateSession(b.ctx, s); err != nil {
			t.Fatal(err)
		}
		return s
	}

	t.Run("a session for an unknown user is invalid", func(t *testing.T) {
		s := &identity.Session{ID: identity.NewID(), UserID: identity.NewID(), CreatedAt: now, LastUsedAt: now, ExpiresAt: now}
		wantCode(t, b.store.CreateSession(b.ctx, s), errs.Invalid)
	})
	t.Run("pruning removes expired sessions and keeps live ones", func(t *testing.T) {
		long := mk(now.Add(-48 * time.Hour))
		just := mk(now.Add(-time.Microsecond))
		live := mk(now.Add(time.Hour))
		edge := mk(now) // expires exactly now: not yet before now

		svc := identity.NewService(b.store, func() time.Time { return now }, discard())
		if err := svc.PruneExpiredSessions(b.ctx); err != nil {
			t.Fatal(err)
		}
		for _, gone := range []*identity.Session{long, just} {
			_, err := b.store.SessionByID(b.ctx, gone.ID)
			wantCode(t, err, errs.NotFound)
		}
		for _, kept := range []*identity.Session{live, edge} {
			got, err := b.store.SessionByID(b.ctx, kept.ID)
			if err != nil {
				t.Fatalf("live session pruned: %v", err)
			}
			if got.UserAgent != "Firefox on Linux" || !got.ExpiresAt.Equal(kept.ExpiresAt) {
				t.Errorf("session read back as %+v", got)
			}
		}
		n, err := b.store.DeleteSessionsExpiredBefore(b.ctx, now)
		if err != nil || n != 0 {
			t.Errorf("second prune removed %d, %v; want 0", n, err)
		}
	})
}

func testConcurrentWrites(t *testing.T, open Open) {
	b := setup(t, open)
	const writers = 24
	var wg sync.WaitGroup
	errc := make(chan error, writers)
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			u := newUser(fmt.Sprintf("writer%d@example.org", i))
			if err := b.store.CreateUser(b.ctx, u); err != nil {
				errc <- err
				return
			}
			if _, err := b.store.UserByID(b.ctx, u.ID); err != nil {
				errc <- fmt.Errorf("read own write: %w", err)
			}
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Error(err)
	}
}

// Package storetest is the store's conformance suite: one set of tests that
// every engine must pass, so SQLite and PostgreSQL behave the same.
//
// Each engine's package calls Run from a plain test with a constructor that
// returns a fresh, empty database of its own (a temporary file on SQLite, a
// schema of its own on PostgreSQL). Every scenario migrates a database of
// its own, so scenarios run in parallel and never see each other's rows.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/identity"
	"github.com/dharmaplans/dharmaplans/internal/store"
)

// Open returns a fresh, empty database; the suite migrates it.
type Open func(t *testing.T) *store.DB

// Run runs the conformance suite.
func Run(t *testing.T, open Open) {
	t.Run("migrations", func(t *testing.T) { t.Parallel(); testMigrations(t, open) })
	t.Run("concurrent writers all succeed", func(t *testing.T) { t.Parallel(); testConcurrentWrites(t, open) })
	t.Run("users", func(t *testing.T) { t.Parallel(); testUsers(t, open) })
	t.Run("user search", func(t *testing.T) { t.Parallel(); testUserSearch(t, open) })
	t.Run("sessions", func(t *testing.T) { t.Parallel(); testSessions(t, open) })
	t.Run("refresh tokens", func(t *testing.T) { t.Parallel(); testRefreshTokens(t, open) })
	t.Run("email tokens", func(t *testing.T) { t.Parallel(); testEmailTokens(t, open) })
	t.Run("signing keys", func(t *testing.T) { t.Parallel(); testSigningKeys(t, open) })
	t.Run("authors", func(t *testing.T) { t.Parallel(); testAuthors(t, open) })
	t.Run("author list", func(t *testing.T) { t.Parallel(); testAuthorList(t, open) })
	t.Run("plans", func(t *testing.T) { t.Parallel(); testPlans(t, open) })
	t.Run("plan revisions", func(t *testing.T) { t.Parallel(); testSaveRevision(t, open) })
	t.Run("plan states", func(t *testing.T) { t.Parallel(); testChangeState(t, open) })
	t.Run("published catalogue", func(t *testing.T) { t.Parallel(); testListPublished(t, open) })
	t.Run("studio list", func(t *testing.T) { t.Parallel(); testListStudio(t, open) })
	t.Run("search", func(t *testing.T) { t.Parallel(); testSearch(t, open) })
	t.Run("enrollments", func(t *testing.T) { t.Parallel(); testEnrollments(t, open) })
	t.Run("enrollment list", func(t *testing.T) { t.Parallel(); testListEnrollments(t, open) })
	t.Run("completions", func(t *testing.T) { t.Parallel(); testCompletions(t, open) })
	t.Run("practice days", func(t *testing.T) { t.Parallel(); testPracticeDays(t, open) })
	t.Run("practice profiles", func(t *testing.T) { t.Parallel(); testPracticeProfiles(t, open) })
	t.Run("sync receipts", func(t *testing.T) { t.Parallel(); testReceipts(t, open) })
	t.Run("practice sessions", func(t *testing.T) { t.Parallel(); testPracticeSessions(t, open) })
	t.Run("journal", func(t *testing.T) { t.Parallel(); testJournal(t, open) })
	t.Run("practice events", func(t *testing.T) { t.Parallel(); testPracticeEvents(t, open) })
	t.Run("listening positions", func(t *testing.T) { t.Parallel(); testListeningPositions(t, open) })
	t.Run("practice export and erasure", func(t *testing.T) { t.Parallel(); testPracticeExport(t, open) })
	t.Run("concurrent writes for one person take turns", func(t *testing.T) { t.Parallel(); testConcurrentPractice(t, open) })
	t.Run("media", func(t *testing.T) { t.Parallel(); testMedia(t, open) })
	t.Run("recommendations", func(t *testing.T) { t.Parallel(); testRecommendations(t, open) })
	t.Run("system settings", func(t *testing.T) { t.Parallel(); testSettings(t, open) })
	t.Run("invitations", func(t *testing.T) { t.Parallel(); testInvites(t, open) })
	t.Run("audit log", func(t *testing.T) { t.Parallel(); testAudit(t, open) })
	t.Run("dashboard numbers", func(t *testing.T) { t.Parallel(); testAnalytics(t, open) })
}

// bundle is what a scenario gets from setup.
type bundle struct {
	db    *store.DB
	store *store.Store
	ctx   context.Context
}

// setup opens and migrates a database for t alone.
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

// scenario runs fn as a parallel subtest of t on a database of its own.
func scenario(t *testing.T, open Open, name string, fn func(t *testing.T, b bundle)) {
	t.Helper()
	t.Run(name, func(t *testing.T) {
		t.Parallel()
		fn(t, setup(t, open))
	})
}

// now is a fixed instant with microsecond precision, the finest both engines keep.
var now = time.Date(2026, 11, 25, 6, 30, 0, 123456000, time.UTC)

// colombo is a zone away from UTC, to show that times come back in UTC.
var colombo = time.FixedZone("+0530", 5*3600+1800)

func ptr(t time.Time) *time.Time { return &t }

// newUser returns a user with every required field set and no optional one.
func newUser(email string) *identity.User {
	return &identity.User{
		ID: identity.NewID(), Email: email, PasswordHash: "$argon2id$fake", DisplayName: "Ananda",
		Role: identity.RoleUser, Timezone: "Asia/Colombo", Locale: "si", Theme: "system",
		CreatedAt: now, UpdatedAt: now,
	}
}

// addUser stores a new user with email.
func (b bundle) addUser(t *testing.T, email string) *identity.User {
	t.Helper()
	u := newUser(email)
	if err := b.store.CreateUser(b.ctx, u); err != nil {
		t.Fatalf("CreateUser(%s): %v", email, err)
	}
	return u
}

// newSession returns a session of userID, last used now, ending in a month.
func newSession(userID string) *identity.Session {
	return &identity.Session{
		ID: identity.NewID(), UserID: userID, UserAgent: "Firefox on Linux",
		CreatedAt: now, LastUsedAt: now, ExpiresAt: now.Add(30 * 24 * time.Hour),
	}
}

// addSession stores s with its first refresh token, refreshHash.
func (b bundle) addSession(t *testing.T, s *identity.Session, refreshHash string) *identity.Session {
	t.Helper()
	if err := b.store.CreateSession(b.ctx, s, refreshHash); err != nil {
		t.Fatalf("CreateSession: %v", err)
	}
	return s
}

// count counts the rows of table whose key column equals key, for effects
// no store method can observe (such as an expired token being deleted).
func (b bundle) count(t *testing.T, table, column, key string) int {
	t.Helper()
	var n int
	q := fmt.Sprintf("SELECT count(*) FROM %s WHERE %s = $1", table, column)
	if err := b.db.Read.QueryRowContext(b.ctx, q, key).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

func wantCode(t *testing.T, err error, code errs.Code) {
	t.Helper()
	if errs.CodeOf(err) != code {
		t.Fatalf("error = %v, want code %s", err, code)
	}
}

// wantSame fails t for every field in which the structs got and want (or
// pointers to them) differ. Times compare as instants and must come back
// in UTC.
func wantSame(t *testing.T, what string, got, want any) {
	t.Helper()
	g, w := reflect.ValueOf(got), reflect.ValueOf(want)
	if g.Kind() == reflect.Pointer {
		if g.IsNil() {
			t.Fatalf("%s: got nil", what)
		}
		g, w = g.Elem(), w.Elem()
	}
	for i := range g.NumField() {
		if d := diffValue(g.Field(i).Interface(), w.Field(i).Interface()); d != "" {
			t.Errorf("%s: %s: %s", what, g.Type().Field(i).Name, d)
		}
	}
}

func diffValue(got, want any) string {
	switch g := got.(type) {
	case time.Time:
		return diffTime(g, want.(time.Time))
	case *time.Time:
		w := want.(*time.Time)
		switch {
		case g == nil && w == nil:
			return ""
		case g == nil:
			return fmt.Sprintf("got nil, want %v", *w)
		case w == nil:
			return fmt.Sprintf("got %v, want nil", *g)
		}
		return diffTime(*g, *w)
	}
	if !reflect.DeepEqual(got, want) {
		return fmt.Sprintf("got %#v, want %#v", got, want)
	}
	return ""
}

func diffTime(got, want time.Time) string {
	switch {
	case !got.Equal(want):
		return fmt.Sprintf("got %v, want %v", got, want)
	case got.Location() != time.UTC:
		return fmt.Sprintf("got %v, want it in UTC", got)
	}
	return ""
}

func testMigrations(t *testing.T, open Open) {
	b := setup(t, open)
	m, err := store.NewMigrator(b.db, nil)
	if err != nil {
		t.Fatal(err)
	}
	// These steps build on each other, so they run in order on one database.
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
		u := b.addUser(t, "after-down@example.org")
		b.addSession(t, newSession(u.ID), "after-down-refresh")
	})
}

func testConcurrentWrites(t *testing.T, open Open) {
	b := setup(t, open)
	const writers = 24
	var wg sync.WaitGroup
	errc := make(chan error, writers)
	for i := range writers {
		wg.Go(func() {
			u := newUser(fmt.Sprintf("writer%d@example.org", i))
			if err := b.store.CreateUser(b.ctx, u); err != nil {
				errc <- err
				return
			}
			if _, err := b.store.UserByID(b.ctx, u.ID); err != nil {
				errc <- fmt.Errorf("read own write: %w", err)
			}
		})
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Error(err)
	}
}

// wantMessage checks the client-safe message of err.
func wantMessage(t *testing.T, err error, msg string) {
	t.Helper()
	var e *errs.Error
	if !errors.As(err, &e) || e.Message != msg {
		t.Errorf("error = %v, want message %q", err, msg)
	}
}

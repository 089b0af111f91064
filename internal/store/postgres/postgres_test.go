package postgres_test

import (
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/store"
	"github.com/dharmaplans/dharmaplans/internal/store/postgres"
	"github.com/dharmaplans/dharmaplans/internal/store/storetest"
	"github.com/dharmaplans/dharmaplans/internal/testenv"
)

func open(t *testing.T) *store.DB {
	db, err := postgres.Open(t.Context(), testenv.PostgresSchemaURL(t), postgres.Options{MaxConns: 8})
	if err != nil {
		t.Fatal(err)
	}
	return db.DB
}

func TestConformance(t *testing.T) { storetest.Run(t, open) }

func TestOpenGivesUpOnAnUnreachableServer(t *testing.T) {
	url := "postgres://postgres:s3cret@" + testenv.DeadAddr(t) + "/postgres?sslmode=disable&connect_timeout=1"
	_, err := postgres.Open(t.Context(), url, postgres.Options{ConnectTimeout: 1500 * time.Millisecond})
	if err == nil {
		t.Fatal("Open succeeded against an address where nothing listens")
	}
	msg := err.Error()
	if !strings.Contains(msg, "cannot reach") || !strings.Contains(msg, "attempt") {
		t.Errorf("error %q does not say it retried and gave up", msg)
	}
	if strings.Contains(msg, "s3cret") {
		t.Errorf("error %q leaks the password", msg)
	}
}

func TestOpenRejectsAMalformedURL(t *testing.T) {
	_, err := postgres.Open(t.Context(), "postgres://%zz", postgres.Options{})
	if err == nil || !strings.HasPrefix(err.Error(), "DATABASE_URL:") {
		t.Fatalf("error = %v, want one naming DATABASE_URL", err)
	}
}

// Replicas starting together all run migrations; the per-schema lock makes
// them take turns, so each migration is applied exactly once and none fails.
func TestReplicasMigratingTogetherApplyEachMigrationOnce(t *testing.T) {
	url := testenv.PostgresSchemaURL(t)
	const replicas = 3
	results := make(chan int, replicas)
	errc := make(chan error, replicas)
	for range replicas {
		go func() {
			db, err := postgres.Open(t.Context(), url, postgres.Options{})
			if err != nil {
				errc <- err
				return
			}
			defer db.Close()
			m, err := store.NewMigrator(db.DB, nil)
			if err != nil {
				errc <- err
				return
			}
			applied, err := m.Up(t.Context())
			if err != nil {
				errc <- err
				return
			}
			results <- len(applied)
		}()
	}
	total := 0
	for range replicas {
		select {
		case err := <-errc:
			t.Fatalf("a replica failed to migrate: %v", err)
		case n := <-results:
			total += n
		}
	}
	db, err := postgres.Open(t.Context(), url, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	m, _ := store.NewMigrator(db.DB, nil)
	if want := len(m.Versions()); total != want {
		t.Errorf("replicas applied %d migrations in all, want each of %d once", total, want)
	}
}

// Search statements run on sessions that never choose a sequential scan
// (which would read every plan's document) and plan each query for its
// own words; the rest of the application's sessions are as configured.
func TestSearchSessionsNeverScanTheDocuments(t *testing.T) {
	db, err := postgres.Open(t.Context(), testenv.PostgresSchemaURL(t), postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, c := range []struct {
		name string
		db   *sql.DB
		want string
	}{{"search", db.Search, "off force_custom_plan"}, {"read", db.Read, "on auto"}} {
		var seq, plans string
		if err := c.db.QueryRowContext(t.Context(), `SELECT current_setting('enable_seqscan'), current_setting('plan_cache_mode')`).Scan(&seq, &plans); err != nil {
			t.Fatal(err)
		}
		if got := seq + " " + plans; got != c.want {
			t.Errorf("%s sessions: enable_seqscan and plan_cache_mode %q, want %q", c.name, got, c.want)
		}
	}
}

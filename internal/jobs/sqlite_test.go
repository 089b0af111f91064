package jobs_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/dharmaplans/dharmaplans/internal/jobs"
)

func TestSQLite(t *testing.T) {
	t.Parallel()
	runSuite(t, newSQLiteEngine)

	t.Run("a pool of more than one connection is refused", func(t *testing.T) {
		t.Parallel()
		db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "db.sqlite"))
		if err != nil {
			t.Fatalf("open SQLite: %v", err)
		}
		t.Cleanup(func() { db.Close() })
		if _, err := jobs.NewSQLite(db, jobs.Config{}); err == nil {
			t.Fatal("accepted a pool with unlimited connections")
		}
	})
}

// newSQLiteEngine opens a migrated database file of the test's own, set up
// like the application's writer pool: WAL, a busy timeout, IMMEDIATE
// transactions and a single connection.
func newSQLiteEngine(t *testing.T) *engine {
	t.Helper()
	dsn := "file:" + filepath.Join(t.TempDir(), "db.sqlite") +
		"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		t.Fatalf("open SQLite: %v", err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	if err := jobs.MigrateSQLite(t.Context(), db); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return &engine{
		newQueue: func(cfg jobs.Config) (*jobs.Queue, error) { return jobs.NewSQLite(db, cfg) },
		migrate:  func(ctx context.Context) error { return jobs.MigrateSQLite(ctx, db) },
		periodicJobs: func(t *testing.T, name string) int {
			t.Helper()
			var n int
			err := db.QueryRowContext(t.Context(),
				`SELECT count(*) FROM river_job WHERE kind = 'periodic' AND json_extract(args, '$.name') = ?`, name).Scan(&n)
			if err != nil {
				t.Fatalf("count periodic jobs: %v", err)
			}
			return n
		},
	}
}

package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/dharmaplans/dharmaplans/internal/store"
	"github.com/dharmaplans/dharmaplans/internal/store/sqlite"
	"github.com/dharmaplans/dharmaplans/internal/store/storetest"
)

func open(t *testing.T) *store.DB {
	db, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "nested", "dharmaplans.db"))
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func TestConformance(t *testing.T) { storetest.Run(t, open) }

func TestEngineSettings(t *testing.T) {
	db := open(t)
	defer db.Close()
	ctx := t.Context()
	var mode string
	if err := db.Write.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
	for name, sqlDB := range map[string]interface {
		QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
	}{"writer": db.Write, "reader": db.Read} {
		var fk, busy int
		if err := sqlDB.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
			t.Errorf("%s: foreign_keys = %d, %v; want 1", name, fk, err)
		}
		if err := sqlDB.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy); err != nil || busy < 1000 {
			t.Errorf("%s: busy_timeout = %d, %v; want at least 1000 ms", name, busy, err)
		}
	}
	if db.Write.Stats().MaxOpenConnections != 1 {
		t.Errorf("writer pool allows %d connections, want 1", db.Write.Stats().MaxOpenConnections)
	}
	if _, err := db.Read.ExecContext(ctx, "CREATE TABLE nope (x int)"); err == nil {
		t.Error("the reader pool accepted a write; it must be read-only")
	}
}

func TestOpenRefusesMemory(t *testing.T) {
	if _, err := sqlite.Open(t.Context(), ":memory:"); err == nil {
		t.Fatal("Open(:memory:) succeeded; readers and writer would see different databases")
	}
}

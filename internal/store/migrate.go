package store

import (
	"context"
	"fmt"
	"hash/fnv"
	"io"
	"log/slog"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// Migrator applies the engine's embedded migrations. Migrations are numbered
// SQL files, one folder per engine with the same version numbers, each run
// in a transaction and recorded in the goose_db_version table.
type Migrator struct {
	p *goose.Provider
}

// NewMigrator returns a Migrator for db. On PostgreSQL it takes an advisory
// lock while migrating, so replicas starting together migrate once.
func NewMigrator(db *DB, logger *slog.Logger) (*Migrator, error) {
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	opts := []goose.ProviderOption{goose.WithSlog(logger), goose.WithDisableGlobalRegistry(true)}
	var dialect goose.Dialect
	switch db.Dialect.Name() {
	case SQLite:
		dialect = goose.DialectSQLite3
	case Postgres:
		dialect = goose.DialectPostgres
		// The lock is per schema: replicas sharing a schema migrate one at
		// a time, while databases in other schemas (tests) don't wait.
		var schema string
		if err := db.Write.QueryRowContext(context.Background(), `SELECT current_schema()`).Scan(&schema); err != nil {
			return nil, fmt.Errorf("migrations: %w", db.Dialect.Classify(err))
		}
		h := fnv.New64a()
		h.Write([]byte(schema))
		locker, err := lock.NewPostgresSessionLocker(
			lock.WithLockID(lock.DefaultLockID^int64(h.Sum64()>>1)),
			lock.WithLockTimeout(1, 300))
		if err != nil {
			return nil, fmt.Errorf("migration lock: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	default:
		return nil, fmt.Errorf("migrations: unknown engine %q", db.Dialect.Name())
	}
	p, err := goose.NewProvider(dialect, db.Write, db.Migrations, opts...)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	return &Migrator{p: p}, nil
}

// Migration is one migration and whether it has been applied.
type Migration struct {
	Version int64
	Name    string
	Applied bool
}

// Up applies every pending migration and returns the ones it applied.
func (m *Migrator) Up(ctx context.Context) ([]Migration, error) {
	res, err := m.p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate up: %w", err)
	}
	out := make([]Migration, 0, len(res))
	for _, r := range res {
		out = append(out, Migration{Version: r.Source.Version, Name: baseName(r.Source.Path), Applied: true})
	}
	return out, nil
}

// Down rolls back the most recent migration and returns it.
func (m *Migrator) Down(ctx context.Context) (Migration, error) {
	r, err := m.p.Down(ctx)
	if err != nil {
		return Migration{}, fmt.Errorf("migrate down: %w", err)
	}
	return Migration{Version: r.Source.Version, Name: baseName(r.Source.Path)}, nil
}

// Status lists every known migration in order with its state.
func (m *Migrator) Status(ctx context.Context) ([]Migration, error) {
	st, err := m.p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate status: %w", err)
	}
	out := make([]Migration, 0, len(st))
	for _, s := range st {
		out = append(out, Migration{Version: s.Source.Version, Name: baseName(s.Source.Path), Applied: s.State == goose.StateApplied})
	}
	return out, nil
}

// Versions lists the versions of the embedded migrations, in order.
func (m *Migrator) Versions() []int64 {
	var v []int64
	for _, s := range m.p.ListSources() {
		v = append(v, s.Version)
	}
	return v
}

func baseName(p string) string {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '/' {
			return p[i+1:]
		}
	}
	return p
}

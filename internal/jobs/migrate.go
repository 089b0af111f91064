package jobs

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
)

// MigratePostgres brings River's tables in the PostgreSQL database behind pool
// up to date, in the schema the connections' search_path names first. It is
// safe to run on every start: applied migrations are recorded and skipped,
// and replicas starting together take turns (River's migrator does not lock,
// so an advisory lock per schema does).
func MigratePostgres(ctx context.Context, pool *pgxpool.Pool) (err error) {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("jobs: migrate PostgreSQL: %w", err)
	}
	defer conn.Release()
	const key = `hashtext(current_schema() || ':river-migrate')`
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock(`+key+`)`); err != nil {
		return fmt.Errorf("jobs: migrate PostgreSQL: lock: %w", err)
	}
	defer func() {
		if _, uerr := conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(`+key+`)`); uerr != nil && err == nil {
			err = fmt.Errorf("jobs: migrate PostgreSQL: unlock: %w", uerr)
		}
	}()
	migrator, err := rivermigrate.New(riverpgxv5.New(pool), nil)
	if err != nil {
		return fmt.Errorf("jobs: PostgreSQL migrator: %w", err)
	}
	if _, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("jobs: migrate PostgreSQL: %w", err)
	}
	return nil
}

// MigrateSQLite brings River's tables in the SQLite database behind db up to
// date, using River's SQLite migrations (they differ from PostgreSQL's). It
// is safe to run on every start: applied migrations are recorded and
// skipped.
func MigrateSQLite(ctx context.Context, db *sql.DB) error {
	migrator, err := rivermigrate.New(riversqlite.New(db), nil)
	if err != nil {
		return fmt.Errorf("jobs: SQLite migrator: %w", err)
	}
	if _, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("jobs: migrate SQLite: %w", err)
	}
	return nil
}

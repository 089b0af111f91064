package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"text/tabwriter"

	"github.com/dharmaplans/dharmaplans/internal/app"
	"github.com/dharmaplans/dharmaplans/internal/config"
	"github.com/dharmaplans/dharmaplans/internal/store"
)

const migrateSummary = `Usage: dharmaplans migrate up|down|status [options]

  up      apply every pending migration (the application's and the job queue's)
  down    roll back the most recent application migration
  status  list the application's migrations and whether each is applied`

func migrate(ctx context.Context, args, environ []string, stdout, stderr io.Writer) error {
	cfg, rest, err := config.Load("migrate", migrateSummary, config.Database, args, environ, stdout)
	if err != nil {
		return err
	}
	if len(rest) != 1 || (rest[0] != "up" && rest[0] != "down" && rest[0] != "status") {
		fmt.Fprintln(stderr, migrateSummary)
		return errUsage
	}
	logger := newLogger(cfg, stderr)
	db, err := app.OpenDB(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer db.Close()

	if rest[0] == "up" {
		if err := app.MigrateUp(ctx, db, logger); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "database is up to date")
		return nil
	}
	m, err := store.NewMigrator(db.DB, logger)
	if err != nil {
		return err
	}
	if rest[0] == "down" {
		done, err := m.Down(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "rolled back %d %s\n", done.Version, done.Name)
		return nil
	}
	st, err := m.Status(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "VERSION\tNAME\tSTATE\t(%s)\n", db.Dialect.Name())
	for _, s := range st {
		state := "pending"
		if s.Applied {
			state = "applied"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t\n", s.Version, s.Name, state)
	}
	return tw.Flush()
}

// openMigrated opens the database and brings its schema up to date, for
// commands that work on the data.
func openMigrated(ctx context.Context, cfg *config.Config, logger *slog.Logger) (app.EngineDB, error) {
	db, err := app.OpenDB(ctx, cfg, logger)
	if err != nil {
		return db, err
	}
	if err := app.MigrateUp(ctx, db, logger); err != nil {
		db.Close()
		return db, err
	}
	return db, nil
}

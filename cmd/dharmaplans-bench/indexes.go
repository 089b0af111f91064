package main

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/sync/errgroup"
)

// secondaryIndex is an index the migrations made that backs no constraint
// other than uniqueness of its own, kept to be rebuilt after the load.
type secondaryIndex struct {
	Name, Definition string
}

// dropSecondaryIndexes drops the seeded tables' indexes that are not
// primary keys or constraints and returns their definitions, so that
// bulk loading maintains only the primary keys: building an index once
// over sorted data is several times faster than inserting each row into
// it.
func dropSecondaryIndexes(ctx context.Context, pool *pgxpool.Pool) ([]secondaryIndex, error) {
	names := make([]string, len(seedTables))
	for i, t := range seedTables {
		names[i] = t.Name
	}
	rows, err := pool.Query(ctx, `SELECT ix.relname, pg_get_indexdef(i.indexrelid)
		FROM pg_index i
		JOIN pg_class t ON t.oid = i.indrelid
		JOIN pg_class ix ON ix.oid = i.indexrelid
		WHERE t.relname = ANY($1) AND t.relnamespace = current_schema()::regnamespace
			AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
		ORDER BY ix.relname`, names)
	if err != nil {
		return nil, err
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[secondaryIndex])
	if err != nil {
		return nil, err
	}
	for _, ix := range list {
		if _, err := pool.Exec(ctx, `DROP INDEX `+pgx.Identifier{ix.Name}.Sanitize()); err != nil {
			return nil, fmt.Errorf("drop index %s: %w", ix.Name, err)
		}
	}
	return list, nil
}

// createIndexes rebuilds the dropped indexes, workers at a time.
func createIndexes(ctx context.Context, pool *pgxpool.Pool, list []secondaryIndex, workers int) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	for _, ix := range list {
		g.Go(func() error {
			conn, err := pool.Acquire(ctx)
			if err != nil {
				return err
			}
			defer conn.Release()
			if _, err := conn.Exec(ctx, `SET maintenance_work_mem = '256MB'`); err != nil {
				return err
			}
			if _, err := conn.Exec(ctx, ix.Definition); err != nil {
				return fmt.Errorf("rebuild index %s: %w", ix.Name, err)
			}
			return nil
		})
	}
	return g.Wait()
}

// vacuum sets the visibility map and hint bits and gathers statistics, so
// the load does not pay for the bulk load's aftermath, workers tables at
// a time.
func vacuum(ctx context.Context, pool *pgxpool.Pool, workers int) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	for _, t := range seedTables {
		g.Go(func() error {
			if _, err := pool.Exec(ctx, `VACUUM (ANALYZE) `+pgx.Identifier{t.Name}.Sanitize()); err != nil {
				return fmt.Errorf("vacuum %s: %w", t.Name, err)
			}
			return nil
		})
	}
	return g.Wait()
}

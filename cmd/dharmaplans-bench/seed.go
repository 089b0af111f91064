package main

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/sync/errgroup"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/password"
)

// benchPassword is every seeded person's password, hashed once: a real
// argon2id hash, so signing in as reader0000001@bench.example.org works
// when a kept database is explored by hand.
const benchPassword = "a quiet mind under the bodhi tree"

// SeedStats describe a seeded data set and what making it cost.
type SeedStats struct {
	Users          int              `json:"users"`
	Rows           map[string]int64 `json:"rows"`
	CopySeconds    float64          `json:"copy_seconds"`
	IndexSeconds   float64          `json:"index_seconds"`
	VacuumSeconds  float64          `json:"vacuum_seconds"`
	PerHundredK    float64          `json:"seconds_per_100k_users"`
	DatabaseBytes  int64            `json:"database_bytes"`
	ForeignKeysOff bool             `json:"foreign_key_checks_off"`
}

// drivenUser is a seeded person the load acts as.
type drivenUser struct {
	person
	Index     int
	SessionID string
	Token     string
	// Targets are the items and tasks of the day due today.
	Targets []catalog.Target
}

type seedResult struct {
	Driven []*drivenUser
	Stats  SeedStats
}

// seed fills the database with opts.Users people, copying batches of
// them in parallel with COPY into tables that keep only their primary
// keys meanwhile, then rebuilds the other indexes and vacuums and analyses
// what it wrote, as a database that has been running a while would be. Every
// len(users)/driven-th person is returned to drive the load as.
func seed(ctx context.Context, dbURL string, main *catalog.PlanIndex, demos []*catalog.PlanIndex, opts *Options, log *progress) (*seedResult, error) {
	mainShape, err := newPlanShape(main)
	if err != nil {
		return nil, err
	}
	var finished []*planShape
	for _, x := range demos {
		s, err := newPlanShape(x)
		if err != nil {
			return nil, err
		}
		finished = append(finished, s)
	}
	hash, err := password.Hash(ctx, benchPassword)
	if err != nil {
		return nil, err
	}
	gen, err := newGenerator(time.Now(), mainShape, finished, hash)
	if err != nil {
		return nil, err
	}

	pool, fkOff, err := openSeedPool(ctx, dbURL, opts.SeedWorkers)
	if err != nil {
		return nil, err
	}
	defer pool.Close()
	if !fkOff {
		log.Printf("cannot turn off foreign-key checks for the bulk load (needs a superuser); seeding is slower")
	}

	indexes, err := dropSecondaryIndexes(ctx, pool)
	if err != nil {
		return nil, err
	}

	stride := max(1, opts.Users/opts.Driven)
	var (
		mu      sync.Mutex
		driven  []*drivenUser
		counts  [len(seedTables)]atomic.Int64
		done    atomic.Int64
		batches = make(chan int)
	)
	start := time.Now()
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		defer close(batches)
		for from := 0; from < opts.Users; from += opts.SeedBatch {
			select {
			case batches <- from:
			case <-gctx.Done():
				return gctx.Err()
			}
		}
		return nil
	})
	for range opts.SeedWorkers {
		g.Go(func() error {
			for from := range batches {
				to := min(from+opts.SeedBatch, opts.Users)
				var out rows
				var mine []*drivenUser
				for i := from; i < to; i++ {
					p, err := gen.person(i, &out)
					if err != nil {
						return err
					}
					if i%stride == 0 && i/stride < opts.Driven {
						mine = append(mine, &drivenUser{person: *p, Index: i, Targets: mainShape.All[p.Day]})
					}
				}
				if err := copyBatch(gctx, pool, &out); err != nil {
					return err
				}
				for t := range out {
					counts[t].Add(int64(len(out[t])))
				}
				mu.Lock()
				driven = append(driven, mine...)
				mu.Unlock()
				n := done.Add(int64(to - from))
				elapsed := time.Since(start)
				rate := float64(n) / elapsed.Seconds()
				eta := time.Duration(float64(int64(opts.Users)-n)/rate) * time.Second
				log.Status("seeding: %d/%d users (%.0f%%), %d rows, %.0f users/s, about %s left",
					n, opts.Users, 100*float64(n)/float64(opts.Users), sumCounts(&counts), rate, eta.Round(time.Second))
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	copied := time.Since(start)
	stats := SeedStats{Users: opts.Users, Rows: map[string]int64{}, CopySeconds: copied.Seconds(), ForeignKeysOff: fkOff}
	for t := range counts {
		stats.Rows[seedTables[t].Name] = counts[t].Load()
	}
	log.Printf("copied %d users, %d rows in %s", opts.Users, sumCounts(&counts), copied.Round(time.Second))

	start = time.Now()
	if err := createIndexes(ctx, pool, indexes, opts.SeedWorkers); err != nil {
		return nil, err
	}
	stats.IndexSeconds = time.Since(start).Seconds()
	log.Printf("rebuilt %d indexes in %s", len(indexes), time.Since(start).Round(time.Second))

	start = time.Now()
	if err := vacuum(ctx, pool, opts.SeedWorkers); err != nil {
		return nil, err
	}
	stats.VacuumSeconds = time.Since(start).Seconds()
	stats.PerHundredK = (stats.CopySeconds + stats.IndexSeconds + stats.VacuumSeconds) * 100_000 / float64(opts.Users)
	if err := pool.QueryRow(ctx, `SELECT pg_database_size(current_database())`).Scan(&stats.DatabaseBytes); err != nil {
		return nil, err
	}
	log.Printf("vacuumed and analysed in %s; database is %d MB", time.Since(start).Round(time.Second), stats.DatabaseBytes>>20)
	slices.SortFunc(driven, func(a, b *drivenUser) int { return a.Index - b.Index })
	return &seedResult{Driven: driven, Stats: stats}, nil
}

// openSeedPool opens connections for the bulk load. With a superuser they
// skip foreign-key triggers (session_replication_role = replica): the
// generator makes consistent rows, and checking each would double the
// load's time.
func openSeedPool(ctx context.Context, dbURL string, workers int) (*pgxpool.Pool, bool, error) {
	cfg, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		return nil, false, err
	}
	cfg.MaxConns = int32(workers) + 1
	var fkOff atomic.Bool
	fkOff.Store(true)
	cfg.AfterConnect = func(ctx context.Context, c *pgx.Conn) error {
		if _, err := c.Exec(ctx, `SET session_replication_role = replica`); err != nil {
			fkOff.Store(false)
		}
		// Synchronous commit buys nothing for a load that is redone from
		// scratch if it fails.
		_, err := c.Exec(ctx, `SET synchronous_commit = off`)
		return err
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, false, err
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, false, err
	}
	return pool, fkOff.Load(), nil
}

// copyBatch copies one batch's rows, table by table, in one transaction.
func copyBatch(ctx context.Context, pool *pgxpool.Pool, out *rows) error {
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		for t, table := range seedTables {
			if len(out[t]) == 0 {
				continue
			}
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{table.Name}, table.Columns, pgx.CopyFromRows(out[t])); err != nil {
				return fmt.Errorf("copy %s: %w", table.Name, err)
			}
		}
		return nil
	})
}

func sumCounts(c *[len(seedTables)]atomic.Int64) int64 {
	var n int64
	for i := range c {
		n += c[i].Load()
	}
	return n
}

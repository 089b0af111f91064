// Package jobs runs the application's background work on River, on whichever
// database the application runs on: the embedded SQLite database or
// PostgreSQL. River's tables live in the same database as the application's.
//
// Features add two kinds of work without knowing the engine: periodic jobs
// (a name, an interval and a function, run once per interval across all
// replicas) and one-off jobs (a river.JobArgs type with a worker registered in
// Config.Workers, enqueued with Queue.Insert).
package jobs

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"
)

// Default concurrency of the job queue, per engine. SQLite serialises every
// write on the application's single writer connection, so more workers would
// only queue up behind it.
const (
	DefaultMaxWorkersPostgres = 10
	DefaultMaxWorkersSQLite   = 2
)

// cancelGrace bounds how long Stop waits for cancelled jobs to return once
// the caller's deadline has passed, so a job that ignores its context cannot
// hold shutdown forever.
const cancelGrace = 5 * time.Second

// Config describes the work a Queue runs.
type Config struct {
	// Logger receives River's own logs and one error record per failed job
	// attempt. Nil means slog.Default().
	Logger *slog.Logger

	// Periodic lists the jobs run every Periodic.Every. Names must be unique.
	Periodic []Periodic

	// Workers holds the workers for one-off jobs inserted with Queue.Insert
	// (registered with river.AddWorker). May be nil. The Queue adds its own
	// worker for periodic jobs to it, so each Queue needs a Workers of its own.
	Workers *river.Workers

	// MaxWorkers is how many jobs this Queue runs at once. Zero means
	// DefaultMaxWorkersPostgres or DefaultMaxWorkersSQLite.
	MaxWorkers int
}

// engineClient is what Queue needs from a River client; both
// *river.Client[pgx.Tx] and *river.Client[*sql.Tx] satisfy it, which keeps
// the transaction type out of the rest of the application.
type engineClient interface {
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	StopAndCancel(ctx context.Context) error
	Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
}

// Queue runs background jobs on one database engine. Every replica of the
// application runs its own Queue against the shared database; River elects
// one of them leader to enqueue periodic jobs and spreads all jobs over the
// replicas. A job runs on one replica at a time; one interrupted by a crash
// runs again once River's rescuer finds it (after an hour), so work should
// tolerate being repeated.
type Queue struct {
	client engineClient
}

// NewPostgres returns a Queue whose jobs live in the PostgreSQL database
// behind pool. River's tables are found through the connections' search_path
// and must exist (see MigratePostgres).
func NewPostgres(pool *pgxpool.Pool, cfg Config) (*Queue, error) {
	if pool == nil {
		return nil, errors.New("jobs: nil PostgreSQL pool")
	}
	riverCfg, err := riverConfig(cfg, DefaultMaxWorkersPostgres)
	if err != nil {
		return nil, err
	}
	client, err := river.NewClient(riverpgxv5.New(pool), riverCfg)
	if err != nil {
		return nil, fmt.Errorf("jobs: new PostgreSQL client: %w", err)
	}
	return &Queue{client: client}, nil
}

// NewSQLite returns a Queue whose jobs live in the SQLite database behind db,
// which must be the application's writer pool limited to one connection
// (db.SetMaxOpenConns(1)): SQLite allows one writer at a time, and River's
// concurrent internal queries otherwise fail with SQLITE_BUSY. River's tables
// must exist (see MigrateSQLite).
//
// Code holding a transaction on db must not call Insert on this Queue: the
// insert waits for the only connection, which that transaction holds.
func NewSQLite(db *sql.DB, cfg Config) (*Queue, error) {
	if db == nil {
		return nil, errors.New("jobs: nil SQLite database")
	}
	if n := db.Stats().MaxOpenConnections; n != 1 {
		return nil, fmt.Errorf("jobs: SQLite pool allows %d open connections, want 1 (db.SetMaxOpenConns(1); 0 means unlimited)", n)
	}
	riverCfg, err := riverConfig(cfg, DefaultMaxWorkersSQLite)
	if err != nil {
		return nil, err
	}
	// The SQLite driver has no LISTEN/NOTIFY; River emulates it with an
	// outbox table that each client polls every 50ms, so inserted jobs and
	// leadership changes are still noticed quickly. FetchPollInterval (1s by
	// default) remains the fallback that bounds pick-up latency, so River's
	// defaults already start jobs within about a second and are kept.
	client, err := river.NewClient(riversqlite.New(db), riverCfg)
	if err != nil {
		return nil, fmt.Errorf("jobs: new SQLite client: %w", err)
	}
	return &Queue{client: client}, nil
}

func riverConfig(cfg Config, defaultMaxWorkers int) (*river.Config, error) {
	logger := cfg.Logger
	if logger == nil {
		logger = slog.Default()
	}
	if cfg.MaxWorkers < 0 {
		return nil, fmt.Errorf("jobs: MaxWorkers is %d, want zero (default) or more", cfg.MaxWorkers)
	}
	workers := cfg.Workers
	if workers == nil {
		workers = river.NewWorkers()
	}
	periodicJobs, err := registerPeriodic(workers, cfg.Periodic)
	if err != nil {
		return nil, err
	}
	return &river.Config{
		// A periodic run is deduplicated against the completed job of its
		// period, so that job must outlive the period.
		CompletedJobRetentionPeriod: max(24*time.Hour, longestEvery(cfg.Periodic)),
		ErrorHandler:                &errorLogger{logger: logger},
		Logger:                      logger,
		PeriodicJobs:                periodicJobs,
		Queues: map[string]river.QueueConfig{
			river.QueueDefault: {MaxWorkers: cmp.Or(cfg.MaxWorkers, defaultMaxWorkers)},
		},
		Workers: workers,
	}, nil
}

// Start begins fetching and running jobs and, if this replica is elected
// leader, enqueuing periodic jobs. It returns once started; work continues in
// the background. Cancelling ctx stops the Queue abruptly (running jobs see
// their contexts cancelled); use Stop for a graceful shutdown.
func (q *Queue) Start(ctx context.Context) error {
	if err := q.client.Start(ctx); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	return nil
}

// Stop shuts the Queue down gracefully: it stops fetching jobs and waits for
// running ones to finish. If ctx ends first, it cancels the running jobs'
// contexts (River retries them later), waits briefly for them to return, and
// reports ctx's error. A nil result means every running job finished.
func (q *Queue) Stop(ctx context.Context) error {
	err := q.client.Stop(ctx)
	if err == nil {
		return nil
	}
	if ctx.Err() == nil {
		return fmt.Errorf("jobs: stop: %w", err)
	}
	// The caller's deadline has passed, but cancelled jobs still need a
	// moment to record their attempt; otherwise they stay "running" until
	// River's rescuer notices them an hour later.
	cancelCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cancelGrace)
	defer cancel()
	if cerr := q.client.StopAndCancel(cancelCtx); cerr != nil {
		return fmt.Errorf("jobs: stop: running jobs ignored cancellation: %w", errors.Join(err, cerr))
	}
	return fmt.Errorf("jobs: stop: cancelled running jobs: %w", err)
}

// Insert enqueues a one-off job. Its worker must be registered in
// Config.Workers. opts may be nil. A job refused because of its UniqueOpts is
// not an error.
func (q *Queue) Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error {
	if _, err := q.client.Insert(ctx, args, opts); err != nil {
		return fmt.Errorf("jobs: insert %s: %w", args.Kind(), err)
	}
	return nil
}

// errorLogger records every failed job attempt at error level. River itself
// logs failures only at info level; a failing background job deserves more.
type errorLogger struct {
	logger *slog.Logger
}

func (h *errorLogger) HandleError(ctx context.Context, job *rivertype.JobRow, err error) *river.ErrorHandlerResult {
	h.logger.ErrorContext(ctx, "job failed", append(jobAttrs(job), slog.String("error", err.Error()))...)
	return nil // River's default: retry with backoff until MaxAttempts
}

func (h *errorLogger) HandlePanic(ctx context.Context, job *rivertype.JobRow, panicVal any, trace string) *river.ErrorHandlerResult {
	h.logger.ErrorContext(ctx, "job panicked",
		append(jobAttrs(job), slog.Any("panic", panicVal), slog.String("trace", trace))...)
	return nil
}

func jobAttrs(job *rivertype.JobRow) []any {
	attrs := []any{
		slog.String("kind", job.Kind),
		slog.Int64("job_id", job.ID),
		slog.Int("attempt", job.Attempt),
		slog.Int("max_attempts", job.MaxAttempts),
	}
	if name, ok := periodicName(job); ok {
		attrs = append(attrs, slog.String("periodic", name))
	}
	return attrs
}

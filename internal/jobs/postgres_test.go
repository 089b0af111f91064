package jobs_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"github.com/dharmaplans/dharmaplans/internal/jobs"
	"github.com/dharmaplans/dharmaplans/internal/testenv"
)

func TestPostgres(t *testing.T) {
	t.Parallel()
	runSuite(t, func(t *testing.T) *engine {
		e, _ := newPostgresEngine(t)
		return e
	})

	t.Run("River's tables live in the test's own schema", func(t *testing.T) {
		t.Parallel()
		_, pool := newPostgresEngine(t)
		var schema string
		if err := pool.QueryRow(t.Context(), `SELECT current_schema()`).Scan(&schema); err != nil {
			t.Fatalf("current_schema: %v", err)
		}
		if !strings.HasPrefix(schema, "test_") {
			t.Fatalf("current_schema() = %q: search_path from the URL was not applied", schema)
		}
		var n int
		err := pool.QueryRow(t.Context(), `SELECT count(*) FROM information_schema.tables
			WHERE table_schema = $1 AND table_name = 'river_job'`, schema).Scan(&n)
		if err != nil || n != 1 {
			t.Fatalf("river_job tables in %s: %d (err %v), want 1", schema, n, err)
		}
	})

	t.Run("two replicas work each of 40 jobs exactly once", func(t *testing.T) {
		t.Parallel()
		e, pool := newPostgresEngine(t)
		var (
			mu     sync.Mutex
			worked = map[int64]int{} // job id -> times worked
			byName = map[string]int{}
		)
		replica := func(name string) *jobs.Queue {
			w := river.NewWorkers()
			river.AddWorker(w, river.WorkFunc(func(_ context.Context, job *river.Job[echoArgs]) error {
				mu.Lock()
				defer mu.Unlock()
				worked[job.ID]++
				byName[name]++
				return nil
			}))
			return mustQueue(t, e, jobs.Config{Workers: w})
		}
		a, b := replica("a"), replica("b")
		start(t, a)
		start(t, b)
		for i := range 40 {
			q := a
			if i%2 == 1 {
				q = b
			}
			if err := q.Insert(t.Context(), echoArgs{N: i}, nil); err != nil {
				t.Fatalf("insert %d: %v", i, err)
			}
		}
		distinct := func() int { mu.Lock(); defer mu.Unlock(); return len(worked) }
		waitFor(t, 30*time.Second, "40 distinct jobs worked", func() bool { return distinct() >= 40 })
		stop(t, a) // graceful: anything fetched twice would finish before the checks
		stop(t, b)

		mu.Lock()
		defer mu.Unlock()
		if len(worked) != 40 {
			t.Fatalf("worked %d distinct jobs, want 40", len(worked))
		}
		for id, n := range worked {
			if n != 1 {
				t.Errorf("job %d worked %d times, want once", id, n)
			}
		}
		var completed int
		err := pool.QueryRow(t.Context(), `SELECT count(*) FROM river_job
			WHERE kind = 'test_echo' AND state = 'completed' AND attempt = 1`).Scan(&completed)
		if err != nil || completed != 40 {
			t.Fatalf("completed on first attempt: %d (err %v), want 40", completed, err)
		}
		t.Logf("replica a worked %d jobs, replica b %d", byName["a"], byName["b"])
	})

	t.Run("two replicas run a periodic job once per period", func(t *testing.T) {
		t.Parallel()
		e, pool := newPostgresEngine(t)
		const every = jobs.MinEvery
		var runs counter
		cfg := func() jobs.Config {
			return jobs.Config{Periodic: []jobs.Periodic{{Name: "tick", Every: every, RunOnStart: true, Run: runs.run}}}
		}
		a, b := mustQueue(t, e, cfg()), mustQueue(t, e, cfg())
		begin := time.Now()
		start(t, a)
		start(t, b)
		waitFor(t, 30*time.Second, "three runs", func() bool { return runs.get() >= 3 })
		stop(t, a) // whichever led, the other may take over and try its RunOnStart
		stop(t, b)
		end := time.Now()

		rows, err := pool.Query(t.Context(), `SELECT id, scheduled_at, state FROM river_job
			WHERE kind = 'periodic' AND args->>'name' = 'tick' ORDER BY id`)
		if err != nil {
			t.Fatalf("list periodic jobs: %v", err)
		}
		defer rows.Close()
		var (
			perPeriod = map[time.Time][]int64{}
			completed int
		)
		for rows.Next() {
			var (
				id          int64
				scheduledAt time.Time
				state       string
			)
			if err := rows.Scan(&id, &scheduledAt, &state); err != nil {
				t.Fatalf("scan: %v", err)
			}
			period := scheduledAt.Truncate(every).UTC()
			perPeriod[period] = append(perPeriod[period], id)
			if state == "completed" {
				completed++
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("rows: %v", err)
		}
		for period, ids := range perPeriod {
			if len(ids) > 1 {
				t.Errorf("period %s has jobs %v, want one", period.Format(time.RFC3339), ids)
			}
		}
		// Both replicas stopped gracefully, so every run finished and
		// completed its job; a job worked by both would show as extra runs.
		if got := runs.get(); got != completed {
			t.Errorf("%d runs for %d completed jobs, want one run per job", got, completed)
		}
		if got, periods := runs.get(), periodsSpanned(begin, end, every); got > periods {
			t.Errorf("%d runs over %d periods, want at most one per period", got, periods)
		}
	})
}

// newPostgresEngine migrates a schema of the test's own and returns the engine
// with a pool on it for inspection. Each Queue gets a pool of its own, as a
// replica in its own process would.
func newPostgresEngine(t *testing.T) (*engine, *pgxpool.Pool) {
	t.Helper()
	url := testenv.PostgresSchemaURL(t)
	open := func() *pgxpool.Pool {
		pool, err := pgxpool.New(context.Background(), url)
		if err != nil {
			t.Fatalf("open PostgreSQL pool: %v", err)
		}
		t.Cleanup(pool.Close)
		return pool
	}
	pool := open()
	if err := jobs.MigratePostgres(t.Context(), pool); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return &engine{
		newQueue: func(cfg jobs.Config) (*jobs.Queue, error) { return jobs.NewPostgres(open(), cfg) },
		migrate:  func(ctx context.Context) error { return jobs.MigratePostgres(ctx, pool) },
		periodicJobs: func(t *testing.T, name string) int {
			t.Helper()
			var n int
			err := pool.QueryRow(t.Context(),
				`SELECT count(*) FROM river_job WHERE kind = 'periodic' AND args->>'name' = $1`, name).Scan(&n)
			if err != nil {
				t.Fatalf("count periodic jobs: %v", err)
			}
			return n
		},
	}, pool
}

// Replicas starting together all migrate River's tables; they take turns,
// so none fails on a half-created table.
func TestPostgresReplicasMigratingTogether(t *testing.T) {
	url := testenv.PostgresSchemaURL(t)
	const replicas = 3
	errc := make(chan error, replicas)
	for range replicas {
		go func() {
			pool, err := pgxpool.New(context.Background(), url)
			if err != nil {
				errc <- err
				return
			}
			defer pool.Close()
			errc <- jobs.MigratePostgres(t.Context(), pool)
		}()
	}
	for range replicas {
		if err := <-errc; err != nil {
			t.Errorf("a replica failed to migrate: %v", err)
		}
	}
}

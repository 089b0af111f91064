package jobs_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/dharmaplans/dharmaplans/internal/jobs"
	"github.com/dharmaplans/dharmaplans/internal/testenv"
)

// engine is one freshly migrated database, private to a test, and the means
// to build Queues on it and look inside River's tables.
type engine struct {
	// newQueue builds a Queue on the test's database; several calls build
	// several replicas sharing it.
	newQueue func(cfg jobs.Config) (*jobs.Queue, error)
	migrate  func(ctx context.Context) error
	// periodicJobs counts the River jobs ever enqueued for a Periodic name.
	periodicJobs func(t *testing.T, name string) int
}

// runSuite holds the promises every engine keeps. newEngine gives each test a
// database of its own, so the tests run in parallel.
func runSuite(t *testing.T, newEngine func(t *testing.T) *engine) {
	t.Run("migrating again is harmless", func(t *testing.T) {
		t.Parallel()
		e := newEngine(t)
		for range 2 {
			if err := e.migrate(t.Context()); err != nil {
				t.Fatalf("migrate again: %v", err)
			}
		}
	})

	t.Run("a periodic job runs on start and again each period", func(t *testing.T) {
		t.Parallel()
		e := newEngine(t)
		var runs counter
		q := mustQueue(t, e, jobs.Config{Periodic: []jobs.Periodic{{
			Name: "tick", Every: jobs.MinEvery, RunOnStart: true, Run: runs.run,
		}}})
		start(t, q)
		waitFor(t, 30*time.Second, "second run of the periodic job", func() bool { return runs.get() >= 2 })
	})

	t.Run("an inserted job is worked", func(t *testing.T) {
		t.Parallel()
		e := newEngine(t)
		worked := make(chan int, 1)
		workers := river.NewWorkers()
		river.AddWorker(workers, river.WorkFunc(func(_ context.Context, job *river.Job[echoArgs]) error {
			worked <- job.Args.N
			return nil
		}))
		q := mustQueue(t, e, jobs.Config{Workers: workers})
		start(t, q)
		if err := q.Insert(t.Context(), echoArgs{N: 42}, nil); err != nil {
			t.Fatalf("insert: %v", err)
		}
		select {
		case n := <-worked:
			if n != 42 {
				t.Fatalf("worked job with N=%d, want 42", n)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("inserted job not worked within 10s")
		}
	})

	t.Run("stop waits for a running job to finish", func(t *testing.T) {
		t.Parallel()
		e := newEngine(t)
		s := newSleeper()
		q := mustQueue(t, e, jobs.Config{Workers: s.workers()})
		start(t, q)
		if err := q.Insert(t.Context(), sleepArgs{For: time.Second}, nil); err != nil {
			t.Fatalf("insert: %v", err)
		}
		s.waitStarted(t)
		ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
		defer cancel()
		if err := q.Stop(ctx); err != nil {
			t.Fatalf("stop: %v", err)
		}
		if got := s.outcome(); got != "finished" {
			t.Fatalf("job outcome when Stop returned: %q, want finished", got)
		}
	})

	t.Run("stop cancels a running job once its deadline passes", func(t *testing.T) {
		t.Parallel()
		e := newEngine(t)
		s := newSleeper()
		q := mustQueue(t, e, jobs.Config{Workers: s.workers()})
		start(t, q)
		if err := q.Insert(t.Context(), sleepArgs{For: time.Hour}, nil); err != nil {
			t.Fatalf("insert: %v", err)
		}
		s.waitStarted(t)
		ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
		defer cancel()
		if err := q.Stop(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("stop: %v, want an error wrapping context.DeadlineExceeded", err)
		}
		if got := s.outcome(); got != "cancelled" {
			t.Fatalf("job outcome when Stop returned: %q, want cancelled", got)
		}
	})

	t.Run("a new leader does not repeat the period its predecessor ran", func(t *testing.T) {
		t.Parallel()
		e := newEngine(t)
		const every = 24 * time.Hour
		var daily, probe counter
		dailyJob := jobs.Periodic{Name: "daily", Every: every, RunOnStart: true, Run: daily.run}
		begin := time.Now()

		first := mustQueue(t, e, jobs.Config{Periodic: []jobs.Periodic{dailyJob}})
		start(t, first)
		// Only the leader enqueues periodic jobs: once daily has run, the
		// first replica leads. River starts a leader's periodic scheduler
		// after its other maintenance services, each delayed by up to a
		// second, hence the generous waits.
		waitFor(t, 30*time.Second, "the first leader's daily run", func() bool { return daily.get() == 1 })

		// The second replica also carries a probe that runs on start. River
		// inserts a new leader's RunOnStart jobs in one transaction, so once
		// the probe has run, the second replica's attempt at daily is settled.
		second := mustQueue(t, e, jobs.Config{Periodic: []jobs.Periodic{
			dailyJob,
			{Name: "probe", Every: every, RunOnStart: true, Run: probe.run},
		}})
		start(t, second)
		stop(t, first) // resigns leadership
		waitFor(t, 30*time.Second, "the second leader's probe run", func() bool { return probe.get() == 1 })

		// A day boundary inside the test legitimately starts a new period.
		periods := periodsSpanned(begin, time.Now(), every)
		if n := e.periodicJobs(t, "daily"); n < 1 || n > periods {
			t.Fatalf("daily enqueued %d times over %d period(s), want one per period", n, periods)
		}
		if n := daily.get(); n > periods {
			t.Fatalf("daily ran %d times over %d period(s), want one per period", n, periods)
		}
	})

	t.Run("a failed run is logged as an error with its kind and cause", func(t *testing.T) {
		t.Parallel()
		e := newEngine(t)
		var logs testenv.Buffer
		q := mustQueue(t, e, jobs.Config{
			Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn})),
			Periodic: []jobs.Periodic{{
				Name: "doomed", Every: time.Hour, RunOnStart: true,
				Run: func(context.Context) error { return errors.New("disk on fire") },
			}},
		})
		start(t, q)
		waitFor(t, 30*time.Second, "error record for the failed run", func() bool {
			for line := range strings.Lines(logs.String()) {
				if strings.Contains(line, "level=ERROR") && strings.Contains(line, "kind=periodic") &&
					strings.Contains(line, "periodic=doomed") && strings.Contains(line, `error="disk on fire"`) {
					return true
				}
			}
			return false
		})
	})

	t.Run("invalid periodic jobs are refused", func(t *testing.T) {
		t.Parallel()
		e := newEngine(t)
		run := func(context.Context) error { return nil }
		for name, ps := range map[string][]jobs.Periodic{
			"name not snake_case": {{Name: "Nightly Cleanup", Every: time.Hour, Run: run}},
			"empty name":          {{Name: "", Every: time.Hour, Run: run}},
			"one-letter name":     {{Name: "x", Every: time.Hour, Run: run}},
			"duplicate name":      {{Name: "sync", Every: time.Hour, Run: run}, {Name: "sync", Every: time.Minute, Run: run}},
			"zero interval":       {{Name: "sync", Run: run}},
			"interval too short":  {{Name: "sync", Every: jobs.MinEvery / 2, Run: run}},
			"no Run":              {{Name: "sync", Every: time.Hour}},
		} {
			t.Run(name, func(t *testing.T) {
				if _, err := e.newQueue(jobs.Config{Periodic: ps}); err == nil {
					t.Error("accepted")
				}
			})
		}
	})
}

type echoArgs struct {
	N int `json:"n"`
}

func (echoArgs) Kind() string { return "test_echo" }

type sleepArgs struct {
	For time.Duration `json:"for"`
}

func (sleepArgs) Kind() string { return "test_sleep" }

// sleeper works sleepArgs jobs and reports how the last one ended.
type sleeper struct {
	started chan struct{}
	mu      sync.Mutex
	result  string
}

func newSleeper() *sleeper { return &sleeper{started: make(chan struct{}, 1)} }

func (s *sleeper) workers() *river.Workers {
	w := river.NewWorkers()
	river.AddWorker(w, river.WorkFunc(func(ctx context.Context, job *river.Job[sleepArgs]) error {
		select {
		case s.started <- struct{}{}:
		default:
		}
		select {
		case <-time.After(job.Args.For):
			s.set("finished")
			return nil
		case <-ctx.Done():
			s.set("cancelled")
			return ctx.Err()
		}
	}))
	return w
}

func (s *sleeper) set(r string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.result = r
}

func (s *sleeper) outcome() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.result
}

func (s *sleeper) waitStarted(t *testing.T) {
	t.Helper()
	select {
	case <-s.started:
	case <-time.After(10 * time.Second):
		t.Fatal("job not started within 10s")
	}
}

// counter counts runs of a periodic job.
type counter struct {
	mu sync.Mutex
	n  int
}

func (c *counter) run(context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
	return nil
}

func (c *counter) get() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

// mustQueue builds a Queue whose logs, unless cfg says otherwise, go to the
// test's output at warning level and above.
func mustQueue(t *testing.T, e *engine, cfg jobs.Config) *jobs.Queue {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	q, err := e.newQueue(cfg)
	if err != nil {
		t.Fatalf("new queue: %v", err)
	}
	return q
}

// start starts q until the test ends. The start context is not the test's:
// that one is cancelled before cleanups run, which would hard-stop q.
func start(t *testing.T, q *jobs.Queue) {
	t.Helper()
	if err := q.Start(context.Background()); err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() { stop(t, q) })
}

func stop(t *testing.T, q *jobs.Queue) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := q.Stop(ctx); err != nil {
		t.Errorf("stop: %v", err)
	}
}

// waitFor polls cond until it holds, failing the test after timeout. The
// timeout is generous on purpose: it bounds a hang, it does not measure speed.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("no %s within %s", what, timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// periodsSpanned counts the periods of length every that overlap [from, to].
func periodsSpanned(from, to time.Time, every time.Duration) int {
	return int(to.Truncate(every).Sub(from.Truncate(every))/every) + 1
}

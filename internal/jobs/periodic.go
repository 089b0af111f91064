package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// Periodic is a job that runs once per period of length Every across all
// replicas. Periods are aligned to the clock (multiples of Every counted in
// UTC from the zero time: daily periods start at midnight UTC, hourly ones on
// the hour), so every replica agrees on which period a run belongs to;
// River's unique jobs then refuse a second run in the same period, even when
// leadership moves between replicas mid-period.
//
// A run starts shortly after its period begins. A run that fails is retried
// with River's backoff, up to PeriodicMaxAttempts attempts; the next period
// brings a fresh run either way. Only a period whose run failed every attempt
// may be run again in that period, by a newly elected leader. Run's context
// is cancelled after River's job timeout (one minute) or on a forced
// shutdown.
type Periodic struct {
	// Name identifies the job across replicas and releases: lowercase
	// snake_case, unique within a Config.
	Name string
	// Every is the length of a period, at least MinEvery.
	Every time.Duration
	// RunOnStart runs the job soon after a replica becomes leader (River
	// staggers its leader duties by up to several seconds), unless it already
	// ran in the current period. Without it the first run waits for the next
	// period.
	RunOnStart bool
	// Run does the work.
	Run func(ctx context.Context) error
}

// MinEvery is the shortest period River's unique jobs can tell apart.
const MinEvery = time.Second

// PeriodicMaxAttempts is how many times one period's run is attempted before
// River gives up on it. Kept low because the next period runs it again.
const PeriodicMaxAttempts = 3

// periodicKind is the single River job kind behind every Periodic; the
// job's args name which one to run.
const periodicKind = "periodic"

// periodicNameRE is snake_case within River's rule for periodic job IDs,
// which asks for at least two characters (NewClient panics otherwise).
var periodicNameRE = regexp.MustCompile(`^[a-z][a-z0-9_]+$`)

type periodicArgs struct {
	Name string `json:"name"`
}

func (periodicArgs) Kind() string { return periodicKind }

// periodicWorker dispatches a periodic job to the Run registered under its
// name in this process.
type periodicWorker struct {
	river.WorkerDefaults[periodicArgs]
	runs map[string]func(context.Context) error
}

func (w *periodicWorker) Work(ctx context.Context, job *river.Job[periodicArgs]) error {
	run, ok := w.runs[job.Args.Name]
	if !ok {
		// Possible during a rolling deploy, when a replica running an older
		// release fetches a job only the newer release knows. Failing lets a
		// retry land on a replica that has it.
		return fmt.Errorf("no periodic job named %q in this release", job.Args.Name)
	}
	return run(ctx)
}

// registerPeriodic validates ps, adds their dispatching worker to workers and
// returns the River schedule for each.
func registerPeriodic(workers *river.Workers, ps []Periodic) ([]*river.PeriodicJob, error) {
	runs := make(map[string]func(context.Context) error, len(ps))
	jobs := make([]*river.PeriodicJob, 0, len(ps))
	for _, p := range ps {
		switch {
		case !periodicNameRE.MatchString(p.Name) || len(p.Name) >= 128:
			return nil, fmt.Errorf("jobs: periodic job name %q is not lowercase snake_case of 2 to 127 bytes", p.Name)
		case runs[p.Name] != nil:
			return nil, fmt.Errorf("jobs: periodic job %q is defined twice", p.Name)
		case p.Every < MinEvery:
			return nil, fmt.Errorf("jobs: periodic job %q: Every is %s, want at least %s", p.Name, p.Every, MinEvery)
		case p.Run == nil:
			return nil, fmt.Errorf("jobs: periodic job %q: Run is nil", p.Name)
		}
		runs[p.Name] = p.Run
		jobs = append(jobs, river.NewPeriodicJob(
			periodSchedule{every: p.Every},
			periodicConstructor(p),
			&river.PeriodicJobOpts{ID: p.Name, RunOnStart: p.RunOnStart},
		))
	}
	if err := river.AddWorkerSafely(workers, &periodicWorker{runs: runs}); err != nil {
		return nil, fmt.Errorf("jobs: register periodic worker (each Queue needs its own Workers): %w", err)
	}
	return jobs, nil
}

// periodicConstructor builds the job River inserts each period. Its unique
// key is (kind, name, period), the period being the insertion time truncated
// to Every: a second insert for the same period, by a new leader's RunOnStart
// or by two leaders overlapping during a handover, is skipped while the first
// job is pending, running, retrying or completed.
func periodicConstructor(p Periodic) river.PeriodicJobConstructor {
	return func() (river.JobArgs, *river.InsertOpts) {
		return periodicArgs{Name: p.Name}, &river.InsertOpts{
			MaxAttempts: PeriodicMaxAttempts,
			UniqueOpts: river.UniqueOpts{
				ByArgs:   true,
				ByPeriod: p.Every,
			},
		}
	}
}

// periodSchedule fires periodLag after the start of each period.
type periodSchedule struct {
	every time.Duration
}

func (s periodSchedule) Next(t time.Time) time.Time {
	return t.Add(-periodLag).Truncate(s.every).Add(s.every + periodLag)
}

// periodLag is how long after a period starts its job is inserted. River's
// scheduler inserts a job up to 100ms before it is due when another job's
// timer fires first, and takes the unique key's period from the insertion
// time; inserting exactly on the boundary could file a run under the previous
// period, and the period's real run would then be refused as a duplicate.
// The lag is well under MinEvery, leaving most of the period for a scheduler
// that runs late.
const periodLag = 200 * time.Millisecond

func longestEvery(ps []Periodic) time.Duration {
	var longest time.Duration
	for _, p := range ps {
		longest = max(longest, p.Every)
	}
	return longest
}

// periodicName returns the Periodic.Name a job runs, if it is a periodic job.
func periodicName(job *rivertype.JobRow) (string, bool) {
	if job.Kind != periodicKind {
		return "", false
	}
	var args periodicArgs
	if err := json.Unmarshal(job.EncodedArgs, &args); err != nil {
		return "", false
	}
	return args.Name, true
}

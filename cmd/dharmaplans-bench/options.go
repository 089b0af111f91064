package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"
)

// Defaults of the harness.
const (
	defaultServerURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	defaultRedisURL  = "redis://127.0.0.1:6379/0"
)

// Options are the harness's settings.
type Options struct {
	// ServerURL is any database on the PostgreSQL server; the harness
	// creates a database of its own beside it.
	ServerURL string
	RedisURL  string
	// Users is the size of the seeded data set; Driven how many of them
	// the load is spread over.
	Users  int
	Driven int
	// Connections is how many requests are in flight at once;
	// SearchConnections for the search scenarios.
	Connections       int
	SearchConnections int
	// Plans is the size of the generated catalogue the search scenarios
	// run on.
	Plans    int
	Duration time.Duration
	Warmup   time.Duration
	// Rounds is how many times every scenario is measured; results are
	// the fastest round's.
	Rounds int
	// StatsWait is how long to let PostgreSQL's backends publish their
	// statistics after a scenario before reading them (they do so when
	// idle, at most every few seconds).
	StatsWait time.Duration
	// SeedWorkers copy batches of SeedBatch users in parallel.
	SeedWorkers int
	SeedBatch   int
	Scenarios   []string
	LogLevel    slog.Level
	Keep        bool
	Out         string // write the report as JSON here
	Reference   string // a report of a smaller run to compare today's p99 with
	Strict      bool   // exit 3 when a target is missed
	// ProfileDir receives a CPU profile of each measured scenario.
	ProfileDir string
	// Print is a saved report to print again instead of running.
	Print string
	// MediaStream runs the media streaming measurement instead, on the
	// server binary ServerBin.
	MediaStream bool
	ServerBin   string
}

// parseOptions reads flags, with BENCH_DATABASE_URL and BENCH_REDIS_URL as
// the defaults of the two servers.
func parseOptions(args []string, getenv func(string) string, stderr io.Writer) (*Options, error) {
	o := &Options{}
	fs := flag.NewFlagSet("dharmaplans-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.ServerURL, "database-url", or(getenv("BENCH_DATABASE_URL"), defaultServerURL),
		"PostgreSQL server to create the benchmark database on (env BENCH_DATABASE_URL); pool_max_conns applies to the server and the baselines alike")
	fs.StringVar(&o.RedisURL, "redis-url", or(getenv("BENCH_REDIS_URL"), defaultRedisURL), "Redis the server caches in (env BENCH_REDIS_URL); its keys get a prefix of their own")
	fs.IntVar(&o.Users, "users", 10_000, "people in the seeded data set (1000000 for the large run)")
	fs.IntVar(&o.Driven, "driven", 2_000, "people the load is spread over, sampled evenly from the data set")
	fs.IntVar(&o.Connections, "connections", 64, "requests in flight at once (vegeta workers and connections)")
	fs.IntVar(&o.SearchConnections, "search-connections", 1, "requests in flight at once in the search and suggest scenarios, whose targets are latencies: 1 measures what one request costs, more adds queueing for the two CPUs")
	fs.IntVar(&o.Plans, "plans", 10_000, "published plans in the generated catalogue of the search scenarios (about 30 items each)")
	fs.DurationVar(&o.Duration, "duration", 10*time.Second, "how long each scenario is measured")
	fs.DurationVar(&o.Warmup, "warmup", 2*time.Second, "load before each measurement, not counted")
	fs.IntVar(&o.Rounds, "rounds", 3, "times every scenario is measured, in turn with the others; the report gives the fastest round")
	fs.DurationVar(&o.StatsWait, "stats-wait", 11*time.Second, "pause after each scenario so PostgreSQL publishes its statistics (0: skip the per-request database figures)")
	fs.IntVar(&o.SeedWorkers, "seed-workers", 2, "parallel COPY connections while seeding")
	fs.IntVar(&o.SeedBatch, "seed-batch", 5_000, "users per COPY batch")
	scenarios := fs.String("scenarios", strings.Join(scenarioNames, ","), "scenarios to run, comma-separated")
	level := fs.String("log-level", "info", "the server's log level (logs go to a file in the run's temporary folder)")
	fs.BoolVar(&o.Keep, "keep", false, "keep the database, the Redis keys and the log file afterwards")
	fs.StringVar(&o.Out, "out", "", "also write the report as JSON to this file")
	fs.StringVar(&o.Reference, "reference", "", "JSON report of a run at fewer users: checks today's p99 against it")
	fs.BoolVar(&o.Strict, "strict", false, "exit with status 3 when a target is missed")
	fs.StringVar(&o.Print, "print", "", "print the report saved in this JSON file (checked against --reference) and exit")
	fs.BoolVar(&o.MediaStream, "media-stream", false, "instead of the load scenarios, measure the server's memory (--server-bin, on SQLite and the local media folder) while it streams a 100 MB talk to 32 clients at once")
	fs.StringVar(&o.ServerBin, "server-bin", "bin/dharmaplans", "the server binary --media-stream runs (make build makes it)")
	fs.StringVar(&o.ProfileDir, "cpuprofile", "", "write a CPU profile of each measured scenario to this folder (server and load generator share the process)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if err := o.LogLevel.UnmarshalText([]byte(*level)); err != nil {
		return nil, fmt.Errorf("--log-level: %v", err)
	}
	for _, s := range strings.Split(*scenarios, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		if !slices.Contains(scenarioNames, s) {
			return nil, fmt.Errorf("--scenarios: unknown scenario %q (known: %s)", s, strings.Join(scenarioNames, ", "))
		}
		o.Scenarios = append(o.Scenarios, s)
	}
	switch {
	case o.Users < 1:
		return nil, fmt.Errorf("--users must be at least 1")
	case o.Driven < 1:
		return nil, fmt.Errorf("--driven must be at least 1")
	case o.Connections < 1 || o.SearchConnections < 1:
		return nil, fmt.Errorf("--connections and --search-connections must be at least 1")
	case o.Plans < 1:
		return nil, fmt.Errorf("--plans must be at least 1")
	case o.Duration <= 0:
		return nil, fmt.Errorf("--duration must be positive")
	case o.Rounds < 1:
		return nil, fmt.Errorf("--rounds must be at least 1")
	case o.SeedWorkers < 1 || o.SeedBatch < 1:
		return nil, fmt.Errorf("--seed-workers and --seed-batch must be at least 1")
	}
	o.Driven = min(o.Driven, o.Users)
	return o, nil
}

func or(v, def string) string {
	if v != "" {
		return v
	}
	return def
}

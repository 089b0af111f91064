// Command dharmaplans-bench is the performance harness behind `make bench`.
//
// It creates a PostgreSQL database of its own, starts the real server
// (app.Main, the wiring the binary runs) in process on PostgreSQL and Redis,
// seeds it in bulk with a data set of --users people (enrolments, finished
// days, practice records and streaks), then drives each scenario with vegeta
// over loopback at a fixed number of connections, as fast as the server
// answers:
//
//   - today: GET /v1/enrollments/{id}/today, spread over the driven users
//   - completion: PUT and DELETE of an item's or task's completion
//   - sync: POST /v1/sync with batches of five offline events
//
// In the same run it drives two bare baselines, a minimal net/http + pgx
// handler doing one indexed SELECT and one doing one INSERT, so that each
// figure comes with its ratio to what the machine does with no application
// at all. Every scenario is measured in turn with the others, --rounds
// times, and reported by its fastest round (other work on the machine only
// slows rounds down). It prints requests per second and p50/p95/p99
// latency per scenario, the work each request cost the database and Redis,
// and whether the performance targets are met. docs/performance.md has the
// figures of a run and how to read them.
//
// --media-stream measures something else on its own: the server's memory
// while it streams a 100 MB talk to 32 clients at once (media.go).
//
// Usage:
//
//	go run ./cmd/dharmaplans-bench [--users 10000] [--duration 10s] [--rounds 3] [--connections 64] [--keep]
//	go run ./cmd/dharmaplans-bench --print bin/bench-1m.json --reference bin/bench-10k.json
//	go run ./cmd/dharmaplans-bench --media-stream
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"syscall"
	_ "time/tzdata" // the seeded people live in several time zones
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errTargetsMissed):
		os.Exit(3)
	default:
		fmt.Fprintln(os.Stderr, "dharmaplans-bench:", err)
		os.Exit(1)
	}
}

// errTargetsMissed ends a --strict run in which a target was missed.
var errTargetsMissed = errors.New("performance targets missed")

// run is the whole harness: set up, seed, drive, report, clean up.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	opts, err := parseOptions(args, os.Getenv, stderr)
	if err != nil {
		return err
	}
	var reference *Report
	if opts.Reference != "" {
		if reference, err = readReport(opts.Reference); err != nil {
			return err
		}
	}
	if opts.Print != "" {
		rep, err := readReport(opts.Print)
		if err != nil {
			return err
		}
		rep.Reference = reference
		rep.Targets = evaluate(rep)
		rep.Print(stdout)
		return nil
	}
	log := newProgress(stderr)
	if opts.MediaStream {
		return runMediaStream(ctx, opts.ServerBin, stdout, log)
	}
	machine := describeMachine(ctx, opts)
	log.Printf("machine: %s", machine.Summary())

	db, err := createDatabase(ctx, opts.ServerURL, opts.Keep)
	if err != nil {
		return err
	}
	defer db.Drop(log)
	log.Printf("database %s created", db.Name)

	srv, err := startServer(ctx, opts, db.URL, log)
	if err != nil {
		return err
	}
	defer srv.Close(log)

	plan, err := importBenchPlan(ctx, srv.Main)
	if err != nil {
		return err
	}
	demos, err := demoIndexes(ctx, srv.Main)
	if err != nil {
		return err
	}
	seeded, err := seed(ctx, db.URL, plan, demos, opts, log)
	if err != nil {
		return err
	}
	if err := issueTokens(ctx, db.URL, srv.Main, seeded.Driven); err != nil {
		return err
	}
	log.Printf("signed in %d driven people", len(seeded.Driven))
	day, err := dayContent(ctx, srv.URL, seeded.Driven[0])
	if err != nil {
		return err
	}
	base, err := startBaseline(ctx, db.URL, day)
	if err != nil {
		return err
	}
	defer base.Close()
	log.Printf("baseline listening on %s", base.URL)

	cat := &catalogue{}
	if slices.ContainsFunc(opts.Scenarios, func(s string) bool { return slices.Contains(searchScenarios, s) }) {
		if cat, err = seedCatalogue(ctx, srv.Main, db.URL, opts.Plans, log); err != nil {
			return err
		}
	}
	results, err := drive(ctx, opts, db, srv, base, seeded.Driven, cat, log)
	if err != nil {
		return err
	}
	rep := &Report{Machine: machine, Users: opts.Users, Driven: len(seeded.Driven), Connections: opts.Connections,
		Duration: opts.Duration.String(), Rounds: opts.Rounds, Seed: seeded.Stats, Catalogue: cat.Stats, Results: results, Reference: reference}
	rep.Targets = evaluate(rep)
	rep.Print(stdout)
	if opts.Out != "" {
		if err := rep.Write(opts.Out); err != nil {
			return err
		}
		log.Printf("results written to %s", opts.Out)
	}
	if opts.Strict && !rep.AllMet() {
		return errTargetsMissed
	}
	return nil
}

package main

import (
	"cmp"
	"context"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Result is what one scenario measured: the figures of its fastest round,
// and every round. Other work on the machine only ever slows a round
// down, so the fastest is the best estimate of what the machine does;
// the spread between rounds shows how disturbed the others were.
type Result struct {
	Name     string `json:"name"`
	Baseline string `json:"baseline,omitempty"`
	// Connections is how many requests were in flight.
	Connections int            `json:"connections,omitempty"`
	Requests    uint64         `json:"requests"` // measured, all rounds
	Success     float64        `json:"success"`  // share of 2xx and 3xx answers, all rounds
	RPS         float64        `json:"rps"`      // successful requests per second, fastest round
	Mean        Millis         `json:"mean_ms"`
	P50         Millis         `json:"p50_ms"`
	P95         Millis         `json:"p95_ms"`
	P99         Millis         `json:"p99_ms"`
	Max         Millis         `json:"max_ms"`
	BytesIn     float64        `json:"bytes_in_mean"` // response body, as sent (compressed when the server compresses)
	Statuses    map[string]int `json:"statuses"`
	Errors      []string       `json:"errors,omitempty"`
	// Work is what a request cost PostgreSQL and Redis on average over
	// the first round, warm-up included; nil when not measured.
	Work   *Work    `json:"work,omitempty"`
	Rounds []*Round `json:"rounds"`
}

// Round is one measurement of a scenario.
type Round struct {
	Requests uint64  `json:"requests"`
	OK       uint64  `json:"ok"`
	RPS      float64 `json:"rps"`
	Mean     Millis  `json:"mean_ms"`
	P50      Millis  `json:"p50_ms"`
	P95      Millis  `json:"p95_ms"`
	P99      Millis  `json:"p99_ms"`
	Max      Millis  `json:"max_ms"`
	BytesIn  float64 `json:"bytes_in_mean"`
	// Load is the machine's load average as the round began.
	Load     string         `json:"load_average"`
	Statuses map[string]int `json:"-"`
	Errors   []string       `json:"-"`
}

// Millis is a duration reported in milliseconds.
type Millis float64

func millis(d time.Duration) Millis { return Millis(float64(d.Microseconds()) / 1000) }

// drive runs the chosen scenarios in turn, --rounds times over, so that
// each baseline and the scenario compared with it are measured close
// together every time. Each measurement follows a checkpoint (so none
// pays for the previous one's writes) and a warm-up; in the first round,
// a pause after it lets PostgreSQL publish the statistics that give the
// work per request.
func drive(ctx context.Context, opts *Options, db *benchDB, srv *server, base *baseline, driven []*drivenUser, cat *catalogue, log *progress) ([]*Result, error) {
	counters, err := openCounters(ctx, db.URL, opts.RedisURL)
	if err != nil {
		return nil, err
	}
	defer counters.Close()
	all := scenarios(srv.URL, base.URL, driven, cat, opts.SearchConnections)
	clients := map[int]*http.Client{}
	results := map[string]*Result{}
	var order []*Result
	for round := 1; round <= opts.Rounds; round++ {
		for _, name := range scenarioNames {
			if !slices.Contains(opts.Scenarios, name) {
				continue
			}
			sc := all[name]
			conns := cmp.Or(sc.Connections, opts.Connections)
			client := clients[conns]
			if client == nil {
				client = newClient(conns)
				clients[conns] = client
			}
			res := results[name]
			if res == nil {
				res = &Result{Name: name, Baseline: sc.Baseline, Connections: conns}
				results[name] = res
				order = append(order, res)
			}
			t0 := time.Now()
			counters.Checkpoint(ctx)
			if d := time.Since(t0); d > time.Second {
				log.Printf("%s: waited %s for a checkpoint", name, d.Round(time.Second))
			}
			stats := round == 1 && opts.StatsWait > 0
			var before Counts
			if stats {
				if before, err = counters.Read(ctx); err != nil {
					return nil, err
				}
			}
			load := loadAverage()
			log.Printf("%s, round %d/%d: warm-up %s, then %s at %d connections (load average %s)", name, round, opts.Rounds,
				opts.Warmup, opts.Duration, conns, load)
			warm := attack(ctx, client, sc, conns, opts.Warmup)
			stopProfile := func() {}
			if round == 1 {
				if stopProfile, err = startProfile(opts.ProfileDir, name); err != nil {
					return nil, err
				}
			}
			r := attack(ctx, client, sc, conns, opts.Duration)
			stopProfile()
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			r.Load = load
			res.Rounds = append(res.Rounds, r)
			log.Printf("%s, round %d/%d: %.0f req/s, p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, %d of %d ok", name, round, opts.Rounds,
				r.RPS, r.P50, r.P95, r.P99, r.OK, r.Requests)
			if stats {
				select {
				case <-time.After(opts.StatsWait):
				case <-ctx.Done():
					return nil, ctx.Err()
				}
				after, err := counters.Read(ctx)
				if err != nil {
					return nil, err
				}
				res.Work = after.Sub(before).Per(warm.Requests + r.Requests)
			}
		}
	}
	for _, res := range order {
		res.count()
		res.pick()
	}
	return order, nil
}

// count totals the rounds' requests, answers and errors.
func (res *Result) count() {
	var ok uint64
	res.Statuses = map[string]int{}
	for _, r := range res.Rounds {
		res.Requests += r.Requests
		ok += r.OK
		for code, n := range r.Statuses {
			res.Statuses[code] += n
		}
		for _, e := range r.Errors {
			if len(res.Errors) < 5 && !slices.Contains(res.Errors, e) {
				res.Errors = append(res.Errors, e)
			}
		}
	}
	if res.Requests > 0 {
		res.Success = float64(ok) / float64(res.Requests)
	}
}

// pick takes the figures of the fastest round: throughput and the
// latencies measured with it.
func (res *Result) pick() {
	if len(res.Rounds) == 0 {
		return
	}
	best := res.Rounds[0]
	for _, r := range res.Rounds[1:] {
		if r.RPS > best.RPS {
			best = r
		}
	}
	res.RPS, res.BytesIn = best.RPS, best.BytesIn
	res.Mean, res.P50, res.P95, res.P99, res.Max = best.Mean, best.P50, best.P95, best.P99, best.Max
}

// spread is how far a result's rounds were apart: (max - min) / max of
// the requests per second.
func (res *Result) spread() float64 {
	if len(res.Rounds) < 2 || res.RPS == 0 {
		return 0
	}
	lo, hi := res.Rounds[0].RPS, res.Rounds[0].RPS
	for _, r := range res.Rounds[1:] {
		lo, hi = min(lo, r.RPS), max(hi, r.RPS)
	}
	return (hi - lo) / hi
}

// startProfile starts a CPU profile into dir/name.pprof; with no dir it
// does nothing.
func startProfile(dir, name string) (stop func(), err error) {
	if dir == "" {
		return func() {}, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	f, err := os.Create(filepath.Join(dir, name+".pprof"))
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// newClient is the load's HTTP client: keep-alive connections, as many
// as requests in flight, shared by the warm-up and the measurement. It
// asks for gzip as apps and browsers do (see acceptGzip) but does not
// spend the machine's CPU decompressing what it only counts.
func newClient(conns int) *http.Client {
	return &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			MaxIdleConnsPerHost: conns,
			MaxConnsPerHost:     conns,
			IdleConnTimeout:     time.Minute,
			DisableCompression:  true,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// attack drives sc for d with a fixed number of workers, each sending its
// next request as soon as the last is answered (rate 0: as fast as the
// server goes), and sums up the answers.
func attack(ctx context.Context, client *http.Client, sc *scenario, workers int, d time.Duration) *Round {
	r := &Round{}
	if d <= 0 {
		return r
	}
	atk := vegeta.NewAttacker(vegeta.Client(client), vegeta.Workers(uint64(workers)), vegeta.MaxWorkers(uint64(workers)),
		vegeta.KeepAlive(true), vegeta.Redirects(vegeta.NoFollow), vegeta.MaxBody(64<<10))
	stop := context.AfterFunc(ctx, func() { atk.Stop() })
	defer stop()
	var m vegeta.Metrics
	for res := range atk.Attack(sc.Targeter, vegeta.Rate{Freq: 0}, d, sc.Name) {
		m.Add(res)
	}
	m.Close()
	r.Requests, r.RPS, r.BytesIn = m.Requests, m.Throughput, m.BytesIn.Mean
	r.OK = uint64(math.Round(m.Success * float64(m.Requests)))
	r.Mean, r.P50, r.P95, r.P99, r.Max = millis(m.Latencies.Mean), millis(m.Latencies.P50),
		millis(m.Latencies.P95), millis(m.Latencies.P99), millis(m.Latencies.Max)
	r.Statuses, r.Errors = m.StatusCodes, m.Errors
	return r
}

package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
)

// Report is a whole run: where, on what data, what each scenario measured
// and how that compares with the targets.
type Report struct {
	Machine     Machine   `json:"machine"`
	Users       int       `json:"users"`
	Driven      int       `json:"driven_users"`
	Connections int       `json:"connections"`
	Duration    string    `json:"duration"`
	Rounds      int       `json:"rounds"`
	Seed        SeedStats `json:"seed"`
	// Catalogue is the generated catalogue of the search scenarios (zero
	// when they did not run).
	Catalogue CatalogueStats `json:"catalogue"`
	Results   []*Result      `json:"results"`
	Targets   []Target       `json:"targets"`
	// Reference is the smaller run today's p99 was compared with.
	Reference *Report `json:"-"`
}

// Target is one of the performance goals and how this run did.
type Target struct {
	Goal     string `json:"goal"`
	Measured string `json:"measured"`
	// Met is nil when the run could not check the goal.
	Met *bool `json:"met"`
}

// The goals, from the issue that asked for this harness.
const (
	todayShareOfSelect     = 0.60
	todayP99Limit          = 20.0 // ms
	completionShareOfWrite = 0.50
	todayP99Growth         = 1.3
	searchP95Limit         = 25.0 // ms
	suggestP95Limit        = 10.0 // ms
	searchPlans            = 10_000
)

func (r *Report) result(name string) *Result {
	for _, x := range r.Results {
		if x.Name == name {
			return x
		}
	}
	return nil
}

// evaluate checks the run against the goals.
func evaluate(r *Report) []Target {
	var out []Target
	check := func(goal, measured string, ok bool) {
		out = append(out, Target{Goal: goal, Measured: measured, Met: &ok})
	}
	skip := func(goal, why string) { out = append(out, Target{Goal: goal, Measured: why}) }

	today, sel := r.result("today"), r.result("bare-select")
	goal := fmt.Sprintf("today throughput >= %.0f%% of the bare SELECT handler's", 100*todayShareOfSelect)
	if today != nil && sel != nil && sel.RPS > 0 {
		share := today.RPS / sel.RPS
		check(goal, fmt.Sprintf("%.0f%% (%.0f vs %.0f req/s)%s", 100*share, today.RPS, sel.RPS, r.floor("floor-today", sel)), share >= todayShareOfSelect)
	} else {
		skip(goal, "not run")
	}
	goal = fmt.Sprintf("today p99 < %.0f ms at %d connections", todayP99Limit, 64)
	if today != nil && r.Connections == 64 {
		check(goal, fmt.Sprintf("%.1f ms", today.P99), float64(today.P99) < todayP99Limit)
	} else if today != nil {
		skip(goal, fmt.Sprintf("%.1f ms, but at %d connections", today.P99, r.Connections))
	} else {
		skip(goal, "not run")
	}
	comp, ins := r.result("completion"), r.result("bare-insert")
	goal = fmt.Sprintf("completion throughput >= %.0f%% of the bare INSERT handler's", 100*completionShareOfWrite)
	if comp != nil && ins != nil && ins.RPS > 0 {
		share := comp.RPS / ins.RPS
		check(goal, fmt.Sprintf("%.0f%% (%.0f vs %.0f req/s)%s", 100*share, comp.RPS, ins.RPS, r.floor("floor-mark", ins)), share >= completionShareOfWrite)
	} else {
		skip(goal, "not run")
	}
	goal = fmt.Sprintf("today p99 at 1,000,000 users <= %.1fx its p99 at 10,000", todayP99Growth)
	var ref *Result
	if r.Reference != nil {
		ref = r.Reference.result("today")
	}
	switch {
	case today == nil:
		skip(goal, "not run")
	case ref == nil:
		skip(goal, "not checked: give --reference with the JSON report of a smaller run")
	default:
		growth := float64(today.P99) / float64(ref.P99)
		check(goal, fmt.Sprintf("%.2fx (%.1f ms at %d users vs %.1f ms at %d)", growth, today.P99, r.Users, ref.P99, r.Reference.Users),
			growth <= todayP99Growth)
	}
	out = append(out, r.latencyTarget("search", searchP95Limit), r.latencyTarget("suggest", suggestP95Limit))
	return out
}

// latencyTarget checks that scenario name's p95 is under limit, on a
// catalogue of at least searchPlans plans.
func (r *Report) latencyTarget(name string, limit float64) Target {
	goal := fmt.Sprintf("%s p95 < %.0f ms over %s plans", name, limit, thousands(searchPlans))
	res := r.result(name)
	switch {
	case res == nil:
		return Target{Goal: goal, Measured: "not run"}
	case r.Catalogue.Plans < searchPlans:
		return Target{Goal: goal, Measured: fmt.Sprintf("%.1f ms, but over %s plans", res.P95, thousands(int64(r.Catalogue.Plans)))}
	}
	ok := float64(res.P95) < limit
	return Target{Goal: goal, Measured: fmt.Sprintf("%.1f ms at %d connections (%.0f req/s)", res.P95, res.Connections, res.RPS), Met: &ok}
}

// floor says what share of base the floor handler name reached, when it
// ran: the most the target could measure with the rules in Go.
func (r *Report) floor(name string, base *Result) string {
	f := r.result(name)
	if f == nil {
		return ""
	}
	return fmt.Sprintf("; its floor handler: %.0f%%", 100*f.RPS/base.RPS)
}

// AllMet reports whether no checked target was missed.
func (r *Report) AllMet() bool {
	for _, t := range r.Targets {
		if t.Met != nil && !*t.Met {
			return false
		}
	}
	return true
}

// Print writes the report as tables.
func (r *Report) Print(w io.Writer) {
	fmt.Fprintf(w, "\nDharma Plans performance: %d users (%d driven), %d connections, best of %d rounds of %s per scenario\n",
		r.Users, r.Driven, r.Connections, r.Rounds, r.Duration)
	fmt.Fprintf(w, "machine: %s\n", r.Machine.Summary())
	fmt.Fprintf(w, "code: %s, %s\n", r.Machine.Commit, r.Machine.Date)
	s := r.Seed
	fmt.Fprintf(w, "seed: %s rows in %.0f s (COPY %.0f s, indexes %.0f s, VACUUM ANALYZE %.0f s; %.1f s per 100,000 users), database %d MB\n\n",
		thousands(s.totalRows()), s.CopySeconds+s.IndexSeconds+s.VacuumSeconds, s.CopySeconds, s.IndexSeconds, s.VacuumSeconds,
		s.PerHundredK, s.DatabaseBytes>>20)
	if c := r.Catalogue; c.Plans > 0 {
		fmt.Fprintf(w, "catalogue: %s published plans with %s items, in %s words, published and indexed in %.0f s\n\n",
			thousands(int64(c.Plans)), thousands(int64(c.Items)), thousands(int64(c.Words)), c.Seconds)
	}

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "scenario\tconns\trequests\tok\tbytes\treq/s\tspread\tp50 ms\tp95 ms\tp99 ms\tvs baseline\t")
	for _, x := range r.Results {
		base := r.result(x.Baseline)
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.2f%%\t%.0f\t%s\t%.0f%%\t%s\t%s\t%s\t%s\t\n", x.Name, cmp.Or(x.Connections, r.Connections), x.Requests, 100*x.Success, x.BytesIn,
			ratio(x.RPS, base, func(b *Result) float64 { return b.RPS }, "%.0f"), 100*x.spread(),
			ratio(float64(x.P50), base, func(b *Result) float64 { return float64(b.P50) }, "%.1f"),
			ratio(float64(x.P95), base, func(b *Result) float64 { return float64(b.P95) }, "%.1f"),
			ratio(float64(x.P99), base, func(b *Result) float64 { return float64(b.P99) }, "%.1f"),
			or(x.Baseline, "-"))
	}
	tw.Flush()

	fmt.Fprintln(w, "figures of each scenario's fastest round; spread: how far its rounds' req/s were apart, (max - min) / max")
	fmt.Fprintln(w, "\nwork per request, first round with its warm-up (PostgreSQL: transactions, index and sequential scans, rows read and written, blocks read outside shared buffers; Redis: commands)")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "scenario\tpg tx\tidx scans\tseq scans\trows read\trows written\tblocks read\tredis cmds\t")
	for _, x := range r.Results {
		if x.Work == nil {
			fmt.Fprintf(tw, "%s\t-\t-\t-\t-\t-\t-\t-\t\n", x.Name)
			continue
		}
		k := x.Work
		fmt.Fprintf(tw, "%s\t%.1f\t%.1f\t%.2f\t%.1f\t%.1f\t%.2f\t%.1f\t\n", x.Name, k.Transactions, k.IndexScans, k.SeqScans,
			k.RowsRead, k.RowsWritten, k.BlocksRead, k.RedisCommands)
	}
	tw.Flush()

	var failed []string
	for _, x := range r.Results {
		if x.Success < 1 {
			failed = append(failed, fmt.Sprintf("%s: statuses %v, e.g. %s", x.Name, x.Statuses, strings.Join(x.Errors, "; ")))
		}
	}
	if len(failed) > 0 {
		fmt.Fprintf(w, "\nfailed requests:\n  %s\n", strings.Join(failed, "\n  "))
	}

	fmt.Fprintln(w, "\ntargets")
	for _, t := range r.Targets {
		mark := "not checked"
		if t.Met != nil {
			mark = map[bool]string{true: "met", false: "MISSED"}[*t.Met]
		}
		fmt.Fprintf(w, "  %-12s %s: %s\n", "["+mark+"]", t.Goal, t.Measured)
	}
	fmt.Fprintln(w)
}

// ratio formats v, and its ratio to the baseline's figure when there is one.
func ratio(v float64, base *Result, of func(*Result) float64, format string) string {
	s := fmt.Sprintf(format, v)
	if base == nil || of(base) == 0 {
		return s
	}
	return fmt.Sprintf("%s (%.2fx)", s, v/of(base))
}

func (s SeedStats) totalRows() int64 {
	var n int64
	for _, c := range s.Rows {
		n += c
	}
	return n
}

func thousands(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// Write saves the report as JSON.
func (r *Report) Write(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// readReport reads a report Write saved.
func readReport(path string) (*Report, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r Report
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for _, res := range r.Results {
		res.pick() // by this harness's rule, whichever wrote the file
	}
	return &r, nil
}

package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/practice"
)

// The seeded tables and the columns the harness fills, in the order rows
// list their values. Columns left out take their defaults (NULL for the
// optional ones).
var seedTables = [...]struct {
	Name    string
	Columns []string
}{
	{"users", []string{"id", "email", "password_hash", "display_name", "role", "timezone", "locale", "created_at", "updated_at",
		"day_start_hour", "theme", "email_verified_at", "failed_logins", "search_name"}},
	{"practice_profiles", []string{"user_id", "grace_per_week", "show_streaks", "current_streak", "longest_streak", "last_date",
		"last_zone", "grace_dates", "days_practised", "seconds", "updated_at"}},
	{"enrollments", []string{"id", "user_id", "plan_id", "status", "pace", "per_week", "start_date", "anchor_date", "anchor_day",
		"reminder_time", "cycle", "completed_at", "created_at", "updated_at"}},
	{"target_events", []string{"enrollment_id", "client_id", "cycle", "kind", "target_id", "day_number", "done", "at",
		"local_date", "timezone"}},
	{"completions", []string{"enrollment_id", "cycle", "kind", "target_id", "day_number", "at", "local_date", "timezone", "client_id"}},
	{"day_completions", []string{"enrollment_id", "cycle", "day_number", "user_id", "at", "local_date", "timezone"}},
	{"practice_days", []string{"user_id", "local_date", "timezone", "first_at", "days_finished", "sessions", "seconds"}},
}

// Indexes into seedTables.
const (
	tUsers = iota
	tProfiles
	tEnrollments
	tTargetEvents
	tCompletions
	tDayCompletions
	tPracticeDays
)

// zones are where seeded people live, with weights: several offsets, so
// that "today" differs between them as it does in production.
var zones = []struct {
	Name   string
	Weight int
}{
	{"UTC", 30}, {"Europe/Berlin", 15}, {"America/New_York", 15}, {"America/Los_Angeles", 10},
	{"Asia/Tokyo", 10}, {"Asia/Kolkata", 10}, {"Australia/Sydney", 5}, {"Asia/Bangkok", 5},
}

// planShape is what the generator needs of a plan: its id and, per day,
// the targets that finish it.
type planShape struct {
	ID       uuid.UUID
	Index    *catalog.PlanIndex
	Required [][]target // by day number (index 0 unused)
	All      [][]catalog.Target
}

type target struct {
	Kind string
	ID   uuid.UUID
}

func newPlanShape(x *catalog.PlanIndex) (*planShape, error) {
	id, err := uuid.Parse(x.PlanID)
	if err != nil {
		return nil, err
	}
	s := &planShape{ID: id, Index: x, Required: make([][]target, x.Days+1), All: make([][]catalog.Target, x.Days+1)}
	for _, t := range x.Targets {
		s.All[t.Day] = append(s.All[t.Day], t)
		if t.Optional {
			continue
		}
		tid, err := uuid.Parse(t.ID)
		if err != nil {
			return nil, err
		}
		s.Required[t.Day] = append(s.Required[t.Day], target{Kind: t.Kind, ID: tid})
	}
	for n := 1; n <= x.Days; n++ {
		if len(s.Required[n]) == 0 {
			return nil, fmt.Errorf("plan %s: day %d requires nothing; the generator needs a target per day", x.Slug, n)
		}
	}
	return s, nil
}

// generator makes the rows of one person from their number alone, so a
// data set is the same whichever worker copies it.
type generator struct {
	now          time.Time
	main         *planShape   // everyone follows it
	finished     []*planShape // one person in four finished one of these before
	passwordHash string
	seed         uint64
	locations    []*time.Location
	totalWeight  int
}

func newGenerator(now time.Time, main *planShape, finished []*planShape, passwordHash string) (*generator, error) {
	g := &generator{now: now.UTC().Truncate(time.Microsecond), main: main, finished: finished, passwordHash: passwordHash, seed: 0x5eed}
	for _, z := range zones {
		loc, err := time.LoadLocation(z.Name)
		if err != nil {
			return nil, err
		}
		g.locations = append(g.locations, loc)
		g.totalWeight += z.Weight
	}
	return g, nil
}

// rows collects rows per table, in the order of seedTables.
type rows [len(seedTables)][][]any

// person is what the load needs to know of a seeded person.
type person struct {
	UserID       uuid.UUID
	EnrollmentID uuid.UUID
	Zone         string
	Today        practice.Date
	Day          int // the day due today in the main plan
}

// person appends person i's rows to out. Everyone follows the main plan,
// daily, started 0-20 days ago; three in four are on track (every day due
// before today finished, on its date), the others stopped 1-3 days ago.
// One in four finished a demo plan just before. Their practice records
// and streak are what the service would have kept: the streak is
// practice.Rebuild over the dates.
func (g *generator) person(i int, out *rows) (*person, error) {
	r := rand.New(rand.NewPCG(g.seed, uint64(i)))
	zi := g.pickZone(r)
	loc, zoneName := g.locations[zi], zones[zi].Name
	today := practice.LocalDate(g.now, loc, 0)
	userID := mustV7()
	since := r.IntN(21)
	behind := 0
	if r.IntN(4) == 0 {
		behind = min(since, 1+r.IntN(3))
	}
	startA := today.AddDays(-since)
	first := startA

	var days []practice.PracticeDay
	var lastAt time.Time
	enrol := func(plan *planShape, start practice.Date, finished int, completed bool) uuid.UUID {
		id := mustV7()
		created := at(start, loc, 7, 0)
		updated := created
		for n := 1; n <= finished; n++ {
			date := start.AddDays(n - 1)
			ds := date.String()
			t0 := at(date, loc, 7, 30+r.IntN(60))
			var dayAt time.Time
			for j, t := range plan.Required[n] {
				when := t0.Add(time.Duration(j*4) * time.Minute)
				client := mustV7().String()
				out[tTargetEvents] = append(out[tTargetEvents], []any{id, client, 1, t.Kind, t.ID, n, true, when, ds, zoneName})
				out[tCompletions] = append(out[tCompletions], []any{id, 1, t.Kind, t.ID, n, when, ds, zoneName, client})
				dayAt = when
			}
			out[tDayCompletions] = append(out[tDayCompletions], []any{id, 1, n, userID, dayAt, ds, zoneName})
			out[tPracticeDays] = append(out[tPracticeDays], []any{userID, ds, zoneName, dayAt, 1, 0, 0})
			days = append(days, practice.PracticeDay{Date: date, Zone: zoneName, At: dayAt})
			updated, lastAt = dayAt, dayAt
		}
		status, completedAt := "active", any(nil)
		if completed {
			status, completedAt = "completed", updated
		}
		reminder := ""
		if r.IntN(3) == 0 {
			reminder = "07:30"
		}
		out[tEnrollments] = append(out[tEnrollments], []any{id, userID, plan.ID, status, "daily", 0, start.String(), start.String(), 1,
			reminder, 1, completedAt, created, updated})
		return id
	}
	if i%4 == 0 && len(g.finished) > 0 {
		plan := g.finished[(i/4)%len(g.finished)]
		startB := startA.AddDays(-r.IntN(4) - plan.Index.Days)
		first = startB
		enrol(plan, startB, plan.Index.Days, true)
	}
	enrollmentA := enrol(g.main, startA, since-behind, false)

	created := at(first.AddDays(-1), loc, 20, 0)
	name := fmt.Sprintf("Reader %d", i)
	out[tUsers] = append(out[tUsers], []any{userID, fmt.Sprintf("reader%07d@bench.example.org", i), g.passwordHash, name, "user",
		zoneName, "en", created, created, 0, "system", created, 0, strings.ToLower(name)})

	streak := practice.Rebuild(days, practice.Rules{GracePerWeek: practice.DefaultGracePerWeek})
	grace := make([]string, len(streak.Grace))
	for j, d := range streak.Grace {
		grace[j] = d.String()
	}
	graceJSON, err := json.Marshal(grace)
	if err != nil {
		return nil, err
	}
	var last any
	if streak.Has {
		last = streak.Last.String()
	}
	updated := created
	if !lastAt.IsZero() {
		updated = lastAt
	}
	out[tProfiles] = append(out[tProfiles], []any{userID, practice.DefaultGracePerWeek, true, streak.Current, streak.Longest, last,
		streak.LastZone, string(graceJSON), len(days), 0, updated})
	return &person{UserID: userID, EnrollmentID: enrollmentA, Zone: zoneName, Today: today, Day: since + 1}, nil
}

func (g *generator) pickZone(r *rand.Rand) int {
	n := r.IntN(g.totalWeight)
	for i, z := range zones {
		if n < z.Weight {
			return i
		}
		n -= z.Weight
	}
	return 0
}

// at is hour:minute on date d in loc, in UTC (minutes may exceed 59).
func at(d practice.Date, loc *time.Location, hour, minute int) time.Time {
	y, m, day := d.Time().Date()
	return time.Date(y, m, day, hour, minute, 0, 0, loc).UTC()
}

// mustV7 returns a time-ordered id, as the application makes them: rows
// arrive at the right-hand edge of their indexes, as in production.
func mustV7() uuid.UUID { return uuid.Must(uuid.NewV7()) }

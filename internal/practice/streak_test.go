package practice_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/practice"
)

const (
	tokyo      = "Asia/Tokyo"
	losAngeles = "America/Los_Angeles"
	berlin     = "Europe/Berlin"
	newYork    = "America/New_York"
	utc        = "UTC"
)

// logged is one practice as a phone reports it: the person's zone and the
// instant, written with that zone's offset.
type logged struct{ zone, at string }

// practiceDays dates each practice in the person's own calendar.
func practiceDays(t *testing.T, logs []logged, r practice.Rules) []practice.PracticeDay {
	t.Helper()
	days := make([]practice.PracticeDay, len(logs))
	for i, l := range logs {
		at := mustInstant(t, l.at)
		days[i] = practice.PracticeDay{Date: practice.LocalDate(at, mustZone(t, l.zone), r.DayStartHour), Zone: l.zone, At: at}
	}
	return days
}

// keptOnEveryWrite is the streak as the service keeps it while the days
// come in, in the order given: a new latest date extends it, anything
// else rebuilds it.
func keptOnEveryWrite(days []practice.PracticeDay, r practice.Rules) practice.Streak {
	var s practice.Streak
	for i, d := range days {
		if !s.Has || d.Date.After(s.Last) {
			s = s.Extend(d, r)
		} else {
			s = practice.Rebuild(days[:i+1], r)
		}
	}
	return s
}

func sameStreak(a, b practice.Streak) bool {
	return a.Current == b.Current && a.Longest == b.Longest && a.Has == b.Has && a.Last == b.Last &&
		a.LastZone == b.LastZone && slices.Equal(a.Grace, b.Grace)
}

func dates(ds []practice.Date) string {
	s := make([]string, len(ds))
	for i, d := range ds {
		s[i] = d.String()
	}
	return "[" + strings.Join(s, " ") + "]"
}

func TestStreak(t *testing.T) {
	oneGrace := practice.Rules{GracePerWeek: practice.DefaultGracePerWeek}
	noGrace := practice.Rules{GracePerWeek: 0}

	tests := []struct {
		name    string
		rules   practice.Rules
		logs    []logged // in the order practised
		current int
		longest int
		grace   []string // grace days the current streak holds
	}{
		{
			name:    "consecutive days add one each",
			rules:   noGrace,
			logs:    []logged{{utc, "2026-06-01T08:00:00Z"}, {utc, "2026-06-02T21:00:00Z"}, {utc, "2026-06-03T07:00:00Z"}},
			current: 3, longest: 3,
		},
		{
			name:  "the short DST day is one day: New York, spring forward",
			rules: noGrace,
			logs: []logged{
				{newYork, "2026-03-07T20:00:00-05:00"}, {newYork, "2026-03-08T03:30:00-04:00"}, {newYork, "2026-03-09T20:00:00-04:00"},
			},
			current: 3, longest: 3,
		},
		{
			name:  "the long DST day counts once even when practised in both of its 02:30s: Berlin, fall back",
			rules: noGrace,
			logs: []logged{
				{berlin, "2026-10-24T21:00:00+02:00"}, {berlin, "2026-10-25T02:30:00+02:00"}, {berlin, "2026-10-25T02:30:00+01:00"},
				{berlin, "2026-10-26T07:00:00+01:00"},
			},
			current: 3, longest: 3,
		},
		{
			name:    "a day practised twice counts once",
			rules:   noGrace,
			logs:    []logged{{utc, "2026-06-01T07:00:00Z"}, {utc, "2026-06-01T21:00:00Z"}, {utc, "2026-06-02T07:00:00Z"}},
			current: 2, longest: 2,
		},
		{
			name:    "one missed day is covered by a grace day: the streak lives on without counting it",
			rules:   oneGrace,
			logs:    []logged{{utc, "2026-06-01T07:00:00Z"}, {utc, "2026-06-02T07:00:00Z"}, {utc, "2026-06-04T07:00:00Z"}},
			current: 3, longest: 3, grace: []string{"2026-06-03"},
		},
		{
			name:  "two missed days in a row with one grace day break the streak",
			rules: oneGrace,
			logs: []logged{
				{utc, "2026-06-01T07:00:00Z"}, {utc, "2026-06-02T07:00:00Z"}, {utc, "2026-06-03T07:00:00Z"}, {utc, "2026-06-06T07:00:00Z"},
			},
			current: 1, longest: 3,
		},
		{
			name:    "without grace days any missed day breaks the streak",
			rules:   noGrace,
			logs:    []logged{{utc, "2026-06-01T07:00:00Z"}, {utc, "2026-06-02T07:00:00Z"}, {utc, "2026-06-04T07:00:00Z"}},
			current: 1, longest: 2,
		},
		{
			name:    "with two grace days a week, two missed days in a row are covered",
			rules:   practice.Rules{GracePerWeek: 2},
			logs:    []logged{{utc, "2026-06-01T07:00:00Z"}, {utc, "2026-06-04T07:00:00Z"}},
			current: 2, longest: 2, grace: []string{"2026-06-02", "2026-06-03"},
		},
		{
			name:  "grace refills seven days after it was used",
			rules: oneGrace,
			logs: []logged{ // missed 3 and 10 June
				{utc, "2026-06-01T07:00:00Z"}, {utc, "2026-06-02T07:00:00Z"}, {utc, "2026-06-04T07:00:00Z"},
				{utc, "2026-06-05T07:00:00Z"}, {utc, "2026-06-06T07:00:00Z"}, {utc, "2026-06-07T07:00:00Z"},
				{utc, "2026-06-08T07:00:00Z"}, {utc, "2026-06-09T07:00:00Z"}, {utc, "2026-06-11T07:00:00Z"},
			},
			current: 9, longest: 9, grace: []string{"2026-06-10"},
		},
		{
			name:  "a second missed day within seven days of a grace day breaks the streak",
			rules: oneGrace,
			logs: []logged{ // missed 3 and 9 June
				{utc, "2026-06-01T07:00:00Z"}, {utc, "2026-06-02T07:00:00Z"}, {utc, "2026-06-04T07:00:00Z"},
				{utc, "2026-06-05T07:00:00Z"}, {utc, "2026-06-06T07:00:00Z"}, {utc, "2026-06-07T07:00:00Z"},
				{utc, "2026-06-08T07:00:00Z"}, {utc, "2026-06-10T07:00:00Z"},
			},
			current: 1, longest: 7,
		},
		{
			name:  "the longest streak is kept after a break",
			rules: oneGrace,
			logs: []logged{
				{utc, "2026-06-01T07:00:00Z"}, {utc, "2026-06-02T07:00:00Z"}, {utc, "2026-06-03T07:00:00Z"},
				{utc, "2026-06-04T07:00:00Z"}, {utc, "2026-06-05T07:00:00Z"}, {utc, "2026-06-08T07:00:00Z"},
				{utc, "2026-06-09T07:00:00Z"},
			},
			current: 2, longest: 5,
		},
		{
			name:    "with a day start of 3, practice at 01:00 counts for the date before",
			rules:   practice.Rules{GracePerWeek: 0, DayStartHour: 3},
			logs:    []logged{{tokyo, "2026-06-01T21:00:00+09:00"}, {tokyo, "2026-06-03T01:00:00+09:00"}, {tokyo, "2026-06-03T21:00:00+09:00"}},
			current: 3, longest: 3,
		},
		{
			name:    "with the day starting at midnight, the same practice at 01:00 leaves a date missed",
			rules:   practice.Rules{GracePerWeek: 0, DayStartHour: 0},
			logs:    []logged{{tokyo, "2026-06-01T21:00:00+09:00"}, {tokyo, "2026-06-03T01:00:00+09:00"}, {tokyo, "2026-06-03T21:00:00+09:00"}},
			current: 1, longest: 1,
		},
		{
			// Leaves Tokyo on 12 June at 17:00 and lands in Los Angeles on the morning of 12 June.
			name:  "flying Tokyo to Los Angeles the date repeats: counted once, the streak kept",
			rules: noGrace,
			logs: []logged{
				{tokyo, "2026-06-10T08:00:00+09:00"}, {tokyo, "2026-06-11T08:00:00+09:00"}, {tokyo, "2026-06-12T09:00:00+09:00"},
				{losAngeles, "2026-06-12T19:00:00-07:00"}, {losAngeles, "2026-06-13T08:00:00-07:00"},
			},
			current: 4, longest: 4,
		},
		{
			// Leaves Tokyo before dawn on 12 June and lands in Los Angeles late on 11 June.
			name:  "flying Tokyo to Los Angeles the date goes back: nothing counted twice, the streak kept",
			rules: noGrace,
			logs: []logged{
				{tokyo, "2026-06-10T07:00:00+09:00"}, {tokyo, "2026-06-11T07:00:00+09:00"}, {tokyo, "2026-06-12T05:30:00+09:00"},
				{losAngeles, "2026-06-11T23:50:00-07:00"}, {losAngeles, "2026-06-12T20:00:00-07:00"}, {losAngeles, "2026-06-13T20:00:00-07:00"},
			},
			current: 4, longest: 4,
		},
		{
			name:  "after flying Tokyo to Los Angeles, a date missed in Los Angeles is still missed",
			rules: noGrace,
			logs: []logged{
				{tokyo, "2026-06-10T08:00:00+09:00"}, {tokyo, "2026-06-11T08:00:00+09:00"}, {losAngeles, "2026-06-13T20:00:00-07:00"},
			},
			current: 1, longest: 2,
		},
		{
			// Leaves Los Angeles on 10 June at 23:30 and lands in Tokyo at 05:00 on 12 June: 11 June never comes.
			name:  "flying Los Angeles to Tokyo skips a date: the streak survives without a grace day",
			rules: oneGrace,
			logs: []logged{
				{losAngeles, "2026-06-09T20:00:00-07:00"}, {losAngeles, "2026-06-10T20:00:00-07:00"},
				{tokyo, "2026-06-12T07:00:00+09:00"}, {tokyo, "2026-06-13T07:00:00+09:00"},
			},
			current: 4, longest: 4,
		},
		{
			name:  "flying Los Angeles to Tokyo skips a date even for someone with no grace days",
			rules: noGrace,
			logs: []logged{
				{losAngeles, "2026-06-09T20:00:00-07:00"}, {losAngeles, "2026-06-10T20:00:00-07:00"},
				{tokyo, "2026-06-12T07:00:00+09:00"}, {tokyo, "2026-06-13T07:00:00+09:00"},
			},
			current: 4, longest: 4,
		},
		{
			// Leaves Los Angeles late on 10 June, lands in Tokyo on 12 June and sits that evening,
			// when the Los Angeles clock already reads 12 June too.
			name:  "flying Los Angeles to Tokyo, evening practice after landing still keeps the streak",
			rules: noGrace,
			logs: []logged{
				{losAngeles, "2026-06-09T20:00:00-07:00"}, {losAngeles, "2026-06-10T20:00:00-07:00"},
				{tokyo, "2026-06-12T19:00:00+09:00"},
			},
			current: 3, longest: 3,
		},
		{
			// Berlin to Helsinki is an hour east: no long-haul flight, so a missed date is missed.
			name:  "a short move east forgives nothing",
			rules: noGrace,
			logs: []logged{
				{"Europe/Berlin", "2026-06-09T20:00:00+02:00"}, {"Europe/Helsinki", "2026-06-11T20:00:00+03:00"},
			},
			current: 1, longest: 1,
		},
		{
			name:  "after flying Los Angeles to Tokyo, a date missed besides the skipped one takes a grace day",
			rules: oneGrace,
			logs: []logged{
				{losAngeles, "2026-06-09T20:00:00-07:00"}, {losAngeles, "2026-06-10T20:00:00-07:00"},
				{tokyo, "2026-06-13T07:00:00+09:00"},
			},
			current: 3, longest: 3, grace: []string{"2026-06-11"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			days := practiceDays(t, tt.logs, tt.rules)
			got := practice.Rebuild(days, tt.rules)
			if got.Current != tt.current || got.Longest != tt.longest {
				t.Errorf("current %d, longest %d; want current %d, longest %d", got.Current, got.Longest, tt.current, tt.longest)
			}
			want := make([]practice.Date, len(tt.grace))
			for i, g := range tt.grace {
				want[i] = practice.MustDate(g)
			}
			if !slices.Equal(got.Grace, want) {
				t.Errorf("grace days %s, want %s", dates(got.Grace), dates(want))
			}
			if kept := keptOnEveryWrite(days, tt.rules); !sameStreak(kept, got) {
				t.Errorf("kept on every write %+v, rebuilt %+v", kept, got)
			}
			slices.Reverse(days)
			if backwards := practice.Rebuild(days, tt.rules); !sameStreak(backwards, got) {
				t.Errorf("rebuilt from the days backwards %+v, forwards %+v", backwards, got)
			}
		})
	}

	t.Run("the first practice starts a streak of one", func(t *testing.T) {
		day := practiceDays(t, []logged{{berlin, "2026-06-01T07:00:00+02:00"}}, oneGrace)[0]
		got := practice.Streak{}.Extend(day, oneGrace)
		if !got.Has || got.Current != 1 || got.Longest != 1 || got.Last != date("2026-06-01") || got.LastZone != berlin {
			t.Errorf("after the first practice: %+v", got)
		}
	})

	t.Run("no practice, no streak", func(t *testing.T) {
		if got := practice.Rebuild(nil, oneGrace); got.Has || got.Current != 0 || got.Longest != 0 {
			t.Errorf("Rebuild(nil) = %+v", got)
		}
	})
}

// AsOf reads the kept streak on a date without history: the day is not
// over until it is over.
func TestStreakAsOf(t *testing.T) {
	oneGrace := practice.Rules{GracePerWeek: practice.DefaultGracePerWeek}
	noGrace := practice.Rules{GracePerWeek: 0}
	daily := func(zone string, from, to int) []logged { // practice every June date from..to at 07:00 UTC
		var logs []logged
		for day := from; day <= to; day++ {
			logs = append(logs, logged{zone, fmt.Sprintf("2026-06-%02dT07:00:00Z", day)})
		}
		return logs
	}

	tests := []struct {
		name  string
		rules practice.Rules
		logs  []logged
		now   logged // where the person is and the instant they look
		want  practice.Standing
	}{
		{
			name:  "before any practice there is no streak and all the grace",
			rules: oneGrace, now: logged{utc, "2026-06-04T09:00:00Z"},
			want: practice.Standing{Current: 0, Longest: 0, GraceLeft: 1},
		},
		{
			name:  "practised today: the streak stands",
			rules: noGrace, logs: daily(utc, 1, 3), now: logged{utc, "2026-06-03T22:00:00Z"},
			want: practice.Standing{Current: 3, Longest: 3, GraceLeft: 0},
		},
		{
			name:  "today not yet practised does not break the streak",
			rules: noGrace, logs: daily(utc, 1, 3), now: logged{utc, "2026-06-04T23:59:00Z"},
			want: practice.Standing{Current: 3, Longest: 3, GraceLeft: 0},
		},
		{
			name:  "yesterday missed with grace left: the streak stands on a grace day",
			rules: oneGrace, logs: daily(utc, 1, 3), now: logged{utc, "2026-06-05T09:00:00Z"},
			want: practice.Standing{Current: 3, Longest: 3, GraceLeft: 0},
		},
		{
			name:  "yesterday missed without grace: the streak is gone, the longest stays",
			rules: noGrace, logs: daily(utc, 1, 3), now: logged{utc, "2026-06-05T09:00:00Z"},
			want: practice.Standing{Current: 0, Longest: 3, GraceLeft: 0},
		},
		{
			name:  "two days missed with one grace day: the streak is gone, the longest stays, the grace is whole again",
			rules: oneGrace, logs: daily(utc, 1, 3), now: logged{utc, "2026-06-06T09:00:00Z"},
			want: practice.Standing{Current: 0, Longest: 3, GraceLeft: 1},
		},
		{
			name:  "a grace day used this week leaves none",
			rules: oneGrace, logs: append(daily(utc, 1, 2), daily(utc, 4, 8)...), now: logged{utc, "2026-06-09T09:00:00Z"},
			want: practice.Standing{Current: 7, Longest: 7, GraceLeft: 0},
		},
		{
			name:  "a grace day used seven days ago is free again",
			rules: oneGrace, logs: append(daily(utc, 1, 2), daily(utc, 4, 9)...), now: logged{utc, "2026-06-10T09:00:00Z"},
			want: practice.Standing{Current: 8, Longest: 8, GraceLeft: 1},
		},
		{
			name:  "with a day start of 3, at 01:00 it is still yesterday: the streak stands",
			rules: practice.Rules{GracePerWeek: 0, DayStartHour: 3},
			logs:  []logged{{tokyo, "2026-06-01T21:00:00+09:00"}, {tokyo, "2026-06-02T21:00:00+09:00"}},
			now:   logged{tokyo, "2026-06-04T01:00:00+09:00"},
			want:  practice.Standing{Current: 2, Longest: 2, GraceLeft: 0},
		},
		{
			name:  "with a day start of 3, at 03:00 yesterday is over and missed",
			rules: practice.Rules{GracePerWeek: 0, DayStartHour: 3},
			logs:  []logged{{tokyo, "2026-06-01T21:00:00+09:00"}, {tokyo, "2026-06-02T21:00:00+09:00"}},
			now:   logged{tokyo, "2026-06-04T03:00:00+09:00"},
			want:  practice.Standing{Current: 0, Longest: 2, GraceLeft: 0},
		},
		{
			name:  "landed in Tokyo after a skipped date: the streak stands with its grace untouched",
			rules: oneGrace,
			logs:  []logged{{losAngeles, "2026-06-09T20:00:00-07:00"}, {losAngeles, "2026-06-10T20:00:00-07:00"}},
			now:   logged{tokyo, "2026-06-12T06:00:00+09:00"},
			want:  practice.Standing{Current: 2, Longest: 2, GraceLeft: 1},
		},
		{
			name:  "back in Los Angeles on a date already practised in Tokyo: the streak stands",
			rules: noGrace,
			logs:  []logged{{tokyo, "2026-06-11T08:00:00+09:00"}, {tokyo, "2026-06-12T09:00:00+09:00"}},
			now:   logged{losAngeles, "2026-06-12T10:00:00-07:00"},
			want:  practice.Standing{Current: 2, Longest: 2, GraceLeft: 0},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := practice.Rebuild(practiceDays(t, tt.logs, tt.rules), tt.rules)
			now := mustInstant(t, tt.now.at)
			today := practice.LocalDate(now, mustZone(t, tt.now.zone), tt.rules.DayStartHour)
			if got := s.AsOf(today, now, tt.rules); got != tt.want {
				t.Errorf("as of %s: %+v, want %+v", today, got, tt.want)
			}
		})
	}
}

// For any practice history, in any order, with repeats and travel:
// extending the streak date by date and rebuilding it agree, and the
// rebuild depends only on the set of practice days.
func TestStreakRebuildAgreesWithExtend(t *testing.T) {
	zones := []string{tokyo, losAngeles, berlin, newYork, utc}
	locs := make(map[string]*time.Location, len(zones))
	for _, z := range zones {
		locs[z] = mustZone(t, z)
	}
	rng := rand.New(rand.NewPCG(2026, 3))
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

	for run := range 2000 {
		rules := practice.Rules{GracePerWeek: rng.IntN(practice.MaxGracePerWeek + 1), DayStartHour: rng.IntN(5)}
		// A person practises at uneven times, sometimes twice a day, sometimes
		// not for days, and now and then on a phone set to another zone.
		at := start.Add(time.Duration(rng.IntN(365*24*3600)) * time.Second)
		z := rng.IntN(len(zones))
		var days []practice.PracticeDay
		for range 1 + rng.IntN(40) {
			at = at.Add(time.Duration(rng.IntN(80*3600)) * time.Second)
			if rng.IntN(3) == 0 {
				z = rng.IntN(len(zones))
			}
			days = append(days, practice.PracticeDay{Date: practice.LocalDate(at, locs[zones[z]], rules.DayStartHour), Zone: zones[z], At: at})
		}
		rng.Shuffle(len(days), func(i, j int) { days[i], days[j] = days[j], days[i] })

		rebuilt := practice.Rebuild(days, rules)
		describe := func() string {
			var b strings.Builder
			fmt.Fprintf(&b, "run %d, rules %+v, days:", run, rules)
			for _, d := range days {
				fmt.Fprintf(&b, "\n\t%s %s %s", d.Date, d.Zone, d.At.Format(time.RFC3339))
			}
			return b.String()
		}

		// Extend, date by date, the first practice of each date.
		sorted := slices.Clone(days)
		slices.SortFunc(sorted, func(a, b practice.PracticeDay) int {
			if c := a.Date.Sub(b.Date); c != 0 {
				return c
			}
			return a.At.Compare(b.At)
		})
		var folded practice.Streak
		distinct := 0
		for _, d := range sorted {
			if folded.Has && !d.Date.After(folded.Last) {
				continue
			}
			folded = folded.Extend(d, rules)
			distinct++
			if folded.Current < 1 || folded.Current > folded.Longest || len(folded.Grace) > rules.GracePerWeek {
				t.Fatalf("after %s: impossible streak %+v\n%s", d.Date, folded, describe())
			}
		}
		if !sameStreak(folded, rebuilt) {
			t.Fatalf("extended %+v, rebuilt %+v\n%s", folded, rebuilt, describe())
		}
		if rebuilt.Longest > distinct {
			t.Fatalf("longest %d from %d practice dates\n%s", rebuilt.Longest, distinct, describe())
		}

		// The same days again, some twice, some practised again later that
		// date, in another order.
		again := slices.Clone(days)
		for range rng.IntN(len(days) + 1) {
			d := days[rng.IntN(len(days))]
			again = append(again, d)
			later := d
			later.At = d.At.Add(time.Duration(1+rng.IntN(3600)) * time.Second)
			if practice.LocalDate(later.At, locs[later.Zone], rules.DayStartHour) == d.Date {
				again = append(again, later)
			}
		}
		rng.Shuffle(len(again), func(i, j int) { again[i], again[j] = again[j], again[i] })
		if got := practice.Rebuild(again, rules); !sameStreak(got, rebuilt) {
			t.Fatalf("with repeats in another order %+v, without %+v\n%s", got, rebuilt, describe())
		}
	}
}

package recommend_test

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/recommend"
)

var now = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func daysAgo(n float64) time.Time { return now.Add(-time.Duration(n * float64(24*time.Hour))) }

// compute counts enrolments given in person order.
func compute(t *testing.T, list ...recommend.Enrolment) *recommend.Signals {
	t.Helper()
	each := func(_ context.Context, fn func(recommend.Enrolment) error) error {
		for _, e := range list {
			if err := fn(e); err != nil {
				return err
			}
		}
		return nil
	}
	s, err := recommend.Compute(t.Context(), each, now)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func enrolled(user, plan string, ago float64) recommend.Enrolment {
	return recommend.Enrolment{UserID: user, PlanID: plan, EnrolledAt: daysAgo(ago)}
}

func finished(user, plan string, ago, doneAgo float64) recommend.Enrolment {
	e := enrolled(user, plan, ago)
	done := daysAgo(doneAgo)
	e.CompletedAt = &done
	return e
}

func popularity(s *recommend.Signals, plan string) recommend.Popularity {
	for _, p := range s.Popularity {
		if p.PlanID == plan {
			return p
		}
	}
	return recommend.Popularity{PlanID: plan}
}

func TestPopularityFadesWithAge(t *testing.T) {
	s := compute(t,
		enrolled("u1", "fresh", 0),
		enrolled("u2", "half", 14),
		enrolled("u3", "quarter", 28),
		enrolled("u4", "gone", 91),
		finished("u5", "done", 14, 0),
		enrolled("u6", "future", -1),
	)
	for plan, want := range map[string]float64{"fresh": 1, "half": 0.5, "quarter": 0.25, "gone": 0, "done": 1.5, "future": 0} {
		if got := popularity(s, plan).Score; math.Abs(got-want) > 1e-9 {
			t.Errorf("%s: score %v, want %v", plan, got, want)
		}
	}
	for plan, want := range map[string]int{"fresh": 1, "half": 1, "quarter": 1, "gone": 0, "done": 1} {
		if got := popularity(s, plan).Recent; got != want {
			t.Errorf("%s: %d enrolments this month, want %d", plan, got, want)
		}
	}
	if f := popularity(s, "done").Finishers; f != 1 {
		t.Errorf("done: %d finishers, want 1", f)
	}
}

func TestPeopleWhoFinishedWentOnTo(t *testing.T) {
	var list []recommend.Enrolment
	for _, u := range []string{"a", "b", "c", "d"} { // four finish X, then enrol in Y
		list = append(list, finished(u, "x", 30, 20), enrolled(u, "y", 10))
	}
	list = append(list,
		finished("e", "x", 30, 20), // a fifth finisher goes nowhere
		// Two went from Z to W: too few to tell anyone.
		finished("f", "z", 30, 20), enrolled("f", "w", 10),
		finished("g", "z", 30, 20), enrolled("g", "w", 10),
		// Three enrolled in V before finishing X and never came back to it:
		// they did not go on to V.
		enrolled("h", "v", 40), finished("h", "x", 30, 20),
		enrolled("i", "v", 40), finished("i", "x", 30, 20),
		enrolled("j", "v", 40), finished("j", "x", 30, 20),
	)
	s := compute(t, list...)
	if len(s.Next) != 1 {
		t.Fatalf("pairs %+v, want x -> y only", s.Next)
	}
	want := recommend.Next{PlanID: "x", NextPlanID: "y", People: 4, Share: 4.0 / 8}
	if s.Next[0] != want {
		t.Errorf("pair %+v, want %+v", s.Next[0], want)
	}
	if !s.At.Equal(now) {
		t.Errorf("At %v", s.At)
	}
}

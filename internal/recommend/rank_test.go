package recommend

import (
	"slices"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/identity"
	"github.com/dharmaplans/dharmaplans/internal/practice"
)

var now = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// listing is a plan published a year ago with days days of minutes each.
func listing(id string, tr catalog.Tradition, level catalog.Level, minutes int, topics ...string) *catalog.Listing {
	at := now.AddDate(-1, 0, 0)
	return &catalog.Listing{
		Plan:     &catalog.Plan{ID: id, Slug: id, FirstPublishedAt: &at},
		Revision: &catalog.Revision{Title: "Plan " + id, Tradition: tr, Level: level, Topics: topics},
		Days:     10, Minutes: 10 * minutes,
	}
}

func candidates(ls ...*catalog.Listing) map[string]Candidate {
	out := map[string]Candidate{}
	for _, l := range ls {
		out[l.Plan.ID] = Candidate{Listing: l, Popularity: Popularity{PlanID: l.Plan.ID}}
	}
	return out
}

func ids(recs []Recommendation) []string {
	out := []string{}
	for _, r := range recs {
		out = append(out, r.Listing.Plan.ID)
	}
	return out
}

func TestMinutesPerDayPushDownLongPlans(t *testing.T) {
	long := listing("long", catalog.Zen, catalog.Beginner, 60)
	short := listing("short", catalog.Zen, catalog.Beginner, 10)
	long.Plan.ID, short.Plan.ID = "a-long", "b-short" // ties go by id: long first
	cands := candidates(long, short)
	if got := ids(rank(person{}, cands, nil, now, 10)); !slices.Equal(got, []string{"a-long", "b-short"}) {
		t.Fatalf("without an answer %v", got)
	}
	busy := person{onboarding: identity.Onboarding{MinutesPerDay: 15}}
	if got := ids(rank(busy, cands, nil, now, 10)); !slices.Equal(got, []string{"b-short", "a-long"}) {
		t.Errorf("15 minutes a day: %v, want the short plan first", got)
	}
	if got := rank(busy, cands, nil, now, 10); got[0].Kind != ForYou || got[0].Reason != "A beginner plan in Zen" {
		t.Errorf("reason %q (%s)", got[0].Reason, got[0].Kind)
	}
}

func TestEnrolledAndFinishedPlansAreNeverSuggested(t *testing.T) {
	reading := listing("reading", catalog.Theravada, catalog.Beginner, 10, "breath")
	paused := listing("paused", catalog.Theravada, catalog.Beginner, 10)
	done := listing("done", catalog.Theravada, catalog.Beginner, 10, "verses")
	left := listing("left", catalog.Theravada, catalog.Beginner, 10)
	other := listing("other", catalog.Zen, catalog.Intermediate, 10, "verses")
	at := now.Add(-time.Hour)
	p := newPerson(identity.Onboarding{}, []Taken{
		{Listing: reading, Status: practice.Active}, {Listing: paused, Status: practice.Paused},
		{Listing: done, Status: practice.Completed, CompletedAt: &at}, {Listing: left, Status: practice.Abandoned},
		{Listing: done, Status: practice.Active}, // finished once, reading again
	})
	got := rank(p, candidates(reading, paused, done, left, other), nil, now, 50)
	if ids := ids(got); !slices.Equal(ids, []string{"other", "left"}) {
		t.Fatalf("suggested %v, want other then left", ids)
	}
	if got[0].Reason != "The next step after Plan done" || got[0].BasedOn != done {
		t.Errorf("reason %q, based on %v", got[0].Reason, got[0].BasedOn.Plan.ID)
	}
	if got[1].Reason != "Because you finished Plan done" { // more like it than like the plan being read
		t.Errorf("reason %q", got[1].Reason)
	}
	if got := rank(p, candidates(reading, paused, done, left, other), nil, now, 1); len(got) != 1 {
		t.Errorf("limit 1 gave %d", len(got))
	}
}

package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/identity"
	"github.com/dharmaplans/dharmaplans/internal/practice"
	"github.com/dharmaplans/dharmaplans/internal/recommend"
)

// recommendPlan stores a plan published days ago in tradition, at level,
// with topics.
func (b bundle) recommendPlan(t *testing.T, slug string, daysAgo int, tr catalog.Tradition, level catalog.Level, topics ...string) *catalog.Plan {
	t.Helper()
	p, _ := b.addPublished(t, slug, 2, now.Add(-time.Duration(daysAgo)*24*time.Hour), func(r *catalog.Revision) {
		r.Title, r.Tradition, r.Level, r.Topics = "Plan "+slug, tr, level, append([]string{}, topics...)
	})
	return p
}

// candidateSlugs lists the slugs of candidates, in order.
func candidateSlugs(list []recommend.Candidate) []string {
	out := []string{}
	for _, c := range list {
		out = append(out, c.Listing.Plan.Slug)
	}
	return out
}

func testRecommendations(t *testing.T, open Open) {
	scenario(t, open, "onboarding answers are kept with the profile", func(t *testing.T, b bundle) {
		u := b.addUser(t, "onboarding@example.org")
		got, err := b.store.UserByID(b.ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Onboarding.Traditions != nil || got.Onboarding.Level != "" || got.Onboarding.MinutesPerDay != 0 {
			t.Errorf("a new account has answers %+v, want none", got.Onboarding)
		}
		u.Onboarding = identity.Onboarding{Traditions: []string{"zen", "theravada"}, Level: "beginner", MinutesPerDay: 15}
		if err := b.store.UpdateProfile(b.ctx, u); err != nil {
			t.Fatal(err)
		}
		got, _ = b.store.UserByID(b.ctx, u.ID)
		wantSame(t, "onboarding", got.Onboarding, u.Onboarding)
		u.Onboarding = identity.Onboarding{}
		if err := b.store.UpdateProfile(b.ctx, u); err != nil {
			t.Fatal(err)
		}
		got, _ = b.store.UserByID(b.ctx, u.ID)
		wantSame(t, "cleared onboarding", got.Onboarding, u.Onboarding)
	})

	scenario(t, open, "history lists a person's own enrolments, newest first, with their plans", func(t *testing.T, b bundle) {
		u, other := b.addUser(t, "reader@example.org"), b.addUser(t, "other@example.org")
		first := b.recommendPlan(t, "first", 30, catalog.Theravada, catalog.Beginner, "breath")
		second := b.recommendPlan(t, "second", 20, catalog.Zen, catalog.Intermediate)
		b.enrol(t, u, first, func(e *practice.Enrollment) { e.Status, e.CompletedAt = practice.Completed, ptr(now) })
		b.enrol(t, u, second, nil)
		b.enrol(t, other, second, nil)

		h, err := b.store.History(b.ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(h) != 2 || h[0].Listing.Plan.ID != second.ID || h[1].Listing.Plan.ID != first.ID {
			t.Fatalf("history %+v, want second then first", h)
		}
		if h[1].Status != practice.Completed || h[1].CompletedAt == nil || !h[1].CompletedAt.Equal(now) || h[0].CompletedAt != nil {
			t.Errorf("statuses %+v", h)
		}
		if r := h[1].Listing.Revision; r.Title != "Plan first" || r.Tradition != catalog.Theravada || !slices.Equal(r.Topics, []string{"breath"}) {
			t.Errorf("first listing %+v", r)
		}
		if h, _ := b.store.History(b.ctx, identity.NewID()); len(h) != 0 {
			t.Errorf("nobody's history %+v", h)
		}
	})

	scenario(t, open, "every enrolment comes once, grouped by person", func(t *testing.T, b bundle) {
		p1, p2 := b.recommendPlan(t, "one", 5, catalog.Zen, catalog.Beginner), b.recommendPlan(t, "two", 5, catalog.Zen, catalog.Beginner)
		users := []*identity.User{b.addUser(t, "a@example.org"), b.addUser(t, "b@example.org"), b.addUser(t, "c@example.org")}
		for _, u := range users {
			b.enrol(t, u, p1, func(e *practice.Enrollment) { e.Status, e.CompletedAt = practice.Completed, ptr(now) })
			b.enrol(t, u, p2, nil)
		}
		seen := map[string]int{}
		last, groups := "", 0
		err := b.store.EachEnrolment(b.ctx, func(e recommend.Enrolment) error {
			if e.UserID != last {
				groups++
				last = e.UserID
			}
			seen[e.UserID]++
			if e.PlanID == p1.ID && (e.CompletedAt == nil || !e.CompletedAt.Equal(now)) || e.PlanID == p2.ID && e.CompletedAt != nil {
				t.Errorf("enrolment %+v", e)
			}
			if !e.EnrolledAt.Equal(now) || e.EnrolledAt.Location() != time.UTC {
				t.Errorf("enrolled at %v, want %v in UTC", e.EnrolledAt, now)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if groups != 3 || len(seen) != 3 || seen[users[0].ID] != 2 {
			t.Errorf("%d groups, %v", groups, seen)
		}
	})

	scenario(t, open, "signals replace the previous run and feed candidates and pairs", func(t *testing.T, b bundle) {
		a := b.recommendPlan(t, "a", 50, catalog.Theravada, catalog.Beginner, "breath")
		c := b.recommendPlan(t, "c", 40, catalog.Theravada, catalog.Intermediate, "breath", "ethics")
		d := b.recommendPlan(t, "d", 30, catalog.Zen, catalog.Beginner, "sitting")
		e := b.recommendPlan(t, "e", 1, catalog.Zen, catalog.Advanced, "ethics")
		draft, draftRev := newPlan("draft", 1)
		b.addPlan(t, draft, draftRev)
		archived, archivedRev := newPlan("archived", 1)
		publish(archived, archivedRev, now)
		archived.Status, archived.ArchivedAt = catalog.Archived, ptr(now)
		b.addPlan(t, archived, archivedRev)

		old := &recommend.Signals{At: now.Add(-time.Hour), Popularity: []recommend.Popularity{{PlanID: e.ID, Score: 99}},
			Next: []recommend.Next{{PlanID: e.ID, NextPlanID: a.ID, People: 9, Share: 1}}}
		if err := b.store.ReplaceSignals(b.ctx, old); err != nil {
			t.Fatal(err)
		}
		gone := identity.NewID() // a plan deleted after it was counted
		sig := &recommend.Signals{At: now,
			Popularity: []recommend.Popularity{
				{PlanID: a.ID, Score: 2.5, Recent: 2, Finishers: 10}, {PlanID: c.ID, Score: 7.25, Recent: 5, Finishers: 1},
				{PlanID: d.ID, Score: 1, Recent: 0, Finishers: 0}, {PlanID: archived.ID, Score: 50},
				{PlanID: draft.ID, Score: 60}, {PlanID: gone, Score: 70},
			},
			Next: []recommend.Next{
				{PlanID: a.ID, NextPlanID: c.ID, People: 8, Share: 0.8}, {PlanID: a.ID, NextPlanID: d.ID, People: 3, Share: 0.3},
				{PlanID: c.ID, NextPlanID: d.ID, People: 4, Share: 0.5}, {PlanID: a.ID, NextPlanID: gone, People: 5, Share: 0.5},
			}}
		if err := b.store.ReplaceSignals(b.ctx, sig); err != nil {
			t.Fatal(err)
		}

		t.Run("pairs come by share, only from the plans asked", func(t *testing.T) {
			got, err := b.store.NextPlans(b.ctx, []string{a.ID}, 10)
			if err != nil {
				t.Fatal(err)
			}
			want := []recommend.Next{sig.Next[0], sig.Next[1]}
			if !slices.Equal(got, want) {
				t.Errorf("NextPlans(a) = %+v, want %+v", got, want)
			}
			if got, _ := b.store.NextPlans(b.ctx, []string{a.ID, c.ID}, 2); len(got) != 2 || got[0] != sig.Next[0] || got[1] != sig.Next[2] {
				t.Errorf("NextPlans(a, c) limit 2 = %+v", got)
			}
			if got, _ := b.store.NextPlans(b.ctx, []string{e.ID}, 10); len(got) != 0 {
				t.Errorf("the previous run's pair is still there: %+v", got)
			}
		})

		t.Run("the most popular published plans first, then the newest", func(t *testing.T) {
			got, err := b.store.Candidates(b.ctx, recommend.CandidateQuery{Sort: recommend.MostPopular, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			if s := candidateSlugs(got); !slices.Equal(s, []string{"c", "a", "d", "e"}) {
				t.Errorf("popular = %v, want c a d e (no draft, no archived; e has lost its old score)", s)
			}
			if p := got[0].Popularity; p != sig.Popularity[1] {
				t.Errorf("c's popularity %+v, want %+v", p, sig.Popularity[1])
			}
			if got[0].Listing.Revision.Title != "Plan c" || !slices.Equal(got[0].Listing.Revision.Topics, []string{"breath", "ethics"}) {
				t.Errorf("c's listing %+v", got[0].Listing.Revision)
			}
			if p := got[3].Popularity; p != (recommend.Popularity{PlanID: e.ID}) {
				t.Errorf("e's popularity %+v, want zero", p)
			}
			got, _ = b.store.Candidates(b.ctx, recommend.CandidateQuery{Sort: recommend.Newest, Limit: 2})
			if s := candidateSlugs(got); !slices.Equal(s, []string{"e", "d"}) {
				t.Errorf("newest 2 = %v, want e d", s)
			}
		})

		t.Run("filters: ids, traditions, topics, exclusions, the first few per tradition", func(t *testing.T) {
			for _, tc := range []struct {
				name string
				q    recommend.CandidateQuery
				want []string
			}{
				{"ids", recommend.CandidateQuery{IDs: []string{d.ID, a.ID, draft.ID}}, []string{"a", "d"}},
				{"traditions", recommend.CandidateQuery{Traditions: []catalog.Tradition{catalog.Zen, catalog.Mahayana}}, []string{"d", "e"}},
				{"topics", recommend.CandidateQuery{Topics: []string{"ethics", "nothing"}}, []string{"c", "e"}},
				{"exclude", recommend.CandidateQuery{Exclude: []string{c.ID, d.ID}}, []string{"a", "e"}},
				{"one per tradition", recommend.CandidateQuery{PerTradition: 1}, []string{"c", "d"}},
				{"newest per tradition", recommend.CandidateQuery{PerTradition: 1, Sort: recommend.Newest}, []string{"e", "c"}},
				{"all at once", recommend.CandidateQuery{Traditions: []catalog.Tradition{catalog.Theravada, catalog.Zen},
					Topics: []string{"breath", "sitting"}, Exclude: []string{c.ID}}, []string{"a", "d"}},
			} {
				if tc.q.Sort == "" {
					tc.q.Sort = recommend.MostPopular
				}
				tc.q.Limit = 10
				got, err := b.store.Candidates(b.ctx, tc.q)
				if err != nil {
					t.Fatalf("%s: %v", tc.name, err)
				}
				if s := candidateSlugs(got); !slices.Equal(s, tc.want) {
					t.Errorf("%s: %v, want %v", tc.name, s, tc.want)
				}
			}
		})

		t.Run("counts are anonymous: they outlive the people counted, not the plans", func(t *testing.T) {
			u := b.addUser(t, "counted@example.org")
			b.enrol(t, u, a, nil)
			if err := b.store.DeleteUser(b.ctx, u.ID); err != nil {
				t.Fatal(err)
			}
			if n := b.count(t, "plan_next", "plan_id", a.ID); n != 2 {
				t.Errorf("%d pairs from a after deleting a person, want 2", n)
			}
			if err := b.store.DeletePlan(b.ctx, d.ID); err != nil {
				t.Fatal(err)
			}
			if n := b.count(t, "plan_next", "next_plan_id", d.ID) + b.count(t, "plan_popularity", "plan_id", d.ID); n != 0 {
				t.Errorf("%d rows of a deleted plan remain", n)
			}
		})
	})
}

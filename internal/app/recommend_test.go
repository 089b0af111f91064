package app_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/app/apptest"
	"github.com/dharmaplans/dharmaplans/internal/identity"
	"github.com/dharmaplans/dharmaplans/internal/practice"
)

// recommended is a suggestion as a client decodes it.
type recommended struct {
	planCard
	Tradition string `json:"tradition"`
	Reason    string `json:"reason"`
	Kind      string `json:"kind"`
	BasedOn   string `json:"based_on"`
}

// recommendations reads GET /v1/recommendations as a (nil: anonymous).
func recommendations(t testing.TB, s *apptest.Server, a *apptest.Account, query string) []recommended {
	t.Helper()
	res := get(t, s, a, http.StatusOK, "/v1/recommendations"+query)
	return decode[struct{ Items []recommended }](t, res).Items
}

func recommendedSlugs(list []recommended) []string {
	out := []string{}
	for _, r := range list {
		out = append(out, r.Slug)
	}
	return out
}

// community writes people and their enrolments straight into the store:
// hundreds of sign-ups through the API would only slow the test down.
type community struct {
	t   testing.TB
	s   *apptest.Server
	now time.Time
	n   int
}

// person makes an account and gives it enrolments in plans, in order, a
// few days apart and ending daysAgo days ago; finished ones are completed
// a week after they began.
func (c *community) person(daysAgo int, plans []string, finished []bool) *identity.User {
	c.t.Helper()
	ctx, st := c.t.Context(), c.s.Main.Store()
	c.n++
	at := c.now.Add(-time.Duration(daysAgo+10*len(plans)) * 24 * time.Hour).Truncate(time.Microsecond)
	u := &identity.User{ID: identity.NewID(), Email: fmt.Sprintf("member%d@example.org", c.n), DisplayName: fmt.Sprintf("Member %d", c.n),
		Role: identity.RoleUser, Timezone: "UTC", Locale: "en", Theme: "system", CreatedAt: at, UpdatedAt: at}
	if err := st.CreateUser(ctx, u); err != nil {
		c.t.Fatal(err)
	}
	for i, planID := range plans {
		at = at.Add(10 * 24 * time.Hour)
		e := &practice.Enrollment{ID: identity.NewID(), UserID: u.ID, PlanID: planID, Status: practice.Active, Pace: practice.Daily,
			StartDate: practice.DateOf(at.Date()), AnchorDate: practice.DateOf(at.Date()), AnchorDay: 1, Cycle: 1, CreatedAt: at, UpdatedAt: at}
		if finished[i] {
			done := at.Add(7 * 24 * time.Hour)
			e.Status, e.CompletedAt, e.UpdatedAt = practice.Completed, &done, done
		}
		if err := st.CreateEnrollment(ctx, e); err != nil {
			c.t.Fatal(err)
		}
	}
	return u
}

// finish records that a finished planID (a completed enrolment), without
// going through each day.
func finish(t testing.TB, s *apptest.Server, a *apptest.Account, planID string, status practice.Status) {
	t.Helper()
	now := s.Clock.Now().UTC().Truncate(time.Microsecond)
	e := &practice.Enrollment{ID: identity.NewID(), UserID: a.ID, PlanID: planID, Status: status, Pace: practice.Daily,
		StartDate: practice.DateOf(now.Date()), AnchorDate: practice.DateOf(now.Date()), AnchorDay: 1, Cycle: 1, CreatedAt: now, UpdatedAt: now}
	if status == practice.Completed {
		e.CompletedAt = &now
	}
	if err := s.Main.Store().CreateEnrollment(t.Context(), e); err != nil {
		t.Fatal(err)
	}
}

func TestRecommendations(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		s := apptest.Start(t, engine, apptest.Options{})
		admin := s.CreateUser(t, "admin@example.org", identity.RoleAdmin)
		author := s.CreateUser(t, "teacher@example.org", identity.RoleAuthor)
		plan := func(title, tradition, level string, topics ...string) studioPlan {
			return publishedPlan(t, s, author, admin, map[string]any{"title": title, "tradition": tradition, "level": level, "topics": topics}, 2)
		}
		// Two patterns: people who finish A mostly go on to C, those who
		// finish B to D. E is what likeness alone would suggest after A (its
		// tradition and topic, one level up); F is popular noise.
		a := plan("The Dhammapada in 26 Days", "theravada", "beginner", "verses")
		b := plan("Five Days of Zen Sitting", "zen", "beginner", "sitting")
		c := plan("The Heart of Compassion", "mahayana", "intermediate", "compassion")
		d := plan("Calling the Name", "pure_land", "beginner", "chanting")
		e := plan("The Verses in Depth", "theravada", "intermediate", "verses")
		f := plan("Mindfulness at Work", "secular", "beginner", "stress")
		g := plan("Guru Yoga", "vajrayana", "advanced", "devotion")

		// The community: 500 people whose finished plans follow the
		// patterns, with some noise.
		rng := rand.New(rand.NewPCG(6, 4))
		comm := &community{t: t, s: s, now: s.Clock.Now().UTC()}
		noise := []string{c.ID, d.ID, e.ID, g.ID, f.ID} // f last: its readers' noise leaves it out
		for range 500 {
			ago := rng.IntN(40)
			switch k := rng.IntN(10); {
			case k < 4: // finished A, then mostly C
				next := c.ID
				if rng.IntN(10) < 2 {
					next = noise[rng.IntN(len(noise))]
				}
				comm.person(ago, []string{a.ID, next}, []bool{true, rng.IntN(2) == 0})
			case k < 8: // finished B, then mostly D
				next := d.ID
				if rng.IntN(10) < 2 {
					next = noise[rng.IntN(len(noise))]
				}
				comm.person(ago, []string{b.ID, next}, []bool{true, rng.IntN(2) == 0})
			default: // readers of the popular plan, and of anything
				comm.person(ago, []string{f.ID, noise[rng.IntN(len(noise)-1)]}, []bool{rng.IntN(2) == 0, false})
			}
		}
		if err := s.Main.Recommend().Refresh(t.Context()); err != nil {
			t.Fatalf("refresh: %v", err)
		}

		t.Run("people who finished the same plan went on to the next plan of its pattern, which comes first", func(t *testing.T) {
			for _, tc := range []struct {
				first, want studioPlan
			}{{a, c}, {b, d}} {
				reader := s.Register(t, "after-"+tc.first.Slug+"@example.org")
				finish(t, s, reader, tc.first.ID, practice.Completed)
				got := recommendations(t, s, reader, "")
				if len(got) == 0 || got[0].Slug != tc.want.Slug {
					t.Fatalf("after %s: %v, want %s first", tc.first.Slug, recommendedSlugs(got), tc.want.Slug)
				}
				if want := "People who finished " + tc.first.Title + " went on to this"; got[0].Reason != want || got[0].Kind != "went_on_to" || got[0].BasedOn != tc.first.Slug {
					t.Errorf("reason %q (%s, based on %s), want %q", got[0].Reason, got[0].Kind, got[0].BasedOn, want)
				}
				if slices.Contains(recommendedSlugs(got), tc.first.Slug) {
					t.Errorf("the finished plan %s is suggested: %v", tc.first.Slug, recommendedSlugs(got))
				}
			}
		})

		t.Run("a plan like a finished one, a level up, says so", func(t *testing.T) {
			reader := s.Register(t, "level-up@example.org")
			finish(t, s, reader, a.ID, practice.Completed)
			for _, r := range recommendations(t, s, reader, "?limit=50") {
				if r.Slug == e.Slug && (r.Reason != "The next step after "+a.Title || r.Kind != "next_level") {
					t.Errorf("E's reason %q (%s), want the next step after A", r.Reason, r.Kind)
				}
			}
		})

		t.Run("never a plan the person is enrolled in, paused or finished", func(t *testing.T) {
			reader := s.Register(t, "busy@example.org")
			finish(t, s, reader, a.ID, practice.Completed)
			finish(t, s, reader, c.ID, practice.Active)
			finish(t, s, reader, f.ID, practice.Paused)
			finish(t, s, reader, g.ID, practice.Abandoned)
			got := recommendedSlugs(recommendations(t, s, reader, "?limit=50"))
			for _, p := range []studioPlan{a, c, f} {
				if slices.Contains(got, p.Slug) {
					t.Errorf("%s is suggested: %v", p.Slug, got)
				}
			}
			if !slices.Contains(got, g.Slug) {
				t.Errorf("a plan the person left may be suggested again; got %v", got)
			}
		})

		t.Run("anonymous people get popular and new plans of every tradition", func(t *testing.T) {
			res := get(t, s, nil, http.StatusOK, "/v1/recommendations")
			if cc := res.Header.Get("Cache-Control"); cc != "public, max-age=60" {
				t.Errorf("Cache-Control %q", cc)
			}
			got := decode[struct{ Items []recommended }](t, res).Items
			if len(got) != 7 {
				t.Fatalf("%d plans, want all 7: %v", len(got), recommendedSlugs(got))
			}
			if got[0].Tradition == got[1].Tradition {
				t.Errorf("the first two are both %s: %v", got[0].Tradition, recommendedSlugs(got))
			}
			for _, r := range got {
				if (r.Kind != "popular" && r.Kind != "new") || !strings.HasPrefix(r.Reason, "Popular in ") && !strings.HasPrefix(r.Reason, "New in ") {
					t.Errorf("%s: reason %q (%s), want popular or new", r.Slug, r.Reason, r.Kind)
				}
				if r.BasedOn != "" {
					t.Errorf("%s is based on %s for nobody", r.Slug, r.BasedOn)
				}
			}
			if got[0].Kind != "popular" || !strings.HasSuffix(got[0].Reason, " this month") {
				t.Errorf("first %s %q (%s), want the most read plan, popular this month", got[0].Slug, got[0].Reason, got[0].Kind)
			}
			if top := recommendations(t, s, nil, "?limit=3"); len(top) != 3 || !slices.Equal(recommendedSlugs(top), recommendedSlugs(got)[:3]) {
				t.Errorf("limit 3: %v, want the first three of %v", recommendedSlugs(top), recommendedSlugs(got))
			}
			stale := recommendations(t, s, &apptest.Account{Access: "not-a-token"}, "")
			if !slices.Equal(recommendedSlugs(stale), recommendedSlugs(got)) {
				t.Errorf("with a bad token %v, want the anonymous answer %v", recommendedSlugs(stale), recommendedSlugs(got))
			}
		})

		t.Run("a new person gets what anonymous people get, and never someone else's history", func(t *testing.T) {
			// Someone with a history, whose plans must not shape a stranger's answer.
			other := s.Register(t, "other-reader@example.org")
			finish(t, s, other, b.ID, practice.Completed)
			finish(t, s, other, e.ID, practice.Active)
			newcomer := s.Register(t, "newcomer@example.org")
			res := get(t, s, newcomer, http.StatusOK, "/v1/recommendations")
			if cc := res.Header.Get("Cache-Control"); cc != "private, no-cache" {
				t.Errorf("Cache-Control %q, want private", cc)
			}
			mine := decode[struct{ Items []recommended }](t, res).Items
			if anon := recommendations(t, s, nil, ""); !slices.Equal(recommendedSlugs(mine), recommendedSlugs(anon)) {
				t.Errorf("new person %v, anonymous %v", recommendedSlugs(mine), recommendedSlugs(anon))
			}
			for _, r := range mine {
				if strings.Contains(r.Reason, "you") || r.BasedOn != "" {
					t.Errorf("%s: %q based on %q, for someone with no history", r.Slug, r.Reason, r.BasedOn)
				}
			}
			theirs := recommendations(t, s, other, "?limit=50")
			if got := recommendedSlugs(theirs); slices.Contains(got, b.Slug) || slices.Contains(got, e.Slug) {
				t.Errorf("the other reader is offered their own plans: %v", got)
			}
		})

		t.Run("onboarding answers change what comes first", func(t *testing.T) {
			newcomer := s.Register(t, "vajrayana-beginner@example.org")
			before := recommendations(t, s, newcomer, "")
			if before[0].Slug == g.Slug {
				t.Fatalf("the vajrayāna plan comes first before any answer: %v", recommendedSlugs(before))
			}
			s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodPatch, Path: "/v1/me", Token: newcomer.Access,
				Body: map[string]any{"preferred_traditions": []string{"vajrayana"}}})
			after := recommendations(t, s, newcomer, "")
			if after[0].Slug != g.Slug {
				t.Errorf("preferring vajrayāna: %v, want %s first", recommendedSlugs(after), g.Slug)
			}
			s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodPatch, Path: "/v1/me", Token: newcomer.Access,
				Body: map[string]any{"preferred_traditions": []string{"theravada"}, "experience_level": "intermediate"}})
			if got := recommendations(t, s, newcomer, ""); got[0].Slug != e.Slug {
				t.Errorf("preferring intermediate theravāda: %v, want %s first", recommendedSlugs(got), e.Slug)
			}
		})

		t.Run("bad input answers 422 naming the field", func(t *testing.T) {
			reader := s.Register(t, "bad-input@example.org")
			runAll(t, s, []scenario{
				{name: "limit 0", method: http.MethodGet, path: "/v1/recommendations?limit=0", status: 422, fields: []string{"query.limit"}},
				{name: "limit 1000", method: http.MethodGet, path: "/v1/recommendations?limit=1000", as: reader, status: 422, fields: []string{"query.limit"}},
				{name: "limit -1", method: http.MethodGet, path: "/v1/recommendations?limit=-1", status: 422, fields: []string{"query.limit"}},
				{name: "limit garbage", method: http.MethodGet, path: "/v1/recommendations?limit=ten", status: 422, fields: []string{"query.limit"}},
				{name: "limit 51", method: http.MethodGet, path: "/v1/recommendations?limit=51", status: 422, fields: []string{"query.limit"}},
				{name: "limit 50", method: http.MethodGet, path: "/v1/recommendations?limit=50", as: reader, status: 200},
				{name: "an unknown tradition", method: http.MethodPatch, path: "/v1/me", as: reader, status: 422,
					body: map[string]any{"preferred_traditions": []string{"zen", "jedi"}}, fields: []string{"body.preferred_traditions[1]"}, want: []string{"jedi"}},
				{name: "traditions as a string", method: http.MethodPatch, path: "/v1/me", as: reader, status: 422,
					body: map[string]any{"preferred_traditions": "zen"}, fields: []string{"body.preferred_traditions"}},
				{name: "too many traditions", method: http.MethodPatch, path: "/v1/me", as: reader, status: 422,
					body: map[string]any{"preferred_traditions": slices.Repeat([]string{"zen"}, 8)}, fields: []string{"body.preferred_traditions"}},
				{name: "an unknown level", method: http.MethodPatch, path: "/v1/me", as: reader, status: 422,
					body: map[string]any{"experience_level": "guru"}, fields: []string{"body.experience_level"}},
				{name: "minutes out of range", method: http.MethodPatch, path: "/v1/me", as: reader, status: 422,
					body: map[string]any{"minutes_per_day": 241}, fields: []string{"body.minutes_per_day"}},
				{name: "negative minutes", method: http.MethodPatch, path: "/v1/me", as: reader, status: 422,
					body: map[string]any{"minutes_per_day": -5}, fields: []string{"body.minutes_per_day"}},
				{name: "minutes as words", method: http.MethodPatch, path: "/v1/me", as: reader, status: 422,
					body: map[string]any{"minutes_per_day": "ten"}, fields: []string{"body.minutes_per_day"}},
				{name: "every bad answer at once, with a bad theme", method: http.MethodPatch, path: "/v1/me", as: reader, status: 422,
					body:   map[string]any{"preferred_traditions": []string{"bon"}, "experience_level": "expert", "minutes_per_day": 1000, "theme": "neon"},
					fields: []string{"body.preferred_traditions[0]", "body.experience_level", "body.minutes_per_day", "body.theme"}},
				{name: "answers need an account", method: http.MethodPatch, path: "/v1/me", status: 401,
					body: map[string]any{"minutes_per_day": 10}},
			})
			me := get(t, s, reader, http.StatusOK, "/v1/me").JSON(t)
			if tr := me["preferred_traditions"].([]any); len(tr) != 0 || me["experience_level"] != nil || me["minutes_per_day"] != nil {
				t.Errorf("bad answers were kept: %v", me)
			}
		})

		t.Run("answers show in the profile and the export, and can be cleared", func(t *testing.T) {
			reader := s.Register(t, "answers@example.org")
			patch := func(body map[string]any) map[string]any {
				return s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodPatch, Path: "/v1/me", Token: reader.Access, Body: body}).JSON(t)
			}
			got := patch(map[string]any{"preferred_traditions": []string{"zen", " theravada", "zen"}, "experience_level": "beginner", "minutes_per_day": 20})
			for _, m := range []map[string]any{got, get(t, s, reader, http.StatusOK, "/v1/me").JSON(t),
				get(t, s, reader, http.StatusOK, "/v1/me/export").JSON(t)["account"].(map[string]any)} {
				if fmt.Sprint(m["preferred_traditions"]) != "[zen theravada]" || m["experience_level"] != "beginner" || m["minutes_per_day"] != 20.0 {
					t.Errorf("answers %v %v %v, want [zen theravada] beginner 20", m["preferred_traditions"], m["experience_level"], m["minutes_per_day"])
				}
			}
			got = patch(map[string]any{"display_name": "Still Me"})
			if got["experience_level"] != "beginner" {
				t.Errorf("changing the name changed the answers: %v", got)
			}
			got = patch(map[string]any{"preferred_traditions": []string{}, "experience_level": "", "minutes_per_day": 0})
			if fmt.Sprint(got["preferred_traditions"]) != "[]" || got["experience_level"] != nil || got["minutes_per_day"] != nil {
				t.Errorf("cleared answers: %v", got)
			}
		})

		t.Run("the counts outlive the people counted, and never name them", func(t *testing.T) {
			leaver := s.Register(t, "leaver@example.org")
			finish(t, s, leaver, a.ID, practice.Completed)
			s.Expect(t, http.StatusNoContent, apptest.Request{Method: http.MethodDelete, Path: "/v1/me", Token: leaver.Access})
			if err := s.Main.Recommend().Refresh(t.Context()); err != nil {
				t.Fatal(err)
			}
			reader := s.Register(t, "after-leaver@example.org")
			finish(t, s, reader, a.ID, practice.Completed)
			if got := recommendations(t, s, reader, ""); got[0].Slug != c.Slug {
				t.Errorf("after a deletion and a refresh: %v, want %s first", recommendedSlugs(got), c.Slug)
			}
		})
	})
}

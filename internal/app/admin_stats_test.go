package app_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/app/apptest"
)

// dashboard is GET /v1/admin/stats as the admin panel decodes it.
type dashboard struct {
	GeneratedAt string `json:"generated_at"`
	Days        int    `json:"days"`
	From        string `json:"from"`
	To          string `json:"to"`
	Users       struct {
		Total  int `json:"total"`
		New    int `json:"new"`
		ByRole struct {
			User   int `json:"user"`
			Author int `json:"author"`
			Admin  int `json:"admin"`
		} `json:"by_role"`
		Disabled int `json:"disabled"`
	} `json:"users"`
	Active struct {
		Today int `json:"today"`
		Week  int `json:"week"`
		Month int `json:"month"`
	} `json:"active"`
	Series []dashboardDay `json:"series"`
	Top    []struct {
		ID                  string `json:"id"`
		Slug                string `json:"slug"`
		Title               string `json:"title"`
		EnrollmentsInWindow int    `json:"enrollments_in_window"`
		Enrollments         int    `json:"enrollments"`
		Completions         int    `json:"completions"`
		ActiveReaders       int    `json:"active_readers"`
	} `json:"top_plans"`
	Plans struct {
		Draft       int `json:"draft"`
		InReview    int `json:"in_review"`
		Published   int `json:"published"`
		Archived    int `json:"archived"`
		ReviewQueue int `json:"review_queue"`
	} `json:"plans"`
}

type dashboardDay struct {
	Date            string `json:"date"`
	Enrollments     int    `json:"enrollments"`
	Completions     int    `json:"completions"`
	Ticks           int    `json:"ticks"`
	PracticeMinutes int    `json:"practice_minutes"`
	NewUsers        int    `json:"new_users"`
}

// on returns the series entry of date, failing t when there is none.
func (d dashboard) on(t *testing.T, date string) dashboardDay {
	t.Helper()
	for _, day := range d.Series {
		if day.Date == date {
			return day
		}
	}
	t.Fatalf("no series entry for %s in %s to %s", date, d.From, d.To)
	return dashboardDay{}
}

func TestAdminDashboard(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		// A one-day plan: finishing its day finishes the plan.
		w := newPracticeWorld(t, engine, 1)
		s := w.s
		started := s.Clock.Now().UTC()

		// The reader finishes the plan: an item and a meditation ticked
		// (the optional reflection left), and the enrolment completed.
		e := w.enroll(t, w.reader, nil)
		if c := w.finishDay(t, w.reader, e.ID, 1); c.Status != "completed" {
			t.Fatalf("after the only day the enrolment is %q, want completed", c.Status)
		}
		// A second reader enrols and sits for 25 minutes; a third only
		// signs up, and is then disabled.
		sitter := s.Register(t, "sitter@example.org")
		w.enroll(t, sitter, nil)
		sat := s.Clock.Now().UTC().Add(-time.Minute)
		s.Expect(t, http.StatusCreated, apptest.Request{Method: http.MethodPost, Path: "/v1/practice-sessions", Token: sitter.Access,
			Body: map[string]any{"duration_seconds": 1500, "started_at": sat.Add(-1500 * time.Second).Format(time.RFC3339)}})
		idle := s.Register(t, "idle@example.org")
		s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodPatch, Path: "/v1/admin/users/" + idle.ID, Token: w.admin.Access,
			Body: map[string]any{"disabled": true}})
		// The author starts one plan and sends another to review.
		newPlan(t, s, w.author, map[string]any{"title": "Not Yet", "tradition": "zen"})
		waiting := readyPlan(t, s, w.author, map[string]any{"title": "Waiting", "tradition": "zen"}, 1)
		studioDo(t, s, w.author, http.StatusOK, http.MethodPost, planPath(waiting.ID, "submit"), nil)

		res := get(t, s, w.admin, http.StatusOK, "/v1/admin/stats?days=7")
		if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control %q, want no-store", cc)
		}
		d := decode[dashboard](t, res)
		done := s.Clock.Now().UTC()
		today := done.Format(time.DateOnly)

		t.Run("the series has one entry per UTC day of the window, ending today", func(t *testing.T) {
			if d.Days != 7 || len(d.Series) != 7 || d.To != today || d.Series[6].Date != today || d.From != d.Series[0].Date {
				t.Fatalf("days %d, %d entries from %s (%s) to %s, want 7 ending %s", d.Days, len(d.Series), d.From, d.Series[0].Date, d.To, today)
			}
			for i := 1; i < len(d.Series); i++ {
				prev, _ := time.Parse(time.DateOnly, d.Series[i-1].Date)
				if next := prev.AddDate(0, 0, 1).Format(time.DateOnly); d.Series[i].Date != next {
					t.Errorf("entry %d is %s, want %s", i, d.Series[i].Date, next)
				}
			}
		})

		t.Run("users are counted by role, new and disabled", func(t *testing.T) {
			u := d.Users
			if u.Total != 5 || u.New != 5 || u.ByRole.User != 3 || u.ByRole.Author != 1 || u.ByRole.Admin != 1 || u.Disabled != 1 {
				t.Errorf("users = %+v, want 5 (all new): 3 readers, 1 author, 1 admin; 1 disabled", u)
			}
		})

		t.Run("practitioners are those who ticked or sat", func(t *testing.T) {
			if d.Active.Week != 2 || d.Active.Month != 2 {
				t.Errorf("active = %+v, want 2 this week and month", d.Active)
			}
			if started.Format(time.DateOnly) == today && sat.Add(-1500*time.Second).Format(time.DateOnly) == today && d.Active.Today != 2 {
				t.Errorf("active today = %d, want 2", d.Active.Today)
			}
		})

		t.Run("each day counts enrolments, completions, ticks, practice and new users", func(t *testing.T) {
			var total dashboardDay
			for _, day := range d.Series {
				total.Enrollments += day.Enrollments
				total.Completions += day.Completions
				total.Ticks += day.Ticks
				total.PracticeMinutes += day.PracticeMinutes
				total.NewUsers += day.NewUsers
			}
			want := dashboardDay{Enrollments: 2, Completions: 1, Ticks: 2, PracticeMinutes: 25, NewUsers: 5}
			if total != want {
				t.Errorf("the window's totals = %+v, want %+v", total, want)
			}
			if got := d.on(t, sat.Add(-1500*time.Second).Format(time.DateOnly)).PracticeMinutes; got != 25 {
				t.Errorf("practice minutes on the day of the session = %d, want 25", got)
			}
		})

		t.Run("the plan read most comes first, with its readers", func(t *testing.T) {
			if len(d.Top) != 1 {
				t.Fatalf("top plans = %+v, want the one published plan", d.Top)
			}
			p := d.Top[0]
			if p.ID != w.plan.ID || p.Slug != w.plan.Slug || p.Title != "Seven Days of Metta" ||
				p.EnrollmentsInWindow != 2 || p.Enrollments != 2 || p.Completions != 1 || p.ActiveReaders != 1 {
				t.Errorf("top plan = %+v, want %s with 2 enrolments, 1 finished, 1 reading", p, w.plan.Slug)
			}
		})

		t.Run("plans are counted by status, with the review queue", func(t *testing.T) {
			p := d.Plans
			if p.Draft != 1 || p.InReview != 1 || p.Published != 1 || p.Archived != 0 || p.ReviewQueue != 1 {
				t.Errorf("plans = %+v, want 1 draft, 1 in review, 1 published, a queue of 1", p)
			}
		})

		t.Run("only admins see the dashboard", func(t *testing.T) {
			runAll(t, s, []scenario{
				{name: "anonymous", method: http.MethodGet, path: "/v1/admin/stats", status: http.StatusUnauthorized},
				{name: "reader", method: http.MethodGet, path: "/v1/admin/stats", as: w.reader, status: http.StatusForbidden},
				{name: "author", method: http.MethodGet, path: "/v1/admin/stats", as: w.author, status: http.StatusForbidden},
				{name: "admin, default days", method: http.MethodGet, path: "/v1/admin/stats", as: w.admin, status: http.StatusOK, want: []string{`"days":30`}},
				{name: "admin, a year", method: http.MethodGet, path: "/v1/admin/stats?days=365", as: w.admin, status: http.StatusOK, want: []string{`"days":365`}},
			})
		})

		t.Run("days outside 7 to 365 are refused", func(t *testing.T) {
			for _, days := range []string{"6", "366", "0", "-1", "many"} {
				res := s.Do(t, apptest.Request{Method: http.MethodGet, Path: "/v1/admin/stats?days=" + days, Token: w.admin.Access})
				if f := apptest.Problem(t, res, http.StatusUnprocessableEntity); f["query.days"] == "" {
					t.Errorf("days=%s: no error for query.days in %v", days, f)
				}
			}
		})
	})
}

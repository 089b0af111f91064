package app_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/app/apptest"
)

// patchEnrollment changes an enrolment as a.
func (w *practiceWorld) patch(t testing.TB, a *apptest.Account, id string, body map[string]any) enrollment {
	t.Helper()
	return decode[enrollment](t, w.s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodPatch, Path: "/v1/enrollments/" + id, Token: a.Access, Body: body}))
}

// post sends a bodiless POST to an enrolment action.
func (w *practiceWorld) post(t testing.TB, a *apptest.Account, status int, id, action string) enrollment {
	t.Helper()
	res := w.s.Expect(t, status, apptest.Request{Method: http.MethodPost, Path: "/v1/enrollments/" + id + "/" + action, Token: a.Access})
	if status != http.StatusOK {
		return enrollment{}
	}
	return decode[enrollment](t, res)
}

func (w *practiceWorld) get(t testing.TB, a *apptest.Account, id string) enrollment {
	t.Helper()
	return decode[enrollment](t, get(t, w.s, a, http.StatusOK, "/v1/enrollments/"+id))
}

func TestPracticeSchedules(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		w := newPracticeWorld(t, engine, 7)
		s, reader := w.s, w.reader
		day := 24 * time.Hour

		t.Run("nothing falls due while paused, and resuming goes on where it stood", func(t *testing.T) {
			e := w.enroll(t, reader, nil)
			defer w.leave(t, reader, e.ID)
			w.advance(t, day)
			if e = w.get(t, reader, e.ID); e.Progress.DueDay != 2 {
				t.Fatalf("day 2 is due the day after starting: %+v", e.Progress)
			}
			e = w.patch(t, reader, e.ID, map[string]any{"paused": true})
			if e.Status != "paused" || e.PausedOn == "" || e.Progress.State != "paused" {
				t.Fatalf("paused: %+v", e)
			}
			// The list filters by any of the statuses asked for.
			for query, want := range map[string]int{"status=active": 0, "status=paused": 1, "status=active&status=paused": 1} {
				page := decode[struct {
					Items []enrollment `json:"items"`
				}](t, get(t, s, reader, http.StatusOK, "/v1/enrollments?"+query))
				if len(page.Items) != want {
					t.Errorf("GET /v1/enrollments?%s: %d enrolments, want %d", query, len(page.Items), want)
				}
			}
			w.advance(t, 3*day)
			if e = w.get(t, reader, e.ID); e.Progress.DueDay != 2 || e.Progress.Behind != 1 {
				t.Fatalf("three days paused bring nothing due: %+v", e.Progress)
			}
			e = w.patch(t, reader, e.ID, map[string]any{"paused": false})
			if e.Status != "active" || e.Progress.DueDay != 2 || e.Progress.State != "behind" || !e.Progress.CanCatch {
				t.Fatalf("resumed where it stood, able to catch up: %+v", e)
			}
			w.advance(t, day)
			if e = w.get(t, reader, e.ID); e.Progress.DueDay != 3 {
				t.Fatalf("and goes on a day at a time: %+v", e.Progress)
			}
		})

		t.Run("catching up makes the next unfinished day due today and keeps what was done", func(t *testing.T) {
			e := w.enroll(t, reader, nil)
			defer w.leave(t, reader, e.ID)
			w.finishDay(t, reader, e.ID, 1)
			w.advance(t, 3*day)
			if e = w.get(t, reader, e.ID); e.Progress.DueDay != 4 || e.Progress.Behind != 2 || e.Progress.State != "behind" {
				t.Fatalf("three days later: %+v", e.Progress)
			}
			e = w.post(t, reader, http.StatusOK, e.ID, "catch-up")
			if e.Progress.DueDay != 2 || e.Progress.NextDay != 2 || e.Progress.Behind != 0 || e.Progress.DaysDone != 1 || e.Progress.State != "on_track" {
				t.Fatalf("caught up: %+v", e.Progress)
			}
			if d := w.today(t, reader, e.ID); d.Day.Number != 2 {
				t.Fatalf("today is day 2, got %d", d.Day.Number)
			}
		})

		t.Run("weekdays and a few days a week", func(t *testing.T) {
			e := w.enroll(t, reader, map[string]any{"pace": "n_per_week", "per_week": 2})
			defer w.leave(t, reader, e.ID)
			due := []int{}
			for i := 0; i < 7; i++ {
				due = append(due, w.get(t, reader, e.ID).Progress.DueDay)
				w.advance(t, day)
			}
			if due[0] != 1 || due[6] != 2 {
				t.Fatalf("two days in a week: %v", due)
			}
			e = w.patch(t, reader, e.ID, map[string]any{"pace": "daily"})
			if e.Pace != "daily" || e.PerWeek != 0 || e.Progress.DueDay != 3 {
				t.Fatalf("a new pace keeps today's day due today: %+v", e)
			}
		})

		t.Run("restarting begins a new cycle and keeps the history", func(t *testing.T) {
			e := w.enroll(t, reader, map[string]any{"pace": "self_paced"})
			defer w.leave(t, reader, e.ID)
			w.finishDay(t, reader, e.ID, 1)
			before := w.stats(t, reader)
			e = w.post(t, reader, http.StatusOK, e.ID, "restart")
			if e.Cycle != 2 || e.Progress.DaysDone != 0 || e.Progress.NextDay != 1 {
				t.Fatalf("restarted: %+v", e)
			}
			if d := w.today(t, reader, e.ID); d.Day.Number != 1 || d.Day.Items[0].Done {
				t.Fatalf("day 1 again, not done: %+v", d.Day)
			}
			if after := w.stats(t, reader); after.DaysPractised != before.DaysPractised {
				t.Fatalf("the practice stays in the history: %d then %d", before.DaysPractised, after.DaysPractised)
			}
		})

		t.Run("a day starts at the person's day-start hour", func(t *testing.T) {
			hour := s.Clock.Now().In(colombo).Hour()
			if hour == 23 {
				w.advance(t, time.Hour)
				hour = 0
			}
			s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodPatch, Path: "/v1/me", Token: reader.Access, Body: map[string]any{"day_start_hour": hour + 1}})
			defer s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodPatch, Path: "/v1/me", Token: reader.Access, Body: map[string]any{"day_start_hour": 0}})
			yesterday := s.Clock.Now().In(colombo).AddDate(0, 0, -1).Format(time.DateOnly)
			if st := w.stats(t, reader); st.Today != yesterday {
				t.Fatalf("before the day-start hour it is still yesterday (%s), got %s", yesterday, st.Today)
			}
		})

		t.Run("a flight across the date line keeps the streak", func(t *testing.T) {
			e := w.enroll(t, reader, map[string]any{"pace": "self_paced"})
			defer w.leave(t, reader, e.ID)
			w.advance(t, 10*day)
			w.setZone(t, reader, "Asia/Tokyo")
			w.finishDay(t, reader, e.ID, 1)
			w.advance(t, 12*time.Hour)
			w.setZone(t, reader, "America/Los_Angeles")
			w.finishDay(t, reader, e.ID, 2)
			w.advance(t, 24*time.Hour)
			w.finishDay(t, reader, e.ID, 3)
			st := w.stats(t, reader)
			if st.Streak.Current < 2 || st.Streak.GraceLeft != 1 {
				t.Fatalf("Tokyo to Los Angeles: %+v", st.Streak)
			}
			w.setZone(t, reader, "Asia/Colombo")
		})
	})
}

func TestPracticeCalendarAnchoredPlan(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		w := newPracticeWorld(t, engine, 2)
		s := w.s
		start := s.Clock.Now().In(colombo).AddDate(0, 0, 2).Format(time.DateOnly)
		p := readyPlan(t, s, w.author, map[string]any{"title": "Rains Retreat", "tradition": "theravada", "fixed_start_dates": []string{start}}, 5)
		p = publish(t, s, w.author, w.admin, p.ID)

		res := s.Do(t, apptest.Request{Method: http.MethodPost, Path: "/v1/enrollments", Token: w.reader.Access, Body: map[string]any{"plan": p.Slug, "pace": "weekdays"}})
		apptest.Problem(t, res, http.StatusUnprocessableEntity, "fixed dates")
		e := w.enroll(t, w.reader, map[string]any{"plan": p.Slug})
		if e.StartDate != start || e.Progress.State != "not_started" || e.Progress.DueDay != 0 {
			t.Fatalf("the plan starts on its date: %+v", e)
		}
		if d := w.today(t, w.reader, e.ID); d.Day.Number != 1 {
			t.Fatalf("before the start, today shows day 1 to look at, got %d", d.Day.Number)
		}
		if e.Progress.CanCatch {
			t.Errorf("a plan on fixed dates offers catch-up: %+v", e.Progress)
		}
		w.post(t, w.reader, http.StatusConflict, e.ID, "catch-up")
		w.advance(t, 3*24*time.Hour)
		w.patch(t, w.reader, e.ID, map[string]any{"paused": true})
		w.advance(t, 24*time.Hour)
		e = w.patch(t, w.reader, e.ID, map[string]any{"paused": false})
		if e.Progress.DueDay != 3 {
			t.Fatalf("the calendar goes on through a pause: %+v", e.Progress)
		}
	})
}

// leave leaves an enrolment as a.
func (w *practiceWorld) leave(t testing.TB, a *apptest.Account, id string) {
	t.Helper()
	w.s.Expect(t, http.StatusNoContent, apptest.Request{Method: http.MethodDelete, Path: "/v1/enrollments/" + id, Token: a.Access})
}

// A reader follows the plan's published revision: a new one shows in
// their day at once, and what they had done of items that carry over stays
// done.
func TestPracticeFollowsANewRevisionAtOnce(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		w := newPracticeWorld(t, engine, 2)
		e := w.enroll(t, w.reader, map[string]any{"plan": w.plan.Slug})
		day := w.today(t, w.reader, e.ID)
		item := day.Day.Items[0]
		w.mark(t, w.reader, http.StatusOK, http.MethodPut, e.ID, "items", item.ID, nil)

		studioDo(t, w.s, w.author, http.StatusOK, http.MethodPatch, planPath(w.plan.ID, "days", 1, "items", item.ID),
			map[string]any{"title": "Reading 1, revised", "body": "The *revised* reading."})
		if got := w.today(t, w.reader, e.ID).Day.Items[0]; got.Title != item.Title {
			t.Errorf("before the new revision is published, today shows %q", got.Title)
		}
		publish(t, w.s, w.author, w.admin, w.plan.ID)
		got := w.today(t, w.reader, e.ID).Day.Items[0]
		if got.Title != "Reading 1, revised" || got.BodyHTML != "<p>The <em>revised</em> reading.</p>\n" || !got.Done {
			t.Errorf("right after publication, today shows %q, %q, done %v", got.Title, got.BodyHTML, got.Done)
		}
	})
}

package app_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/app/apptest"
)

func TestPracticeADayAtATime(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		w := newPracticeWorld(t, engine, 3)
		s, reader := w.s, w.reader
		t.Cleanup(func() {
			if t.Failed() {
				t.Logf("server log:\n%s", s.Log.String())
			}
		})

		e := w.enroll(t, reader, map[string]any{"reminder_time": "06:45"})
		today := time.Now().In(colombo).Format(time.DateOnly)
		if e.Status != "active" || e.Pace != "daily" || e.StartDate != today || e.Progress.DueDay != 1 || e.Progress.State != "on_track" || e.ReminderTime != "06:45" {
			t.Fatalf("a new enrolment starts today on day 1: %+v", e)
		}

		t.Run("enrolling twice names the enrolment one has", func(t *testing.T) {
			res := s.Do(t, apptest.Request{Method: http.MethodPost, Path: "/v1/enrollments", Token: reader.Access, Body: map[string]any{"plan": w.plan.ID}})
			apptest.Problem(t, res, http.StatusConflict, "already enrolled", e.ID)
		})

		t.Run("today is day 1 with nothing done", func(t *testing.T) {
			d := w.today(t, reader, e.ID)
			if d.Day.Number != 1 || len(d.Day.Items) != 1 || len(d.Day.Tasks) != 2 || d.Finished || d.Day.Items[0].Done {
				t.Fatalf("today: %+v", d)
			}
		})

		t.Run("a day is finished when its items and required tasks are", func(t *testing.T) {
			d := w.today(t, reader, e.ID)
			c := w.mark(t, reader, http.StatusOK, http.MethodPut, e.ID, "items", d.Day.Items[0].ID, nil)
			if !c.Done || c.DayFinished || c.DoneOn != today {
				t.Fatalf("item done, day not finished: %+v", c)
			}
			required := d.Day.Tasks[0]
			if required.Optional {
				required = d.Day.Tasks[1]
			}
			c = w.mark(t, reader, http.StatusOK, http.MethodPut, e.ID, "tasks", required.ID, nil)
			if !c.DayFinished || c.DaysDone != 1 {
				t.Fatalf("the optional task does not hold the day back: %+v", c)
			}
			st := w.stats(t, reader)
			if st.Streak == nil || st.Streak.Current != 1 || st.DaysPractised != 1 {
				t.Fatalf("a finished day starts a streak: %+v", st)
			}
			// Undoing takes the day and the streak back.
			c = w.mark(t, reader, http.StatusOK, http.MethodDelete, e.ID, "tasks", required.ID, nil)
			if c.Done || c.DayFinished || c.DaysDone != 0 {
				t.Fatalf("undone: %+v", c)
			}
			if st := w.stats(t, reader); st.Streak.Current != 0 || st.DaysPractised != 0 {
				t.Fatalf("undoing the day takes the practice back: %+v", st)
			}
			w.mark(t, reader, http.StatusOK, http.MethodPut, e.ID, "tasks", required.ID, nil)
		})

		t.Run("a reflection is private and goes with the export and the account", func(t *testing.T) {
			path := "/v1/enrollments/" + e.ID + "/days/1/journal"
			s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodPut, Path: path, Token: reader.Access, Body: map[string]any{"body": "Metta for the **neighbour**."}})
			if got := get(t, s, reader, http.StatusOK, path).String(t, "body"); got != "Metta for the **neighbour**." {
				t.Fatalf("journal reads back %q", got)
			}
			stranger := s.Register(t, "stranger@example.org")
			get(t, s, stranger, http.StatusNotFound, path)
			export := string(get(t, s, reader, http.StatusOK, "/v1/me/export").Body)
			for _, want := range []string{`"practice"`, "Metta for the **neighbour**.", e.ID, `"finished_days"`} {
				if !strings.Contains(export, want) {
					t.Errorf("the export lacks %s", want)
				}
			}
		})

		t.Run("the next day is due tomorrow and the streak grows", func(t *testing.T) {
			w.advance(t, 24*time.Hour)
			d := w.today(t, reader, e.ID)
			if d.Day.Number != 2 || d.Enrollment.Progress.State != "on_track" {
				t.Fatalf("tomorrow: day %d, %+v", d.Day.Number, d.Enrollment.Progress)
			}
			w.finishDay(t, reader, e.ID, 2)
			if st := w.stats(t, reader); st.Streak.Current != 2 || st.Streak.Longest != 2 {
				t.Fatalf("two days: %+v", st.Streak)
			}
		})

		t.Run("finishing the last day completes the plan", func(t *testing.T) {
			w.advance(t, 24*time.Hour)
			c := w.finishDay(t, reader, e.ID, 3)
			if c.Status != "completed" || c.DaysDone != 3 {
				t.Fatalf("last day: %+v", c)
			}
			st := w.stats(t, reader)
			if st.PlansCompleted != 1 || st.Streak.Current != 3 || len(st.Plans) != 0 {
				t.Fatalf("stats after the plan: %+v", st)
			}
		})
	})
}

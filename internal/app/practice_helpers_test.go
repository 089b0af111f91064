package app_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/app/apptest"
	"github.com/dharmaplans/dharmaplans/internal/identity"
)

// The practice HTTP tests share these: answers as a client decodes them,
// and a published plan to practise with.

type enrollment struct {
	ID   string `json:"id"`
	Plan struct {
		ID    string `json:"id"`
		Slug  string `json:"slug"`
		Title string `json:"title"`
		Days  int    `json:"days"`
	} `json:"plan"`
	Status       string  `json:"status"`
	Pace         string  `json:"pace"`
	PerWeek      int     `json:"per_week"`
	StartDate    string  `json:"start_date"`
	PausedOn     string  `json:"paused_on"`
	ReminderTime string  `json:"reminder_time"`
	Cycle        int     `json:"cycle"`
	CompletedAt  *string `json:"completed_at"`
	Progress     struct {
		Today    string `json:"today"`
		DueDay   int    `json:"due_day"`
		NextDay  int    `json:"next_day"`
		DaysDone int    `json:"days_done"`
		Behind   int    `json:"behind"`
		Percent  int    `json:"percent"`
		State    string `json:"state"`
		CanCatch bool   `json:"can_catch_up"`
	} `json:"progress"`
}

type doneState struct {
	Done   bool    `json:"done"`
	DoneAt *string `json:"done_at"`
	DoneOn string  `json:"done_on"`
}

type enrolledDay struct {
	Enrollment enrollment `json:"enrollment"`
	Day        struct {
		Number int    `json:"number"`
		Title  string `json:"title"`
		Items  []struct {
			planItem
			doneState
		} `json:"items"`
		Tasks []struct {
			planTask
			doneState
		} `json:"tasks"`
	} `json:"day"`
	Finished   bool `json:"finished"`
	HasJournal bool `json:"has_journal"`
}

type completion struct {
	doneState
	DayFinished bool   `json:"day_finished"`
	DaysDone    int    `json:"days_done"`
	Status      string `json:"enrollment_status"`
}

type stats struct {
	Streak *struct {
		Current   int `json:"current"`
		Longest   int `json:"longest"`
		GraceLeft int `json:"grace_days_left"`
	} `json:"streak"`
	ShowStreaks      bool         `json:"show_streaks"`
	GraceDaysPerWeek int          `json:"grace_days_per_week"`
	DaysPractised    int          `json:"days_practised"`
	MinutesMeditated int          `json:"minutes_meditated"`
	PlansCompleted   int          `json:"plans_completed"`
	Today            string       `json:"today"`
	Plans            []enrollment `json:"plans"`
}

type syncResult struct {
	ClientID string `json:"client_id"`
	Result   string `json:"result"`
	Type     string `json:"type"`
	Detail   string `json:"detail"`
}

// practiceWorld is a server with a published plan and a reader.
type practiceWorld struct {
	s      *apptest.Server
	author *apptest.Account
	admin  *apptest.Account
	reader *apptest.Account
	plan   studioPlan // published: days with one text item each; day 1 also a meditation and an optional task
}

// newPracticeWorld starts a server on engine with a published plan of
// days days; the reader lives in Asia/Colombo.
func newPracticeWorld(t *testing.T, engine string, days int) *practiceWorld {
	t.Helper()
	s := apptest.Start(t, engine, apptest.Options{})
	w := &practiceWorld{s: s}
	w.author = s.CreateUser(t, "author@example.org", identity.RoleAuthor)
	w.admin = s.CreateUser(t, "admin@example.org", identity.RoleAdmin)
	w.reader = s.Register(t, "reader@example.org")
	w.setZone(t, w.reader, "Asia/Colombo")
	p := readyPlan(t, s, w.author, map[string]any{"title": "Seven Days of Metta", "tradition": "theravada"}, days)
	addTask(t, s, w.author, p.ID, 1, map[string]any{"kind": "meditate", "prompt": "Sit with kindness.", "minutes": 10})
	addTask(t, s, w.author, p.ID, 1, map[string]any{"kind": "reflect", "prompt": "Whom did you meet?", "minutes": 5, "optional": true})
	w.plan = publish(t, s, w.author, w.admin, p.ID)
	return w
}

// advance moves the server's clock by d and refreshes the tokens of
// accounts, whose access tokens expire meanwhile.
func (w *practiceWorld) advance(t testing.TB, d time.Duration, accounts ...*apptest.Account) {
	t.Helper()
	w.s.Clock.Advance(d)
	if len(accounts) == 0 {
		accounts = []*apptest.Account{w.reader}
	}
	for _, a := range accounts {
		if res := w.s.Refresh(t, a); res.Status != http.StatusOK {
			t.Fatalf("refresh after %v: %d %s", d, res.Status, res.Body)
		}
	}
}

// setZone sets a's time zone.
func (w *practiceWorld) setZone(t testing.TB, a *apptest.Account, zone string) {
	t.Helper()
	w.s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodPatch, Path: "/v1/me", Token: a.Access, Body: map[string]any{"timezone": zone}})
}

// enroll enrols a in the plan with body's choices.
func (w *practiceWorld) enroll(t testing.TB, a *apptest.Account, body map[string]any) enrollment {
	t.Helper()
	if body == nil {
		body = map[string]any{}
	}
	if body["plan"] == nil {
		body["plan"] = w.plan.Slug
	}
	return decode[enrollment](t, w.s.Expect(t, http.StatusCreated, apptest.Request{Method: http.MethodPost, Path: "/v1/enrollments", Token: a.Access, Body: body}))
}

// today reads an enrolment's today as a.
func (w *practiceWorld) today(t testing.TB, a *apptest.Account, id string) enrolledDay {
	t.Helper()
	return decode[enrolledDay](t, get(t, w.s, a, http.StatusOK, "/v1/enrollments/"+id+"/today"))
}

// finishDay marks every item and required task of day n done as a.
func (w *practiceWorld) finishDay(t testing.TB, a *apptest.Account, id string, n int) completion {
	t.Helper()
	day := decode[enrolledDay](t, get(t, w.s, a, http.StatusOK, fmt.Sprintf("/v1/enrollments/%s/days/%d", id, n)))
	var last completion
	for _, it := range day.Day.Items {
		last = w.mark(t, a, http.StatusOK, http.MethodPut, id, "items", it.ID, nil)
	}
	for _, task := range day.Day.Tasks {
		if !task.Optional {
			last = w.mark(t, a, http.StatusOK, http.MethodPut, id, "tasks", task.ID, nil)
		}
	}
	return last
}

// mark sends a completion change.
func (w *practiceWorld) mark(t testing.TB, a *apptest.Account, status int, method, id, kind, target string, body any) completion {
	t.Helper()
	res := w.s.Expect(t, status, apptest.Request{Method: method, Path: "/v1/enrollments/" + id + "/" + kind + "/" + target + "/completion", Token: a.Access, Body: body})
	if status != http.StatusOK {
		return completion{}
	}
	return decode[completion](t, res)
}

// stats reads a's stats.
func (w *practiceWorld) stats(t testing.TB, a *apptest.Account) stats {
	t.Helper()
	return decode[stats](t, get(t, w.s, a, http.StatusOK, "/v1/me/stats"))
}

// colombo is the reader's time zone in these tests.
var colombo = mustZone("Asia/Colombo")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

package app_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/app/apptest"
)

// The practice API's promises about what a client cannot do: reach
// someone else's enrolment, name days, items or ids that are not there,
// send times, zones, sizes and settings out of range, or make the server
// fail whatever it sends.

// failOnServerErrors fails the test, when it ends, if s answered any
// request with a 5xx or logged an internal error: nothing a client sends
// may make the server fail. The log names the route and the error.
func failOnServerErrors(t *testing.T, s *apptest.Server) {
	t.Helper()
	t.Cleanup(func() {
		var bad []string
		for line := range strings.SplitSeq(s.Log.String(), "\n") {
			var l struct {
				Msg, Method, Route, Error, Panic string
				Status                           int
				RequestID                        string `json:"request_id"`
			}
			if json.Unmarshal([]byte(line), &l) != nil {
				continue
			}
			switch {
			case l.Msg == "request" && l.Status >= 500:
				bad = append(bad, fmt.Sprintf("%s %s answered %d (request %s)", l.Method, l.Route, l.Status, l.RequestID))
			case l.Msg == "internal error":
				bad = append(bad, fmt.Sprintf("internal error (request %s): %s", l.RequestID, l.Error))
			case l.Msg == "panic":
				bad = append(bad, fmt.Sprintf("panic (request %s): %s", l.RequestID, l.Panic))
			}
		}
		if len(bad) > 0 {
			t.Errorf("the server failed on what a client sent:\n  %s", strings.Join(bad, "\n  "))
		}
	})
}

// enrolmentRoute is one request on an enrolment.
type enrolmentRoute struct {
	name, method, path string
	body               any
}

// everyEnrolmentRoute lists a request on each route under enrolment id,
// naming item and task where the route needs them.
func everyEnrolmentRoute(id, item, task string) []enrolmentRoute {
	e := "/v1/enrollments/" + id
	return []enrolmentRoute{
		{"read it", http.MethodGet, e, nil},
		{"pause it", http.MethodPatch, e, map[string]any{"paused": true}},
		{"leave it", http.MethodDelete, e, nil},
		{"catch up", http.MethodPost, e + "/catch-up", nil},
		{"restart it", http.MethodPost, e + "/restart", nil},
		{"read today", http.MethodGet, e + "/today", nil},
		{"read a day", http.MethodGet, e + "/days/1", nil},
		{"mark an item done", http.MethodPut, e + "/items/" + item + "/completion", nil},
		{"mark an item not done", http.MethodDelete, e + "/items/" + item + "/completion", nil},
		{"mark a task done", http.MethodPut, e + "/tasks/" + task + "/completion", nil},
		{"mark a task not done", http.MethodDelete, e + "/tasks/" + task + "/completion", nil},
		{"read the journal", http.MethodGet, e + "/days/1/journal", nil},
		{"write the journal", http.MethodPut, e + "/days/1/journal", map[string]any{"body": "Written by someone else."}},
	}
}

// syncOf sends events to /v1/sync as a, expecting 200, and returns the
// results by client id.
func syncOf(t testing.TB, s *apptest.Server, a *apptest.Account, events ...map[string]any) map[string]syncResult {
	t.Helper()
	res := s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodPost, Path: "/v1/sync", Token: a.Access, Body: map[string]any{"events": events}})
	out := decode[struct {
		Results []syncResult `json:"results"`
	}](t, res)
	if len(out.Results) != len(events) {
		t.Fatalf("%d results for %d events: %s", len(out.Results), len(events), res.Body)
	}
	byID := map[string]syncResult{}
	for _, r := range out.Results {
		byID[r.ClientID] = r
	}
	return byID
}

// wantSync checks that the result of event id is want ("applied",
// "duplicate" or "rejected"), and that a rejection's detail names each of
// detail.
func wantSync(t testing.TB, results map[string]syncResult, id, want string, detail ...string) {
	t.Helper()
	r, ok := results[id]
	if !ok {
		t.Fatalf("no result for %s in %+v", id, results)
	}
	if r.Result != want {
		t.Errorf("event %s: %s (%s: %s), want %s", id, r.Result, r.Type, r.Detail, want)
		return
	}
	if want == "rejected" && !strings.HasPrefix(r.Type, "https://dharmaplans.org/problems/") {
		t.Errorf("event %s: rejected without a problem type: %+v", id, r)
	}
	for _, d := range detail {
		if !strings.Contains(r.Detail, d) {
			t.Errorf("event %s: detail %q does not mention %q", id, r.Detail, d)
		}
	}
}

// rfc3339 formats an instant as a client sends it.
func rfc3339(at time.Time) string { return at.UTC().Format(time.RFC3339Nano) }

func TestPracticeAccessControl(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		w := newPracticeWorld(t, engine, 3)
		s, reader := w.s, w.reader
		failOnServerErrors(t, s)
		stranger := s.Register(t, "stranger@example.org")

		mine := w.enroll(t, reader, nil)
		theirs := w.enroll(t, stranger, nil)
		day := w.today(t, stranger, theirs.ID)
		item, task := day.Day.Items[0].ID, day.Day.Tasks[0].ID
		const secret = "Only I may read what I wrote on day one."
		s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodPut, Path: "/v1/enrollments/" + theirs.ID + "/days/1/journal",
			Token: stranger.Access, Body: map[string]any{"body": secret}})

		t.Run("every practice route needs a signed-in person", func(t *testing.T) {
			var scenarios []scenario
			for _, r := range everyEnrolmentRoute(mine.ID, item, task) {
				scenarios = append(scenarios, scenario{name: r.name, method: r.method, path: r.path, body: r.body, status: http.StatusUnauthorized})
			}
			scenarios = append(scenarios,
				scenario{name: "enrol", method: http.MethodPost, path: "/v1/enrollments", body: map[string]any{"plan": w.plan.Slug}, status: http.StatusUnauthorized},
				scenario{name: "list enrolments", method: http.MethodGet, path: "/v1/enrollments", status: http.StatusUnauthorized},
				scenario{name: "sync", method: http.MethodPost, path: "/v1/sync", body: map[string]any{"events": []any{}}, status: http.StatusUnauthorized},
				scenario{name: "log a session", method: http.MethodPost, path: "/v1/practice-sessions", body: map[string]any{"duration_seconds": 600}, status: http.StatusUnauthorized},
				scenario{name: "read stats", method: http.MethodGet, path: "/v1/me/stats", status: http.StatusUnauthorized},
				scenario{name: "read activity", method: http.MethodGet, path: "/v1/me/activity", status: http.StatusUnauthorized},
				scenario{name: "read settings", method: http.MethodGet, path: "/v1/me/practice", status: http.StatusUnauthorized},
				scenario{name: "change settings", method: http.MethodPatch, path: "/v1/me/practice", body: map[string]any{"grace_days_per_week": 2}, status: http.StatusUnauthorized},
			)
			t.Run("anonymous", func(t *testing.T) { runAll(t, s, scenarios) })
			t.Run("with a token that is not one", func(t *testing.T) {
				forged := &apptest.Account{Access: "not.a.token"}
				for i := range scenarios {
					scenarios[i].as = forged
				}
				runAll(t, s, scenarios)
			})
		})

		t.Run("another reader's enrolment is not found on any route", func(t *testing.T) {
			for _, who := range []struct {
				name string
				as   *apptest.Account
			}{{"by a reader", reader}, {"even by an admin", w.admin}} {
				t.Run(who.name, func(t *testing.T) {
					var scenarios []scenario
					for _, r := range everyEnrolmentRoute(theirs.ID, item, task) {
						scenarios = append(scenarios, scenario{name: r.name, method: r.method, path: r.path, body: r.body, as: who.as,
							status: http.StatusNotFound, want: []string{"enrollment not found"}})
					}
					runAll(t, s, scenarios)
				})
			}
		})

		t.Run("malformed and unknown enrolment ids are not found", func(t *testing.T) {
			for _, id := range []string{malformedID, unknownID, "1", "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz", url.PathEscape("' OR '1'='1"), strings.ToUpper(theirs.ID)} {
				t.Run(id, func(t *testing.T) {
					var scenarios []scenario
					for _, r := range everyEnrolmentRoute(id, item, task) {
						scenarios = append(scenarios, scenario{name: r.name, method: r.method, path: r.path, body: r.body, as: reader, status: http.StatusNotFound})
					}
					runAll(t, s, scenarios)
				})
			}
		})

		t.Run("offline events and sessions cannot reach another's enrolment", func(t *testing.T) {
			now := s.Clock.Now()
			results := syncOf(t, s, reader,
				map[string]any{"client_id": "foreign-journal", "type": "save_journal", "at": rfc3339(now), "enrollment_id": theirs.ID, "day": 1, "body": "Overwritten."},
				map[string]any{"client_id": "foreign-item", "type": "complete_item", "at": rfc3339(now), "enrollment_id": theirs.ID, "target_id": item},
				map[string]any{"client_id": "foreign-session", "type": "log_session", "at": rfc3339(now.Add(-time.Hour)), "enrollment_id": theirs.ID,
					"session": map[string]any{"duration_seconds": 600, "task_id": task}},
				map[string]any{"client_id": "own-item", "type": "complete_item", "at": rfc3339(now), "enrollment_id": mine.ID, "target_id": item},
			)
			for _, id := range []string{"foreign-journal", "foreign-item", "foreign-session"} {
				wantSync(t, results, id, "rejected", "enrollment not found")
				if r := results[id]; r.Type != "https://dharmaplans.org/problems/not-found" {
					t.Errorf("%s: type %q, want not-found", id, r.Type)
				}
			}
			wantSync(t, results, "own-item", "applied")
			scenario{name: "session", method: http.MethodPost, path: "/v1/practice-sessions", as: reader,
				body:   map[string]any{"duration_seconds": 600, "enrollment_id": theirs.ID},
				status: http.StatusNotFound, want: []string{"enrollment not found"}}.run(t, s)
		})

		t.Run("the other reader's enrolment and journal are as they left them", func(t *testing.T) {
			j := decode[map[string]any](t, get(t, s, stranger, http.StatusOK, "/v1/enrollments/"+theirs.ID+"/days/1/journal"))
			if j["body"] != secret {
				t.Errorf("the journal was changed by someone else: %v", j)
			}
			d := w.today(t, stranger, theirs.ID)
			if d.Enrollment.Status != "active" || d.Enrollment.Cycle != 1 || d.Day.Items[0].Done || d.Day.Tasks[0].Done {
				t.Errorf("the enrolment was changed by someone else: %+v", d)
			}
			if st := w.stats(t, stranger); st.DaysPractised != 0 || st.MinutesMeditated != 0 {
				t.Errorf("someone else's practice counted for the stranger: %+v", st)
			}
		})

		t.Run("lists and stats hold only one's own", func(t *testing.T) {
			for _, path := range []string{"/v1/enrollments", "/v1/me/stats", "/v1/me/activity"} {
				if body := string(get(t, s, reader, http.StatusOK, path).Body); strings.Contains(body, theirs.ID) {
					t.Errorf("%s shows another reader's enrolment: %s", path, body)
				}
			}
			if page := decode[struct{ Items []enrollment }](t, get(t, s, reader, http.StatusOK, "/v1/enrollments")); len(page.Items) != 1 || page.Items[0].ID != mine.ID {
				t.Errorf("my enrolments: %+v", page.Items)
			}
		})
	})
}

func TestPracticeRejectsBadInput(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		w := newPracticeWorld(t, engine, 3)
		s, reader := w.s, w.reader
		failOnServerErrors(t, s)
		e := w.enroll(t, reader, nil)
		day := w.today(t, reader, e.ID)
		item, task := day.Day.Items[0].ID, day.Day.Tasks[0].ID
		enr := "/v1/enrollments/" + e.ID
		bad := func(name, method, path string, body any, fields ...string) scenario {
			return scenario{name: name, method: method, path: path, body: body, as: reader, status: http.StatusUnprocessableEntity, fields: fields}
		}
		notFound := func(name, method, path string, body any, want ...string) scenario {
			return scenario{name: name, method: method, path: path, body: body, as: reader, status: http.StatusNotFound, want: want}
		}
		// A missing property is named in the message of the body's error.
		required := func(name, method, path string, body any, property string) scenario {
			return scenario{name: name, method: method, path: path, body: body, as: reader, status: http.StatusUnprocessableEntity,
				fields: []string{"body"}, want: []string{"required property " + property}}
		}
		today := s.Clock.Now().In(colombo)
		date := func(days int) string { return today.AddDate(0, 0, days).Format(time.DateOnly) }

		// Another published plan, whose items and tasks are not this plan's.
		other := publishedPlan(t, s, w.author, w.admin, map[string]any{"title": "Walking in the Forest", "tradition": "theravada"}, 2)
		addTask(t, s, w.author, other.ID, 1, map[string]any{"kind": "meditate", "prompt": "Walk slowly.", "minutes": 10})
		publish(t, s, w.author, w.admin, other.ID)
		walker := s.Register(t, "walker@example.org")
		walking := w.enroll(t, walker, map[string]any{"plan": other.Slug})
		walkDay := w.today(t, walker, walking.ID)
		otherItem, otherTask := walkDay.Day.Items[0].ID, walkDay.Day.Tasks[0].ID
		draft := readyPlan(t, s, w.author, map[string]any{"title": "Not Yet Published", "tradition": "zen"}, 1)

		t.Run("enrolling", func(t *testing.T) {
			runAll(t, s, []scenario{
				{name: "an unknown plan is named", method: http.MethodPost, path: "/v1/enrollments", body: map[string]any{"plan": "no-such-plan"}, as: reader,
					status: http.StatusUnprocessableEntity, fields: []string{"body.plan"}, want: []string{`"no-such-plan"`}},
				bad("an unknown plan id", http.MethodPost, "/v1/enrollments", map[string]any{"plan": unknownID}, "body.plan"),
				bad("a plan that is not published", http.MethodPost, "/v1/enrollments", map[string]any{"plan": draft.Slug}, "body.plan"),
				bad("a plan that is not published, by id", http.MethodPost, "/v1/enrollments", map[string]any{"plan": draft.ID}, "body.plan"),
				required("no plan", http.MethodPost, "/v1/enrollments", map[string]any{}, "plan"),
				bad("an empty plan", http.MethodPost, "/v1/enrollments", map[string]any{"plan": ""}, "body.plan"),
				bad("a plan reference over 80 characters", http.MethodPost, "/v1/enrollments", map[string]any{"plan": strings.Repeat("p", 81)}, "body.plan"),
				bad("every choice out of range at once", http.MethodPost, "/v1/enrollments",
					map[string]any{"plan": w.plan.Slug, "pace": "n_per_week", "per_week": 8, "reminder_time": "24:00", "start_date": date(400)},
					"body.per_week", "body.reminder_time", "body.start_date"),
				bad("every choice malformed at once", http.MethodPost, "/v1/enrollments",
					map[string]any{"plan": w.plan.Slug, "pace": "hourly", "reminder_time": "7:30 pm", "start_date": "next monday"},
					"body.pace", "body.reminder_time", "body.start_date"),
				bad("an unknown pace", http.MethodPost, "/v1/enrollments", map[string]any{"plan": w.plan.Slug, "pace": "hourly"}, "body.pace"),
				bad("per_week without the n_per_week pace", http.MethodPost, "/v1/enrollments", map[string]any{"plan": w.plan.Slug, "per_week": 3}, "body.per_week"),
				bad("n_per_week without per_week", http.MethodPost, "/v1/enrollments", map[string]any{"plan": w.plan.Slug, "pace": "n_per_week"}, "body.per_week"),
				bad("n_per_week with a negative per_week", http.MethodPost, "/v1/enrollments", map[string]any{"plan": w.plan.Slug, "pace": "n_per_week", "per_week": -1}, "body.per_week"),
				bad("a reminder at 25:00", http.MethodPost, "/v1/enrollments", map[string]any{"plan": w.plan.Slug, "reminder_time": "25:00"}, "body.reminder_time"),
				bad("a reminder at 07:60", http.MethodPost, "/v1/enrollments", map[string]any{"plan": w.plan.Slug, "reminder_time": "07:60"}, "body.reminder_time"),
				bad("a reminder without minutes", http.MethodPost, "/v1/enrollments", map[string]any{"plan": w.plan.Slug, "reminder_time": "7"}, "body.reminder_time"),
				bad("a start over a year ahead", http.MethodPost, "/v1/enrollments", map[string]any{"plan": w.plan.Slug, "start_date": date(400)}, "body.start_date"),
				bad("a start over a year ago", http.MethodPost, "/v1/enrollments", map[string]any{"plan": w.plan.Slug, "start_date": date(-400)}, "body.start_date"),
				bad("a start on February 30", http.MethodPost, "/v1/enrollments", map[string]any{"plan": w.plan.Slug, "start_date": "2026-02-30"}, "body.start_date"),
				bad("a start with a time", http.MethodPost, "/v1/enrollments", map[string]any{"plan": w.plan.Slug, "start_date": "2026-02-01T10:00:00Z"}, "body.start_date"),
				bad("a per_week that is not a number", http.MethodPost, "/v1/enrollments", map[string]any{"plan": w.plan.Slug, "pace": "n_per_week", "per_week": "three"}, "body.per_week"),
			})
		})

		t.Run("an archived plan takes no new readers", func(t *testing.T) {
			retreat := publishedPlan(t, s, w.author, w.admin, map[string]any{"title": "A Closed Retreat", "tradition": "zen"}, 2)
			early := s.Register(t, "early@example.org")
			kept := w.enroll(t, early, map[string]any{"plan": retreat.Slug}) // and the plan's index is read, and cached
			s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodPost, Path: "/v1/admin/plans/" + retreat.ID + "/archive", Token: w.admin.Access})
			runAll(t, s, []scenario{
				{name: "by slug", method: http.MethodPost, path: "/v1/enrollments", body: map[string]any{"plan": retreat.Slug}, as: reader, status: http.StatusConflict, want: []string{"archived"}},
				{name: "by id", method: http.MethodPost, path: "/v1/enrollments", body: map[string]any{"plan": retreat.ID}, as: reader, status: http.StatusConflict, want: []string{"archived"}},
				{name: "who enrolled before keeps the plan", method: http.MethodGet, path: "/v1/enrollments/" + kept.ID + "/today", as: early, status: http.StatusOK, want: []string{kept.ID}},
			})
		})

		t.Run("listing", func(t *testing.T) {
			runAll(t, s, []scenario{
				bad("an unknown status", http.MethodGet, "/v1/enrollments?status=finished", nil, "query.status[0]"),
				bad("a limit of 0", http.MethodGet, "/v1/enrollments?limit=0", nil, "query.limit"),
				bad("a limit of 101", http.MethodGet, "/v1/enrollments?limit=101", nil, "query.limit"),
				bad("a cursor the list did not give", http.MethodGet, "/v1/enrollments?cursor=garbage", nil, "query.cursor"),
			})
		})

		t.Run("changing an enrolment", func(t *testing.T) {
			runAll(t, s, []scenario{
				bad("an unknown pace", http.MethodPatch, enr, map[string]any{"pace": "hourly"}, "body.pace"),
				bad("every choice out of range at once", http.MethodPatch, enr, map[string]any{"pace": "n_per_week", "per_week": 8, "reminder_time": "99:99"}, "body.per_week", "body.reminder_time"),
				bad("per_week on a daily enrolment", http.MethodPatch, enr, map[string]any{"per_week": 3}, "body.per_week"),
				bad("a reminder of six characters", http.MethodPatch, enr, map[string]any{"reminder_time": "07:300"}, "body.reminder_time"),
				bad("paused that is not a boolean", http.MethodPatch, enr, map[string]any{"paused": "yes"}, "body.paused"),
			})
			if got := decode[enrollment](t, get(t, s, reader, http.StatusOK, enr)); got.Pace != "daily" || got.PerWeek != 0 || got.ReminderTime != "07:00" || got.Status != "active" { // 07:00: the default reminder
				t.Errorf("refused changes changed the enrolment: %+v", got)
			}
		})

		t.Run("a left or finished enrolment cannot be caught up or changed", func(t *testing.T) {
			leaver := s.Register(t, "leaver@example.org")
			left := w.enroll(t, leaver, nil)
			s.Expect(t, http.StatusNoContent, apptest.Request{Method: http.MethodDelete, Path: "/v1/enrollments/" + left.ID, Token: leaver.Access})
			again := w.enroll(t, leaver, nil)

			finisher := s.Register(t, "finisher@example.org")
			done := w.enroll(t, finisher, nil)
			for n := 1; n <= 3; n++ {
				w.finishDay(t, finisher, done.ID, n)
			}
			if got := decode[enrollment](t, get(t, s, finisher, http.StatusOK, "/v1/enrollments/"+done.ID)); got.Status != "completed" {
				t.Fatalf("every day finished: %+v", got)
			}
			conflict := func(name, method, path string, body any, as *apptest.Account, want ...string) scenario {
				return scenario{name: name, method: method, path: path, body: body, as: as, status: http.StatusConflict, want: want}
			}
			runAll(t, s, []scenario{
				conflict("catching up on a finished plan", http.MethodPost, "/v1/enrollments/"+done.ID+"/catch-up", nil, finisher, "completed"),
				conflict("pausing a finished plan", http.MethodPatch, "/v1/enrollments/"+done.ID, map[string]any{"paused": true}, finisher, "completed"),
				conflict("catching up on a left plan", http.MethodPost, "/v1/enrollments/"+left.ID+"/catch-up", nil, leaver, "abandoned"),
				conflict("changing the pace of a left plan", http.MethodPatch, "/v1/enrollments/"+left.ID, map[string]any{"pace": "weekdays"}, leaver, "abandoned"),
				conflict("marking an item of a left plan", http.MethodPut, "/v1/enrollments/"+left.ID+"/items/"+item+"/completion", nil, leaver, "left"),
				conflict("restarting a left plan while enrolled again", http.MethodPost, "/v1/enrollments/"+left.ID+"/restart", nil, leaver, again.ID),
			})
		})

		t.Run("days beyond the plan are not found", func(t *testing.T) {
			runAll(t, s, []scenario{
				notFound("day 0", http.MethodGet, enr+"/days/0", nil, "no day 0"),
				notFound("day 4 of 3", http.MethodGet, enr+"/days/4", nil, "no day 4"),
				notFound("day -1", http.MethodGet, enr+"/days/-1", nil),
				notFound("the journal of day 0", http.MethodGet, enr+"/days/0/journal", nil, "no day 0"),
				notFound("the journal of day 4 of 3", http.MethodGet, enr+"/days/4/journal", nil, "no day 4"),
				notFound("writing the journal of day 0", http.MethodPut, enr+"/days/0/journal", map[string]any{"body": "x"}, "no day 0"),
				notFound("writing the journal of day 4 of 3", http.MethodPut, enr+"/days/4/journal", map[string]any{"body": "x"}, "no day 4"),
			})
		})

		t.Run("completions", func(t *testing.T) {
			now := s.Clock.Now()
			long := strings.Repeat("k", 101)
			runAll(t, s, []scenario{
				notFound("an item of another plan", http.MethodPut, enr+"/items/"+otherItem+"/completion", nil, "no item"),
				notFound("undoing an item of another plan", http.MethodDelete, enr+"/items/"+otherItem+"/completion", nil, "no item"),
				notFound("a task of another plan", http.MethodPut, enr+"/tasks/"+otherTask+"/completion", nil, "no task"),
				notFound("a task id on the items route", http.MethodPut, enr+"/items/"+task+"/completion", nil, "no item"),
				notFound("a task id on the items route, undone", http.MethodDelete, enr+"/items/"+task+"/completion", nil, "no item"),
				notFound("an item id on the tasks route", http.MethodPut, enr+"/tasks/"+item+"/completion", nil, "no task"),
				notFound("a malformed item id", http.MethodPut, enr+"/items/"+malformedID+"/completion", nil),
				notFound("an unknown item id", http.MethodPut, enr+"/items/"+unknownID+"/completion", nil),
				bad("a time more than 24 hours ahead", http.MethodPut, enr+"/items/"+item+"/completion", map[string]any{"at": rfc3339(now.Add(25 * time.Hour))}, "body.at"),
				bad("undoing at a time more than 24 hours ahead", http.MethodDelete, enr+"/items/"+item+"/completion", map[string]any{"at": rfc3339(now.Add(25 * time.Hour))}, "body.at"),
				bad("a time long before the enrolment", http.MethodPut, enr+"/items/"+item+"/completion", map[string]any{"at": "2001-01-01T00:00:00Z"}, "body.at"),
				bad("a time that is not one", http.MethodPut, enr+"/items/"+item+"/completion", map[string]any{"at": "yesterday"}, "body.at"),
				bad("a time zone that is not one", http.MethodPut, enr+"/tasks/"+task+"/completion", map[string]any{"timezone": "Mars/Olympus_Mons"}, "body.timezone"),
				bad("the server's local zone", http.MethodPut, enr+"/tasks/"+task+"/completion", map[string]any{"timezone": "Local"}, "body.timezone"),
				bad("a time zone over 64 characters", http.MethodPut, enr+"/tasks/"+task+"/completion", map[string]any{"timezone": strings.Repeat("z", 65)}, "body.timezone"),
				{name: "an idempotency key over 100 characters", method: http.MethodPut, path: enr + "/items/" + item + "/completion", as: reader,
					header: http.Header{"Idempotency-Key": {long}}, status: http.StatusUnprocessableEntity, fields: []string{"header.Idempotency-Key"}},
			})
			if d := w.today(t, reader, e.ID); d.Day.Items[0].Done || d.Day.Tasks[0].Done {
				t.Errorf("refused completions marked something done: %+v", d.Day)
			}
		})

		t.Run("a fast device clock within 24 hours never dates practice in the future", func(t *testing.T) {
			c := w.mark(t, reader, http.StatusOK, http.MethodPut, e.ID, "items", item, map[string]any{"at": rfc3339(s.Clock.Now().Add(23 * time.Hour))})
			if c.DoneAt == nil {
				t.Fatalf("no done_at: %+v", c)
			}
			if at, err := time.Parse(time.RFC3339Nano, *c.DoneAt); err != nil || at.After(s.Clock.Now()) {
				t.Errorf("done_at %s is in the future (%v)", *c.DoneAt, err)
			}
			w.mark(t, reader, http.StatusOK, http.MethodDelete, e.ID, "items", item, nil)
		})

		t.Run("journal", func(t *testing.T) {
			j := enr + "/days/1/journal"
			runAll(t, s, []scenario{
				bad("a reflection over 20 KB", http.MethodPut, j, map[string]any{"body": strings.Repeat("a", 20<<10+1)}, "body.body"),
				bad("a reflection over 20 KB in many-byte letters", http.MethodPut, j, map[string]any{"body": strings.Repeat("ā", 10<<10+1)}, "body.body"),
				required("no body", http.MethodPut, j, map[string]any{}, "body"),
				bad("a time more than 24 hours ahead", http.MethodPut, j, map[string]any{"body": "x", "at": rfc3339(s.Clock.Now().Add(25 * time.Hour))}, "body.at"),
				bad("a time long before the enrolment", http.MethodPut, j, map[string]any{"body": "x", "at": "2001-01-01T00:00:00Z"}, "body.at"),
				{name: "exactly 20 KB is kept", method: http.MethodPut, path: j, body: map[string]any{"body": strings.Repeat("a", 20<<10)}, as: reader, status: http.StatusOK},
			})
			sc := bad("the limit is named", http.MethodPut, j, map[string]any{"body": strings.Repeat("a", 21<<10)}, "body.body")
			sc.want = []string{"20 KB"}
			sc.run(t, s)
		})

		t.Run("sessions", func(t *testing.T) {
			p := "/v1/practice-sessions"
			runAll(t, s, []scenario{
				bad("a duration of 0", http.MethodPost, p, map[string]any{"duration_seconds": 0}, "body.duration_seconds"),
				bad("a negative duration", http.MethodPost, p, map[string]any{"duration_seconds": -60}, "body.duration_seconds"),
				bad("a duration over a day", http.MethodPost, p, map[string]any{"duration_seconds": 86401}, "body.duration_seconds"),
				required("no duration", http.MethodPost, p, map[string]any{"kind": "walking"}, "duration_seconds"),
				bad("an unknown kind", http.MethodPost, p, map[string]any{"duration_seconds": 600, "kind": "sleeping"}, "body.kind"),
				bad("a time zone that is not one", http.MethodPost, p, map[string]any{"duration_seconds": 600, "timezone": "Mars/Olympus_Mons"}, "body.timezone"),
				bad("a start more than 24 hours ahead", http.MethodPost, p, map[string]any{"duration_seconds": 600, "started_at": rfc3339(s.Clock.Now().Add(25 * time.Hour))}, "body.started_at"),
				bad("a task without its enrolment", http.MethodPost, p, map[string]any{"duration_seconds": 600, "task_id": task}, "body.task_id"),
				bad("every problem at once", http.MethodPost, p, map[string]any{"duration_seconds": 0, "timezone": "Mars/Olympus_Mons",
					"started_at": rfc3339(s.Clock.Now().Add(48 * time.Hour)), "task_id": task},
					"body.duration_seconds", "body.timezone", "body.started_at", "body.task_id"),
				bad("a note over 8000 characters", http.MethodPost, p, map[string]any{"duration_seconds": 600, "note": strings.Repeat("n", 8001)}, "body.note"),
				notFound("a task of another plan", http.MethodPost, p, map[string]any{"duration_seconds": 600, "enrollment_id": e.ID, "task_id": otherTask}, "no task"),
				notFound("an unknown enrolment", http.MethodPost, p, map[string]any{"duration_seconds": 600, "enrollment_id": unknownID}, "enrollment not found"),
				notFound("a malformed enrolment id", http.MethodPost, p, map[string]any{"duration_seconds": 600, "enrollment_id": malformedID}, "enrollment not found"),
				{name: "a whole day is the longest", method: http.MethodPost, path: p, body: map[string]any{"duration_seconds": 86400}, as: reader, status: http.StatusCreated},
			})
		})

		t.Run("activity", func(t *testing.T) {
			a := "/v1/me/activity"
			runAll(t, s, []scenario{
				bad("from after to", http.MethodGet, a+"?from=2026-03-02&to=2026-03-01", nil, "query.from"),
				bad("more than 400 days", http.MethodGet, a+"?from=2025-01-01&to=2026-02-05", nil, "query.from"),
				bad("more than 400 days before today", http.MethodGet, a+"?from="+date(-400), nil, "query.from"),
				bad("a from that is not a date", http.MethodGet, a+"?from=last-week", nil, "query.from"),
				bad("a to that is not a date", http.MethodGet, a+"?to=2026-02-30", nil, "query.to"),
				{name: "400 days is the most", method: http.MethodGet, path: a + "?from=2025-01-01&to=2026-02-04", as: reader, status: http.StatusOK, want: []string{`"from":"2025-01-01"`}},
				{name: "one day", method: http.MethodGet, path: a + "?from=2026-03-01&to=2026-03-01", as: reader, status: http.StatusOK},
				{name: "the first days of the calendar", method: http.MethodGet, path: a + "?from=0001-01-01&to=0001-12-31", as: reader, status: http.StatusOK},
				{name: "the last days of the calendar", method: http.MethodGet, path: a + "?from=9999-01-01&to=9999-12-31", as: reader, status: http.StatusOK},
			})
			sc := bad("the limit is named", http.MethodGet, a+"?from=2020-01-01&to=2026-01-01", nil, "query.from")
			sc.want = []string{"400 days"}
			sc.run(t, s)
		})

		t.Run("settings", func(t *testing.T) {
			runAll(t, s, []scenario{
				bad("four grace days", http.MethodPatch, "/v1/me/practice", map[string]any{"grace_days_per_week": 4}, "body.grace_days_per_week"),
				bad("negative grace days", http.MethodPatch, "/v1/me/practice", map[string]any{"grace_days_per_week": -1}, "body.grace_days_per_week"),
				bad("show_streaks that is not a boolean", http.MethodPatch, "/v1/me/practice", map[string]any{"show_streaks": "yes"}, "body.show_streaks"),
				{name: "three grace days are the most", method: http.MethodPatch, path: "/v1/me/practice", body: map[string]any{"grace_days_per_week": 3}, as: reader, status: http.StatusOK, want: []string{`"grace_days_per_week":3`}},
			})
		})

		t.Run("text with a NUL character never makes the server fail", func(t *testing.T) {
			const nul = "before\x00after"
			// No plan is called that.
			bad("a NUL in a plan reference", http.MethodPost, "/v1/enrollments", map[string]any{"plan": nul}, "body.plan").run(t, s)
			// Kept or refused, but a refusal names the field.
			for _, sc := range []scenario{
				bad("a NUL in a journal", http.MethodPut, enr+"/days/2/journal", map[string]any{"body": nul}, "body.body"),
				bad("a NUL in a session note", http.MethodPost, "/v1/practice-sessions", map[string]any{"duration_seconds": 60, "note": nul}, "body.note"),
			} {
				t.Run(sc.name, func(t *testing.T) {
					res := s.Do(t, apptest.Request{Method: sc.method, Path: sc.path, Body: sc.body, Token: reader.Access})
					if res.Status >= 300 {
						sc.run(t, s)
					}
				})
			}
			results := syncOf(t, s, reader,
				map[string]any{"client_id": "nul\x00id", "type": "log_session", "at": rfc3339(s.Clock.Now().Add(-time.Hour)), "session": map[string]any{"duration_seconds": 60}},
				map[string]any{"client_id": "nul-note", "type": "log_session", "at": rfc3339(s.Clock.Now().Add(-time.Hour)), "session": map[string]any{"duration_seconds": 60, "note": nul}},
				map[string]any{"client_id": "nul-journal", "type": "save_journal", "at": rfc3339(s.Clock.Now()), "enrollment_id": e.ID, "day": 3, "body": nul},
				map[string]any{"client_id": "nul-target", "type": "complete_item", "at": rfc3339(s.Clock.Now()), "enrollment_id": e.ID, "target_id": nul},
				map[string]any{"client_id": "nul-zone", "type": "complete_item", "at": rfc3339(s.Clock.Now()), "timezone": nul, "enrollment_id": e.ID, "target_id": item},
			)
			wantSync(t, results, "nul-target", "rejected", "no item")
			wantSync(t, results, "nul-zone", "rejected", "timezone")
			for id, field := range map[string]string{"nul\x00id": "client_id", "nul-note": "note", "nul-journal": "body"} {
				if r := results[id]; r.Result == "rejected" && !strings.Contains(r.Detail, field) {
					t.Errorf("event %q rejected without naming %s: %+v", id, field, r)
				}
			}
		})
	})
}

func TestPracticeSyncLimits(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		w := newPracticeWorld(t, engine, 3)
		s, reader := w.s, w.reader
		failOnServerErrors(t, s)
		stranger := s.Register(t, "stranger@example.org")
		e := w.enroll(t, reader, nil)
		theirs := w.enroll(t, stranger, nil)
		day := w.today(t, reader, e.ID)
		item, task := day.Day.Items[0].ID, day.Day.Tasks[0].ID
		d2 := decode[enrolledDay](t, get(t, s, reader, http.StatusOK, "/v1/enrollments/"+e.ID+"/days/2"))
		item2 := d2.Day.Items[0].ID
		now := s.Clock.Now().Add(-time.Hour)
		at := func(minutes int) string { return rfc3339(now.Add(time.Duration(minutes) * time.Minute)) }
		batch := func(n int, prefix string) []map[string]any {
			events := make([]map[string]any, n)
			for i := range events {
				events[i] = map[string]any{"client_id": fmt.Sprintf("%s-%04d", prefix, i), "type": "nothing_at_all", "at": at(0)}
			}
			return events
		}

		t.Run("a batch of 501 events is too large and names the limit", func(t *testing.T) {
			scenario{name: "501", method: http.MethodPost, path: "/v1/sync", body: map[string]any{"events": batch(501, "big")}, as: reader,
				status: http.StatusRequestEntityTooLarge, want: []string{"500"}}.run(t, s)
		})

		t.Run("a batch of 500 events is answered event by event", func(t *testing.T) {
			results := syncOf(t, s, reader, batch(500, "edge")...)
			wantSync(t, results, "edge-0499", "rejected", "type")
		})

		t.Run("a body over 1 MB is too large", func(t *testing.T) {
			events := []map[string]any{}
			for i := 0; i < 60; i++ {
				events = append(events, map[string]any{"client_id": fmt.Sprintf("fat-%d", i), "type": "save_journal", "at": at(0),
					"enrollment_id": e.ID, "day": 1, "body": strings.Repeat("a", 20<<10)})
			}
			body, err := json.Marshal(map[string]any{"events": events})
			if err != nil {
				t.Fatal(err)
			}
			if len(body) <= 1<<20 {
				t.Fatalf("the body is only %d bytes", len(body))
			}
			t.Run("with its length said", func(t *testing.T) {
				scenario{name: "fat", method: http.MethodPost, path: "/v1/sync", body: string(body), as: reader, status: http.StatusRequestEntityTooLarge, want: []string{"1048576"}}.run(t, s)
			})
			t.Run("streamed without a length", func(t *testing.T) {
				req, err := http.NewRequest(http.MethodPost, s.URL+"/v1/sync", io.MultiReader(strings.NewReader(string(body))))
				if err != nil {
					t.Fatal(err)
				}
				req.ContentLength = -1
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+reader.Access)
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer res.Body.Close()
				data, _ := io.ReadAll(res.Body)
				apptest.Problem(t, &apptest.Response{Status: res.StatusCode, Header: res.Header, Body: data}, http.StatusRequestEntityTooLarge, "1048576")
			})
			if j := decode[map[string]any](t, get(t, s, reader, http.StatusOK, "/v1/enrollments/"+e.ID+"/days/1/journal")); j["body"] != "" {
				t.Errorf("a refused batch wrote the journal: %.80v", j["body"])
			}
		})

		t.Run("a batch must have its events", func(t *testing.T) {
			runAll(t, s, []scenario{
				{name: "no events", method: http.MethodPost, path: "/v1/sync", body: map[string]any{}, as: reader, status: http.StatusUnprocessableEntity,
					fields: []string{"body"}, want: []string{"required property events"}},
				{name: "events that are not a list", method: http.MethodPost, path: "/v1/sync", body: map[string]any{"events": "all of them"}, as: reader, status: http.StatusUnprocessableEntity, fields: []string{"body.events"}},
				{name: "an empty batch", method: http.MethodPost, path: "/v1/sync", body: map[string]any{"events": []any{}}, as: reader, status: http.StatusOK, want: []string{`"results":[]`}},
			})
		})

		t.Run("an event reusing a client id with different content is rejected; the rest apply", func(t *testing.T) {
			first := map[string]any{"client_id": "reuse-1", "type": "complete_item", "at": at(1), "enrollment_id": e.ID, "target_id": item}
			wantSync(t, syncOf(t, s, reader, first), "reuse-1", "applied")

			reused := map[string]any{"client_id": "reuse-1", "type": "complete_task", "at": at(2), "enrollment_id": e.ID, "target_id": task}
			results := syncOf(t, s, reader,
				map[string]any{"client_id": "reuse-2", "type": "log_session", "at": at(3), "session": map[string]any{"duration_seconds": 600}},
				reused,
				map[string]any{"client_id": "reuse-3", "type": "save_journal", "at": at(4), "enrollment_id": e.ID, "day": 1, "body": "Kindness first."},
			)
			wantSync(t, results, "reuse-1", "rejected", "reuse-1")
			if r := results["reuse-1"]; r.Type != "https://dharmaplans.org/problems/conflict" {
				t.Errorf("a reused client id: type %q, want conflict", r.Type)
			}
			wantSync(t, results, "reuse-2", "applied")
			wantSync(t, results, "reuse-3", "applied")
			wantSync(t, syncOf(t, s, reader, first), "reuse-1", "duplicate")

			d := w.today(t, reader, e.ID)
			if !d.Day.Items[0].Done || d.Day.Tasks[0].Done || !d.HasJournal {
				t.Errorf("the reused id marked the task, or the rest did not apply: %+v", d)
			}
		})

		t.Run("within one batch, the later of two events sharing a client id is rejected", func(t *testing.T) {
			res := s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodPost, Path: "/v1/sync", Token: reader.Access, Body: map[string]any{"events": []any{
				map[string]any{"client_id": "twin", "type": "undo_item", "at": at(12), "enrollment_id": e.ID, "target_id": item2},
				map[string]any{"client_id": "other", "type": "log_session", "at": at(11), "session": map[string]any{"duration_seconds": 300}},
				map[string]any{"client_id": "twin", "type": "complete_item", "at": at(10), "enrollment_id": e.ID, "target_id": item2},
			}}})
			// One result per event, in the order sent; the earlier event (by
			// its time) is the one that applies.
			got := decode[struct{ Results []syncResult }](t, res).Results
			if len(got) != 3 || got[0].Result != "rejected" || got[0].Type != "https://dharmaplans.org/problems/conflict" ||
				got[1].Result != "applied" || got[2].Result != "applied" {
				t.Errorf("two events with one client id and another: %+v", got)
			}
			d := decode[enrolledDay](t, get(t, s, reader, http.StatusOK, "/v1/enrollments/"+e.ID+"/days/2"))
			if !d.Day.Items[0].Done {
				t.Errorf("the earlier event of the two did not apply, or the later did: %+v", d.Day.Items[0])
			}
		})

		t.Run("bad events are rejected without failing the batch", func(t *testing.T) {
			results := syncOf(t, s, reader,
				map[string]any{"client_id": "bad-type", "type": "levitate", "at": at(30)},
				map[string]any{"client_id": "bad-foreign", "type": "complete_item", "at": at(30), "enrollment_id": theirs.ID, "target_id": item},
				map[string]any{"client_id": "bad-unknown-enrolment", "type": "undo_task", "at": at(30), "enrollment_id": unknownID, "target_id": task},
				map[string]any{"client_id": "bad-target", "type": "complete_task", "at": at(30), "enrollment_id": e.ID, "target_id": item},
				map[string]any{"client_id": "bad-future", "type": "complete_task", "at": rfc3339(s.Clock.Now().Add(25 * time.Hour)), "enrollment_id": e.ID, "target_id": task},
				map[string]any{"client_id": "bad-zone", "type": "complete_task", "at": at(30), "timezone": "Mars/Olympus_Mons", "enrollment_id": e.ID, "target_id": task},
				map[string]any{"client_id": "bad-day", "type": "save_journal", "at": at(30), "enrollment_id": e.ID, "day": 4, "body": "x"},
				map[string]any{"client_id": "bad-journal", "type": "save_journal", "at": at(30), "enrollment_id": e.ID, "day": 2, "body": strings.Repeat("j", 20<<10+1)},
				map[string]any{"client_id": "bad-session", "type": "log_session", "at": at(30)},
				map[string]any{"client_id": "bad-duration", "type": "log_session", "at": at(30), "session": map[string]any{"duration_seconds": 86401}},
				map[string]any{"client_id": strings.Repeat("c", 101), "type": "log_session", "at": at(30), "session": map[string]any{"duration_seconds": 60}},
				map[string]any{"client_id": "", "type": "log_session", "at": at(30), "session": map[string]any{"duration_seconds": 60}},
				map[string]any{"client_id": "good", "type": "complete_task", "at": at(31), "enrollment_id": e.ID, "target_id": task},
			)
			wantSync(t, results, "bad-type", "rejected", "type")
			wantSync(t, results, "bad-foreign", "rejected", "enrollment not found")
			wantSync(t, results, "bad-unknown-enrolment", "rejected", "enrollment not found")
			wantSync(t, results, "bad-target", "rejected", "no task")
			wantSync(t, results, "bad-future", "rejected", "24 hours")
			wantSync(t, results, "bad-zone", "rejected", "timezone")
			wantSync(t, results, "bad-day", "rejected", "no day 4")
			wantSync(t, results, "bad-journal", "rejected", "20 KB")
			wantSync(t, results, "bad-session", "rejected", "session")
			wantSync(t, results, "bad-duration", "rejected", "duration_seconds")
			wantSync(t, results, strings.Repeat("c", 101), "rejected", "client_id")
			wantSync(t, results, "", "rejected", "client_id")
			wantSync(t, results, "good", "applied")
			for id, r := range results {
				if r.Result == "rejected" && id != "bad-foreign" && id != "bad-unknown-enrolment" && id != "bad-target" && id != "bad-day" &&
					r.Type != "https://dharmaplans.org/problems/invalid" {
					t.Errorf("event %q: type %q, want invalid", id, r.Type)
				}
			}
			if d := w.today(t, reader, e.ID); !d.Day.Tasks[0].Done {
				t.Errorf("the good event did not apply beside the bad: %+v", d.Day.Tasks[0])
			}
			if d := w.today(t, stranger, theirs.ID); d.Day.Items[0].Done {
				t.Errorf("an event marked another reader's item: %+v", d.Day.Items[0])
			}
		})
	})
}

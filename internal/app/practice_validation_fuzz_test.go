package app_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/app/apptest"
)

// Random bodies, from a fixed seed, posted where clients send the most:
// whatever they hold, the server answers with a problem or a result, and
// never fails.

// bodyFuzzer makes random JSON bodies, seeded, mixing noise with the
// shapes and values the practice API knows, so that most reach past the
// schema into the service.
type bodyFuzzer struct {
	r       *rand.Rand
	now     time.Time
	noisy   bool     // this body takes any value for any key
	mine    string   // the sender's enrolment
	items   []string // of its plan
	tasks   []string // of its plan
	plans   []string // plan ids and slugs
	ids     []string // anything else worth naming: others' enrolments, unknown and malformed ids
	strings []string
}

func (f *bodyFuzzer) pick(list []string) string { return list[f.r.IntN(len(list))] }

// id is one of the ids the fuzzer knows.
func (f *bodyFuzzer) id() string {
	return f.pick(slices.Concat([]string{f.mine}, f.items, f.tasks, f.plans, f.ids))
}

// str is a string from the pool, an id, a time or random runes.
func (f *bodyFuzzer) str() string {
	switch f.r.IntN(5) {
	case 0:
		return f.id()
	case 1:
		return f.at()
	case 2:
		b := make([]rune, f.r.IntN(40))
		for i := range b {
			b[i] = rune(f.r.IntN(0x2FFF))
		}
		return string(b)
	default:
		return f.pick(f.strings)
	}
}

// at is a time as a client might send it, valid or not.
func (f *bodyFuzzer) at() string {
	n := 10
	if !f.noisy {
		n = 20 // mostly well-formed and in range
	}
	switch f.r.IntN(n) {
	case 0:
		return "0001-01-01T00:00:00Z"
	case 1:
		return "9999-12-31T23:59:59Z"
	case 2:
		return "0000-01-01T00:00:00Z"
	case 3:
		return f.now.Format("2006-01-02 15:04")
	case 4:
		return f.now.Add(time.Duration(f.r.IntN(60)-10) * time.Hour).Format(time.RFC3339)
	case 5:
		return f.now.Add(-time.Duration(f.r.IntN(30*24)) * time.Hour).Format(time.RFC3339)
	default: // since the enrolments began, in any offset
		return f.now.Add(-time.Duration(f.r.IntN(20*60)) * time.Minute).In(time.FixedZone("", (f.r.IntN(53)-24)*1800)).Format(time.RFC3339Nano)
	}
}

// number is an integer, large or small, or a float.
func (f *bodyFuzzer) number() any {
	switch f.r.IntN(8) {
	case 0:
		return f.r.Int64() - f.r.Int64()
	case 1:
		return f.r.NormFloat64() * 1e6
	case 2:
		return json.Number("1e400")
	case 3:
		return 86400 + f.r.IntN(3) - 1
	case 4:
		return f.r.IntN(4000)
	default:
		return f.r.IntN(10) - 2
	}
}

// value is any JSON value.
func (f *bodyFuzzer) value(depth int) any {
	n := 7
	if depth > 2 {
		n = 5
	}
	switch f.r.IntN(n) {
	case 0:
		return nil
	case 1:
		return f.r.IntN(2) == 0
	case 2:
		return f.number()
	case 3, 4:
		return f.str()
	case 5:
		list := make([]any, f.r.IntN(4))
		for i := range list {
			list[i] = f.value(depth + 1)
		}
		return list
	default:
		m := map[string]any{}
		for range f.r.IntN(4) {
			m[f.str()] = f.value(depth + 1)
		}
		return m
	}
}

// object is an object with some of keys, each with a value of the kind
// the key wants; in a noisy body, sometimes anything, and a key more. The
// required keys are left out of noisy bodies only.
func (f *bodyFuzzer) object(keys map[string]func() any, required ...string) map[string]any {
	m := map[string]any{}
	for _, k := range slices.Sorted(maps.Keys(keys)) { // in order, so that a seed makes the same bodies
		switch {
		case (f.noisy || !slices.Contains(required, k)) && f.r.IntN(5) == 0: // left out
		case f.noisy && f.r.IntN(4) == 0:
			m[k] = f.value(1)
		default:
			m[k] = keys[k]()
		}
	}
	if f.noisy && f.r.IntN(3) == 0 {
		m[f.str()] = f.value(1)
	}
	return m
}

// enrollment is a body for POST /v1/enrollments.
func (f *bodyFuzzer) enrollment() any {
	f.noisy = f.r.IntN(3) == 0
	pace := f.pick([]string{"daily", "weekdays", "n_per_week", "self_paced", "hourly", ""})
	return f.object(map[string]func() any{
		"plan": func() any {
			if f.r.IntN(3) > 0 {
				return f.pick(f.plans)
			}
			return f.str()
		},
		"pace": func() any { return pace },
		"per_week": func() any {
			if pace != "n_per_week" && f.r.IntN(4) > 0 {
				return 0
			}
			return f.r.IntN(10) - 1
		},
		"reminder_time": func() any { return f.pick([]string{"07:30", "24:00", "7:3", "", "23:59", "00:00", "\x00"}) },
		"start_date":    func() any { return f.now.AddDate(0, 0, f.r.IntN(900)-450).Format(time.DateOnly) },
	}, "plan")
}

// event is one offline event.
func (f *bodyFuzzer) event() any {
	typ := f.pick([]string{"complete_item", "undo_item", "complete_task", "undo_task", "save_journal", "log_session", "teleport"})
	return f.object(map[string]func() any{
		"client_id": func() any {
			if f.r.IntN(3) > 0 {
				return fmt.Sprintf("ev-%d", f.r.Int64()) // fresh
			}
			return f.pick([]string{"c1", "c2", "c3", "", f.str()}) // reused, or bad
		},
		"type": func() any { return typ },
		"at":   func() any { return f.at() },
		"timezone": func() any {
			return f.pick([]string{"Asia/Colombo", "America/Los_Angeles", "Pacific/Kiritimati", "Mars/Olympus_Mons", "", "Local"})
		},
		"enrollment_id": func() any {
			if f.r.IntN(3) > 0 {
				return f.mine
			}
			return f.id()
		},
		"target_id": func() any {
			if f.r.IntN(3) > 0 {
				if strings.HasSuffix(typ, "_task") {
					return f.pick(f.tasks)
				}
				return f.pick(f.items)
			}
			return f.id()
		},
		"day":  func() any { return f.r.IntN(5) - 1 },
		"body": func() any { return f.str() },
		"session": func() any {
			return f.object(map[string]func() any{
				"kind":             func() any { return f.pick([]string{"meditation", "chanting", "walking", "other", "napping", ""}) },
				"duration_seconds": f.number,
				"task_id":          func() any { return f.pick(f.tasks) },
				"note":             func() any { return f.str() },
			}, "duration_seconds")
		},
	}, "client_id", "type", "at")
}

// sync is a body for POST /v1/sync.
func (f *bodyFuzzer) sync() any {
	f.noisy = f.r.IntN(3) == 0
	if f.noisy && f.r.IntN(4) == 0 {
		return f.value(0)
	}
	events := make([]any, f.r.IntN(6))
	for i := range events {
		if f.noisy && f.r.IntN(6) == 0 {
			events[i] = f.value(1)
		} else {
			events[i] = f.event()
		}
	}
	return map[string]any{"events": events}
}

// encode marshals v, now and then damaging the JSON.
func (f *bodyFuzzer) encode(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		b = []byte(fmt.Sprint(v))
	}
	switch f.r.IntN(20) {
	case 0:
		return string(b[:f.r.IntN(len(b)+1)])
	case 1:
		i := f.r.IntN(len(b) + 1)
		return string(b[:i]) + string([]byte{byte(f.r.IntN(256))}) + string(b[i:])
	case 2:
		return strings.Replace(string(b), `"`, `"\ud800`, 1)
	}
	return string(b)
}

func TestPracticeRandomBodiesNeverFail(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		w := newPracticeWorld(t, engine, 2)
		s, reader := w.s, w.reader
		failOnServerErrors(t, s)
		stranger := s.Register(t, "stranger@example.org")
		joiner := s.Register(t, "joiner@example.org") // enrols and leaves, again and again
		e := w.enroll(t, reader, nil)
		theirs := w.enroll(t, stranger, nil)
		var items, tasks []string
		for n := 1; n <= 2; n++ {
			d := decode[enrolledDay](t, get(t, s, reader, http.StatusOK, fmt.Sprintf("/v1/enrollments/%s/days/%d", e.ID, n)))
			for _, it := range d.Day.Items {
				items = append(items, it.ID)
			}
			for _, task := range d.Day.Tasks {
				tasks = append(tasks, task.ID)
			}
		}

		const seed = 20260301
		f := &bodyFuzzer{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), now: s.Clock.Now(),
			mine: e.ID, items: items, tasks: tasks, plans: []string{w.plan.ID, w.plan.Slug}, ids: []string{theirs.ID, unknownID, malformedID, ""},
			strings: []string{
				"", " ", "\x00", "a\x00b", "null", "true", "0", "-1", "1e309", "daily", "n_per_week", "self_paced",
				"complete_item", "log_session", "meditation", "Asia/Colombo", "UTC", "Local", "Mars/Olympus_Mons",
				"../../etc/passwd", "' OR '1'='1", "07:30", "24:00", "2026-02-30", "0000-01-01", "9999-12-31",
				"ñandú 🙏 ध्यान", "\u202e\u200b", "<script>alert(1)</script>", strings.Repeat("x", 101), strings.Repeat("ā", 3000),
			}}
		statuses := map[string]map[int]int{}
		outcomes := map[string]int{}
		for i := range 800 {
			path, body, as := "/v1/sync", "", reader
			if i%2 == 1 {
				path, body, as = "/v1/enrollments", f.encode(f.enrollment()), joiner
			} else {
				body = f.encode(f.sync())
			}
			res := s.Do(t, apptest.Request{Method: http.MethodPost, Path: path, Token: as.Access, Body: body})
			if statuses[path] == nil {
				statuses[path] = map[int]int{}
			}
			statuses[path][res.Status]++
			switch {
			case res.Status >= 500:
				t.Errorf("seed %d, body %d: POST %s answered %d\nbody: %.600s\nanswer: %.600s", seed, i, path, res.Status, body, res.Body)
			case res.Status >= 400 && !strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json"):
				t.Errorf("seed %d, body %d: POST %s answered %d without a problem document: %.300s", seed, i, path, res.Status, res.Body)
			case res.Status == http.StatusCreated: // enrolled: leave, so that the next body may enrol again
				s.Expect(t, http.StatusNoContent, apptest.Request{Method: http.MethodDelete, Path: "/v1/enrollments/" + res.String(t, "id"), Token: joiner.Access})
			case res.Status == http.StatusOK:
				for _, r := range decode[struct{ Results []syncResult }](t, res).Results {
					outcomes[r.Result]++
				}
			}
		}
		for _, path := range []string{"/v1/sync", "/v1/enrollments"} {
			var parts []string
			for _, c := range slices.Sorted(maps.Keys(statuses[path])) {
				parts = append(parts, fmt.Sprintf("%d: %d", c, statuses[path][c]))
			}
			t.Logf("POST %s answered %s", path, strings.Join(parts, ", "))
		}
		t.Logf("sync events: %v", outcomes)
		// The reader's own enrolment still answers after all that.
		w.today(t, reader, e.ID)
	})
}

package app_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/app/apptest"
)

// practiceState is what a person's practice looks like from outside,
// without ids that differ between people: to compare two histories.
type practiceState struct {
	Completions []string
	Days        []string
	Journal     []string
	Sessions    []string
	Stats       string
}

func stateOf(t *testing.T, w *practiceWorld, a *apptest.Account) practiceState {
	t.Helper()
	var export struct {
		Data struct {
			Practice struct {
				Completions []struct {
					Kind      string    `json:"kind"`
					TargetID  string    `json:"target_id"`
					Zone      string    `json:"timezone"`
					Day       int       `json:"day"`
					At        time.Time `json:"at"`
					LocalDate string    `json:"local_date"`
				} `json:"completions"`
				Days []struct {
					Day       int       `json:"day"`
					At        time.Time `json:"at"`
					LocalDate string    `json:"local_date"`
				} `json:"finished_days"`
				Journal []struct {
					Day       int       `json:"day"`
					Body      string    `json:"body"`
					UpdatedAt time.Time `json:"updated_at"`
				} `json:"journal"`
				Sessions []struct {
					Kind      string    `json:"kind"`
					StartedAt time.Time `json:"started_at"`
					Seconds   int       `json:"duration_seconds"`
					LocalDate string    `json:"local_date"`
				} `json:"sessions"`
			} `json:"practice"`
		} `json:"data"`
	}
	res := get(t, w.s, a, http.StatusOK, "/v1/me/export")
	if err := json.Unmarshal(res.Body, &export); err != nil {
		t.Fatalf("export: %v\n%.1000s", err, res.Body)
	}
	var st practiceState
	p := export.Data.Practice
	for _, c := range p.Completions {
		st.Completions = append(st.Completions, fmt.Sprintf("%s %s day %d at %s on %s in %s", c.Kind, c.TargetID, c.Day, c.At.UTC().Format(time.RFC3339Nano), c.LocalDate, c.Zone))
	}
	for _, d := range p.Days {
		st.Days = append(st.Days, fmt.Sprintf("day %d at %s on %s", d.Day, d.At.UTC().Format(time.RFC3339Nano), d.LocalDate))
	}
	for _, j := range p.Journal {
		st.Journal = append(st.Journal, fmt.Sprintf("day %d: %q at %s", j.Day, j.Body, j.UpdatedAt.UTC().Format(time.RFC3339Nano)))
	}
	for _, s := range p.Sessions {
		st.Sessions = append(st.Sessions, fmt.Sprintf("%s %ds at %s on %s", s.Kind, s.Seconds, s.StartedAt.UTC().Format(time.RFC3339Nano), s.LocalDate))
	}
	for _, l := range [][]string{st.Completions, st.Days, st.Journal, st.Sessions} {
		slices.Sort(l)
	}
	s := w.stats(t, a)
	st.Stats = fmt.Sprintf("streak %+v, days %d, minutes %d, completed %d", *s.Streak, s.DaysPractised, s.MinutesMeditated, s.PlansCompleted)
	return st
}

func sync_(t *testing.T, w *practiceWorld, a *apptest.Account, events []map[string]any) []syncResult {
	t.Helper()
	res := w.s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodPost, Path: "/v1/sync", Token: a.Access, Body: map[string]any{"events": events}})
	var out struct {
		Results []syncResult `json:"results"`
	}
	if err := json.Unmarshal(res.Body, &out); err != nil {
		t.Fatal(err)
	}
	return out.Results
}

func TestPracticeSyncIsExactlyOnceInAnyOrder(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		w := newPracticeWorld(t, engine, 3)
		once, twice, shuffled := w.reader, w.s.Register(t, "twice@example.org"), w.s.Register(t, "shuffled@example.org")
		for _, a := range []*apptest.Account{twice, shuffled} {
			w.setZone(t, a, "Asia/Colombo")
		}
		enrolments := map[*apptest.Account]string{}
		for _, a := range []*apptest.Account{once, twice, shuffled} {
			enrolments[a] = w.enroll(t, a, map[string]any{"pace": "self_paced"}).ID
		}
		w.advance(t, 5*24*time.Hour, once, twice, shuffled)
		var targets [][2]string // kind, id: day 1's item, two tasks, then days 2 and 3
		for n := 1; n <= 3; n++ {
			d := decode[enrolledDay](t, get(t, w.s, once, http.StatusOK, fmt.Sprintf("/v1/enrollments/%s/days/%d", enrolments[once], n)))
			for _, it := range d.Day.Items {
				targets = append(targets, [2]string{"item", it.ID})
			}
			for _, task := range d.Day.Tasks {
				targets = append(targets, [2]string{"task", task.ID})
			}
		}
		// A device offline for four days: it completes everything, undoes
		// and redoes a few things, writes and rewrites reflections, sits.
		base := time.Now() // when they enrolled: the server's clock is five days on
		rng := rand.New(rand.NewPCG(1, 2))
		type step struct {
			typ, target string
			day         int
			body        string
		}
		var steps []step
		for _, tg := range targets {
			steps = append(steps, step{typ: "complete_" + tg[0], target: tg[1]})
		}
		for i := 0; i < 12; i++ {
			tg := targets[rng.IntN(len(targets))]
			kind := []string{"undo_", "complete_"}[rng.IntN(2)]
			steps = append(steps, step{typ: kind + tg[0], target: tg[1]})
		}
		steps = append(steps, step{typ: "save_journal", day: 1, body: "first thoughts"}, step{typ: "save_journal", day: 1, body: "**second** thoughts"},
			step{typ: "log_session"}, step{typ: "save_journal", day: 2, body: "on day two"})
		batchFor := func(a *apptest.Account) []map[string]any {
			var out []map[string]any
			for i, st := range steps {
				ev := map[string]any{"client_id": fmt.Sprintf("dev-%d", i), "type": st.typ, "enrollment_id": enrolments[a],
					"at": base.Add(time.Duration(i) * 97 * time.Minute).UTC().Format(time.RFC3339Nano), "timezone": "Asia/Colombo"}
				switch st.typ {
				case "save_journal":
					ev["day"], ev["body"] = st.day, st.body
				case "log_session":
					ev["session"] = map[string]any{"kind": "meditation", "duration_seconds": 1200}
				default:
					ev["target_id"] = st.target
				}
				out = append(out, ev)
			}
			return out
		}

		for _, r := range sync_(t, w, once, batchFor(once)) {
			if r.Result != "applied" {
				t.Fatalf("a fresh batch applies: %+v", r)
			}
		}
		want := stateOf(t, w, once)
		if len(want.Days) == 0 || len(want.Journal) != 2 || len(want.Sessions) != 1 {
			t.Fatalf("the batch left too little to compare: %+v", want)
		}

		t.Run("a batch sent twice counts once", func(t *testing.T) {
			sync_(t, w, twice, batchFor(twice))
			for _, r := range sync_(t, w, twice, batchFor(twice)) {
				if r.Result != "duplicate" {
					t.Fatalf("the second time every event is a duplicate: %+v", r)
				}
			}
			if got := stateOf(t, w, twice); !equalState(got, want) {
				t.Fatalf("twice:\n%+v\nonce:\n%+v", got, want)
			}
		})

		t.Run("events arriving out of order give the same state", func(t *testing.T) {
			batch := batchFor(shuffled)
			rng.Shuffle(len(batch), func(i, j int) { batch[i], batch[j] = batch[j], batch[i] })
			// In three batches, the last first.
			third := len(batch) / 3
			sync_(t, w, shuffled, batch[2*third:])
			sync_(t, w, shuffled, batch[:third])
			sync_(t, w, shuffled, batch[third:2*third])
			if got := stateOf(t, w, shuffled); !equalState(got, want) {
				t.Fatalf("shuffled:\n%+v\nin order:\n%+v", got, want)
			}
		})

		t.Run("a reused client id with other content is rejected, the rest applied", func(t *testing.T) {
			ev := batchFor(once)[0]
			ev["type"] = "undo_" + targets[0][0]
			fresh := map[string]any{"client_id": "dev-new", "type": "log_session", "at": time.Now().UTC().Format(time.RFC3339),
				"session": map[string]any{"duration_seconds": 300}}
			res := sync_(t, w, once, []map[string]any{ev, fresh})
			if res[0].Result != "rejected" || res[0].Type == "" || res[1].Result != "applied" {
				t.Fatalf("results: %+v", res)
			}
		})
	})
}

func equalState(a, b practiceState) bool {
	return slices.Equal(a.Completions, b.Completions) && slices.Equal(a.Days, b.Days) && slices.Equal(a.Journal, b.Journal) &&
		slices.Equal(a.Sessions, b.Sessions) && a.Stats == b.Stats
}

func TestPracticeConcurrentCompletionsMakeOneRow(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		w := newPracticeWorld(t, engine, 2)
		e := w.enroll(t, w.reader, nil)
		item := w.today(t, w.reader, e.ID).Day.Items[0].ID
		// Two devices, each sending its completion several times at once.
		var wg sync.WaitGroup
		for device := 0; device < 2; device++ {
			for try := 0; try < 4; try++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					res := w.s.Do(t, apptest.Request{Method: http.MethodPut, Path: "/v1/enrollments/" + e.ID + "/items/" + item + "/completion",
						Token: w.reader.Access, Header: http.Header{"Idempotency-Key": {fmt.Sprintf("device-%d", device)}}})
					if res.Status != http.StatusOK {
						t.Errorf("device %d: %d %s", device, res.Status, res.Body)
					}
				}()
			}
		}
		wg.Wait()
		st := stateOf(t, w, w.reader)
		if len(st.Completions) != 1 {
			t.Fatalf("one item done from two devices at once is one completion, got %d: %v", len(st.Completions), st.Completions)
		}
		if d := w.today(t, w.reader, e.ID); !d.Day.Items[0].Done {
			t.Fatal("the item shows done")
		}
	})
}

package app_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/app/apptest"
	"github.com/dharmaplans/dharmaplans/internal/identity"
	"github.com/dharmaplans/dharmaplans/internal/practice"
)

// TestPracticeStreakRebuildAgrees applies a random sequence of 1,000
// operations (completions and undos with device times out of order and in
// several time zones, sessions, offline batches, grace changes, days
// passing) and checks after each hundred that recounting the streak from
// history agrees with the values kept incrementally on every write.
func TestPracticeStreakRebuildAgrees(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, engine string) {
		w := newPracticeWorld(t, engine, 7)
		pr := w.s.Main.Practice()
		me := &identity.Principal{UserID: w.reader.ID, Role: identity.RoleUser}
		ctx := t.Context()
		e := w.enroll(t, w.reader, map[string]any{"pace": "self_paced"})

		var targets []practice.SyncEvent // one per item and task, as templates
		for n := 1; n <= 7; n++ {
			d := decode[enrolledDay](t, get(t, w.s, w.reader, http.StatusOK, fmt.Sprintf("/v1/enrollments/%s/days/%d", e.ID, n)))
			for _, it := range d.Day.Items {
				targets = append(targets, practice.SyncEvent{Type: practice.CompleteItem, Enrollment: e.ID, Target: it.ID})
			}
			for _, task := range d.Day.Tasks {
				targets = append(targets, practice.SyncEvent{Type: practice.CompleteTask, Enrollment: e.ID, Target: task.ID})
			}
		}
		w.s.Clock.Advance(11 * 24 * time.Hour) // device times reach back ten days, after the enrolment
		zones := []string{"Asia/Colombo", "Asia/Tokyo", "America/Los_Angeles", "Europe/Berlin", "America/New_York", "UTC"}
		rng := rand.New(rand.NewPCG(7, 11))
		clock := w.s.Clock
		randomAt := func() time.Time { // sometime in the last ten days
			return clock.Now().Add(-time.Duration(rng.Int64N(int64(10 * 24 * time.Hour))))
		}
		event := func(i int) practice.SyncEvent {
			ev := targets[rng.IntN(len(targets))]
			if rng.IntN(3) == 0 { // undo a third of the time
				if ev.Type == practice.CompleteItem {
					ev.Type = practice.UndoItem
				} else {
					ev.Type = practice.UndoTask
				}
			}
			ev.ClientID, ev.At, ev.Timezone = fmt.Sprintf("op-%d", i), randomAt(), zones[rng.IntN(len(zones))]
			return ev
		}
		check := func(after int) {
			t.Helper()
			kept, recounted, err := pr.RebuildStreak(ctx, w.reader.ID, false)
			if err != nil {
				t.Fatal(err)
			}
			if !practice.Agree(kept, recounted) {
				t.Fatalf("after %d operations the kept streak %+v (days %d, seconds %d) differs from the recount %+v (days %d, seconds %d)",
					after, kept.Streak, kept.DaysPractised, kept.Seconds, recounted.Streak, recounted.DaysPractised, recounted.Seconds)
			}
		}
		nextCheck := 100
		for i := 0; i < 1000; {
			switch op := rng.IntN(10); {
			case op < 5: // one completion or undo from a device
				ev := event(i)
				kind := "item"
				if ev.Type == practice.CompleteTask || ev.Type == practice.UndoTask {
					kind = "task"
				}
				_, err := pr.SetDone(ctx, me, practice.Mark{Enrollment: e.ID, Kind: kind, Target: ev.Target,
					Done: ev.Type == practice.CompleteItem || ev.Type == practice.CompleteTask, At: ev.At, Zone: ev.Timezone, ClientID: ev.ClientID})
				if err != nil {
					t.Fatalf("operation %d: %v", i, err)
				}
				i++
			case op < 7: // an offline batch, sent in a shuffled order
				batch := make([]practice.SyncEvent, 1+rng.IntN(8))
				for j := range batch {
					batch[j] = event(i)
					i++
				}
				rng.Shuffle(len(batch), func(a, b int) { batch[a], batch[b] = batch[b], batch[a] })
				if _, err := pr.Sync(ctx, me, batch); err != nil {
					t.Fatalf("batch: %v", err)
				}
			case op < 8: // a sit with the timer
				_, err := pr.LogSession(ctx, me, practice.SessionRequest{Kind: practice.Meditation, Seconds: 60 + rng.IntN(1800),
					StartedAt: randomAt(), Timezone: zones[rng.IntN(len(zones))], ClientID: fmt.Sprintf("sit-%d", i)})
				if err != nil {
					t.Fatalf("session: %v", err)
				}
				i++
			case op < 9: // time passes
				clock.Advance(time.Duration(rng.IntN(30)) * time.Hour)
				i++
			default: // a change of grace
				g := rng.IntN(practice.MaxGracePerWeek + 1)
				if _, err := pr.UpdateSettings(ctx, me, practice.Settings{GracePerWeek: &g}); err != nil {
					t.Fatal(err)
				}
				i++
			}
			if i >= nextCheck {
				check(i)
				nextCheck += 100
			}
		}
		check(1000)
		st, err := pr.Stats(ctx, me)
		if err != nil {
			t.Fatal(err)
		}
		if st.DaysPractised == 0 || st.Streak.Longest == 0 {
			t.Fatalf("a thousand operations left no practice: %+v", st)
		}
	})
}

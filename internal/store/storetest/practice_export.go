package storetest

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/identity"
	"github.com/dharmaplans/dharmaplans/internal/practice"
)

// practise gives u a practice history in plan p and another plan, from
// base, and returns what their export must hold.
func (b bundle) practise(t *testing.T, u *identity.User, p, q *catalog.Plan, base time.Time) *practice.Export {
	t.Helper()
	e := b.enrol(t, u, p, nil)
	done := b.enrol(t, u, q, func(e *practice.Enrollment) { e.Status, e.CompletedAt = practice.Completed, ptr(base) })
	e.DaysDone, done.DaysDone = 1, 1
	e.Done, done.Done = []int{1}, []int{1}
	item := completion(e, catalog.TargetItem, catalog.NewID(), 1, base)
	task := completion(done, catalog.TargetTask, catalog.NewID(), 1, base.Add(time.Hour))
	days := []practice.DayCompletion{*dayCompletion(e, 1, 1, base), *dayCompletion(done, 1, 1, base.Add(time.Hour))}
	journal := []practice.JournalEntry{
		{EnrollmentID: e.ID, Day: 1, Body: "Kind.", UpdatedAt: base, ClientID: identity.NewID()},
		{EnrollmentID: done.ID, Day: 1, Body: "Done.", UpdatedAt: base.Add(time.Hour), ClientID: identity.NewID()},
	}
	sit := session(practice.Meditation, base.Add(2*time.Hour), 600)
	sit.UserID, sit.EnrollmentID = u.ID, e.ID
	chant := session(practice.Chanting, base.Add(26*time.Hour), 300)
	chant.UserID = u.ID
	prof := defaultProfile(u)
	prof.Streak = practice.Streak{Current: 2, Longest: 2, Last: today.AddDays(1), Has: true, LastZone: "Asia/Colombo"}
	prof.DaysPractised, prof.Seconds, prof.UpdatedAt = 2, 600, base
	b.write(t, u.ID, func(tx practice.Tx) error {
		for _, c := range []*practice.Completion{item, task} {
			if err := setCompletion(tx, c); err != nil {
				return err
			}
		}
		for _, dc := range days {
			if err := tx.SetDayCompletion(dc.EnrollmentID, dc.Cycle, dc.Day, &dc); err != nil {
				return err
			}
		}
		for _, j := range journal {
			if err := tx.PutJournal(&j); err != nil {
				return err
			}
		}
		for _, s := range []*practice.Session{sit, chant} {
			if _, err := tx.AddSession(s); err != nil {
				return err
			}
		}
		if _, err := tx.AddTargetEvent(targetEvent(e, item.Kind, item.TargetID, true, base, item.ClientID)); err != nil {
			return err
		}
		if err := tx.SaveReceipt(&practice.Receipt{UserID: u.ID, ClientID: item.ClientID, Digest: "d", Result: "applied", At: base}); err != nil {
			return err
		}
		if _, err := tx.AddEvent("completion", "{}", base); err != nil {
			return err
		}
		if err := tx.RefreshAll(); err != nil {
			return err
		}
		return tx.SaveProfile(prof)
	})
	pos := practice.Position{EnrollmentID: e.ID, ItemID: item.TargetID, Millis: 61_500, UpdatedAt: base}
	if _, err := b.store.SavePosition(b.ctx, pos); err != nil {
		t.Fatalf("SavePosition: %v", err)
	}
	return &practice.Export{
		Positions:   []practice.Position{pos},
		Profile:     prof,
		Enrollments: []*practice.Enrollment{done, e},
		Completions: []practice.Completion{*item, *task},
		Days:        days,
		Journal:     journal,
		Sessions:    []practice.Session{*sit, *chant},
		Activity: []practice.DayRecord{
			dayRecord(today, "Asia/Colombo", base, 2, 1, 600),
			dayRecord(today.AddDays(1), "Asia/Colombo", base.Add(26*time.Hour), 0, 1, 0),
		},
	}
}

// wantExport fails t unless userID's export is want.
func (b bundle) wantExport(t *testing.T, what, userID string, want *practice.Export) {
	t.Helper()
	got, err := b.store.Export(b.ctx, userID)
	if err != nil {
		t.Fatalf("%s: Export: %v", what, err)
	}
	wantProfile(t, what+": profile", got.Profile, want.Profile)
	wantList(t, what+": enrolments", got.Enrollments, want.Enrollments, func(e *practice.Enrollment) string { return e.ID })
	wantList(t, what+": completions", got.Completions, want.Completions, completionKey)
	dayKey := func(d practice.DayCompletion) string {
		return fmt.Sprintf("%s/%d/%03d", d.EnrollmentID, d.Cycle, d.Day)
	}
	wantList(t, what+": finished days", got.Days, want.Days, dayKey)
	entryKey := func(j practice.JournalEntry) string { return fmt.Sprintf("%s/%03d", j.EnrollmentID, j.Day) }
	wantList(t, what+": journal", got.Journal, want.Journal, entryKey)
	wantList(t, what+": listening positions", got.Positions, want.Positions, func(p practice.Position) string { return p.EnrollmentID + p.ItemID })
	wantList(t, what+": sessions", got.Sessions, want.Sessions, func(s practice.Session) string { return s.ID })
	wantDays(t, what+": activity", got.Activity, want.Activity)
}

// practiceRows counts the rows of every practice table that belong to
// userID, directly or through one of enrollments.
func (b bundle) practiceRows(t *testing.T, userID string, enrollments []*practice.Enrollment) map[string]int {
	t.Helper()
	n := map[string]int{}
	for _, table := range []string{"enrollments", "day_completions", "practice_sessions", "practice_days",
		"practice_profiles", "sync_receipts", "practice_events"} {
		n[table] = b.count(t, table, "user_id", userID)
	}
	for _, e := range enrollments {
		for _, table := range []string{"target_events", "completions", "journal_entries", "listening_positions"} {
			n[table] += b.count(t, table, "enrollment_id", e.ID)
		}
	}
	return n
}

func testPracticeExport(t *testing.T, open Open) {
	scenario(t, open, "Export holds every practice record of the person and nothing of anyone else's", func(t *testing.T, b bundle) {
		u, other := b.addUser(t, "u@example.org"), b.addUser(t, "other@example.org")
		p, q := b.addPlanToFollow(t, "metta"), b.addPlanToFollow(t, "zazen")
		mine := b.practise(t, u, p, q, now)
		theirs := b.practise(t, other, p, q, now.Add(time.Minute))
		b.wantExport(t, "u", u.ID, mine)
		b.wantExport(t, "other", other.ID, theirs)
	})
	scenario(t, open, "the export of a person who has not practised holds only the default profile", func(t *testing.T, b bundle) {
		u := b.addUser(t, "u@example.org")
		b.wantExport(t, "new user", u.ID, &practice.Export{Profile: defaultProfile(u)})
	})
	scenario(t, open, "deleting a user erases all their practice and keeps everyone else's", func(t *testing.T, b bundle) {
		u, other := b.addUser(t, "u@example.org"), b.addUser(t, "other@example.org")
		p, q := b.addPlanToFollow(t, "metta"), b.addPlanToFollow(t, "zazen")
		mine := b.practise(t, u, p, q, now)
		theirs := b.practise(t, other, p, q, now.Add(time.Minute))
		rows := b.practiceRows(t, u.ID, mine.Enrollments)
		for table, n := range rows {
			if n == 0 {
				t.Fatalf("the fixture left %s empty", table)
			}
		}
		theirRows := b.practiceRows(t, other.ID, theirs.Enrollments)

		if err := b.store.DeleteUser(b.ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		for table, n := range b.practiceRows(t, u.ID, mine.Enrollments) {
			if n != 0 {
				t.Errorf("%d rows of the deleted user remain in %s", n, table)
			}
		}
		_, err := b.store.Export(b.ctx, u.ID)
		wantCode(t, err, errs.NotFound)
		if got := b.practiceRows(t, other.ID, theirs.Enrollments); !maps.Equal(got, theirRows) {
			t.Errorf("the other user's rows went from %v to %v", theirRows, got)
		}
		b.wantExport(t, "the other user", other.ID, theirs)
	})
}

func testConcurrentPractice(t *testing.T, open Open) {
	b := setup(t, open)
	u := b.addUser(t, "u@example.org")
	e := b.enrol(t, u, b.addPlanToFollow(t, "metta"), nil)
	// Each round, two devices mark the same target done at once. Each
	// folds the target's events as the service does (the earliest done
	// wins) and counts one more practised day. Unless Write serialises
	// them, the later mark can overwrite the earlier completion from a
	// stale read of the events, or a count can be lost. The first round
	// also races to create the profile.
	const rounds = 8
	for round := range rounds {
		target := catalog.NewID()
		var wg sync.WaitGroup
		errc := make(chan error, 2)
		for device := range 2 {
			wg.Go(func() {
				// One device takes the plain lock, the other the lock
				// that reads the enrolment with it: they take turns too.
				write := b.store.Write
				if device == 1 {
					write = func(ctx context.Context, userID string, fn func(practice.Tx) error) error {
						return b.store.WriteEnrollment(ctx, userID, e.ID, fn)
					}
				}
				errc <- write(b.ctx, u.ID, func(tx practice.Tx) error {
					prof, err := tx.Profile()
					if err != nil {
						return err
					}
					ev := targetEvent(e, catalog.TargetItem, target, true, now.Add(time.Duration(device)*time.Minute),
						fmt.Sprintf("round%d-device%d", round, device))
					if _, err := tx.AddTargetEvent(ev); err != nil {
						return err
					}
					st, err := tx.MarkState(e.ID, e.Cycle, catalog.TargetItem, target, 1)
					if err != nil {
						return err
					}
					first := slices.MinFunc(st.Events, func(a, b practice.TargetEvent) int { return a.At.Compare(b.At) })
					c := &practice.Completion{EnrollmentID: e.ID, Cycle: e.Cycle, Kind: first.Kind, TargetID: target,
						Day: first.Day, At: first.At, LocalDate: first.LocalDate, Zone: first.Zone, ClientID: first.ClientID}
					if err := setCompletion(tx, c); err != nil {
						return err
					}
					prof.DaysPractised++
					return tx.SaveProfile(prof)
				})
			})
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			if err != nil {
				t.Errorf("round %d: %v", round, err)
			}
		}
		if n := b.count(t, "completions", "target_id", target); n != 1 {
			t.Errorf("round %d: %d completion rows, want 1", round, n)
		}
		if n := b.count(t, "target_events", "target_id", target); n != 2 {
			t.Errorf("round %d: %d target events, want 2", round, n)
		}
		comps, err := b.store.DayCompletions(b.ctx, e.ID, e.Cycle, 1)
		if err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf("round%d-device0", round)
		switch i := slices.IndexFunc(comps, func(c practice.Completion) bool { return c.TargetID == target }); {
		case i < 0:
			t.Errorf("round %d: the target has no completion", round)
		case comps[i].ClientID != want:
			t.Errorf("round %d: the completion is %s's, want the earlier %s's", round, comps[i].ClientID, want)
		}
	}
	if p := b.profile(t, u.ID); p.DaysPractised != 2*rounds {
		t.Errorf("profile counts %d days practised, want %d: a write was lost", p.DaysPractised, 2*rounds)
	}
}

func testListeningPositions(t *testing.T, open Open) {
	scenario(t, open, "SavePosition keeps the later of the stored position and the saved one", func(t *testing.T, b bundle) {
		u := b.addUser(t, "u@example.org")
		e := b.enrol(t, u, b.addPlanToFollow(t, "metta"), nil)
		item := catalog.NewID()
		if _, err := b.store.Position(b.ctx, e.ID, item); !errs.Is(err, errs.NotFound) {
			t.Errorf("Position before any save: %v, want not found", err)
		}
		for _, c := range []struct {
			save, want int64
			at         time.Time
		}{
			{1_000, 1_000, now},
			{5_000, 5_000, now.Add(time.Minute)},
			{2_000, 5_000, now.Add(30 * time.Second)}, // older: the newer stays
			{7_000, 7_000, now.Add(time.Minute)},      // as old as the stored one: the last save wins
		} {
			got, err := b.store.SavePosition(b.ctx, practice.Position{EnrollmentID: e.ID, ItemID: item, Millis: c.save, UpdatedAt: c.at})
			if err != nil || got.Millis != c.want {
				t.Errorf("save %d at %s: %+v, %v; want %d kept", c.save, c.at.Format(time.TimeOnly), got, err, c.want)
			}
		}
		got, err := b.store.Position(b.ctx, e.ID, item)
		if err != nil || got.Millis != 7_000 || !got.UpdatedAt.Equal(now.Add(time.Minute)) {
			t.Errorf("Position: %+v, %v", got, err)
		}
	})
}

package storetest

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/identity"
	"github.com/dharmaplans/dharmaplans/internal/practice"
)

// targetEvent returns a done (or undone) of target on day 1 of e's
// current cycle at at, in Colombo, sent as clientID.
func targetEvent(e *practice.Enrollment, kind, target string, done bool, at time.Time, clientID string) *practice.TargetEvent {
	return &practice.TargetEvent{
		EnrollmentID: e.ID, Cycle: e.Cycle, Kind: kind, TargetID: target, Day: 1, Done: done,
		At: at, LocalDate: practice.LocalDate(at, colombo, 0), Zone: "Asia/Colombo", ClientID: clientID,
	}
}

// completion returns target of day of e's current cycle done at at in
// Colombo.
func completion(e *practice.Enrollment, kind, target string, day int, at time.Time) *practice.Completion {
	return &practice.Completion{
		EnrollmentID: e.ID, Cycle: e.Cycle, Kind: kind, TargetID: target, Day: day,
		At: at, LocalDate: practice.LocalDate(at, colombo, 0), Zone: "Asia/Colombo", ClientID: identity.NewID(),
	}
}

// setCompletion stores c as its target's completion.
func setCompletion(tx practice.Tx, c *practice.Completion) error {
	return tx.SetCompletion(c.EnrollmentID, c.Cycle, c.Kind, c.TargetID, c)
}

// wantList fails t unless got and want hold the same elements, in order
// when ordered, else sorted by key first.
func wantList[T any](t *testing.T, what string, got, want []T, key func(T) string) {
	t.Helper()
	if key != nil {
		got, want = slices.Clone(got), slices.Clone(want)
		byKey := func(a, b T) int { return strings.Compare(key(a), key(b)) }
		slices.SortFunc(got, byKey)
		slices.SortFunc(want, byKey)
	}
	if len(got) != len(want) {
		t.Errorf("%s: got %d, want %d: %+v", what, len(got), len(want), got)
		return
	}
	for i := range got {
		wantSame(t, what, got[i], want[i])
	}
}

func completionKey(c practice.Completion) string { return c.Kind + ":" + c.TargetID }

func testCompletions(t *testing.T, open Open) {
	scenario(t, open, "AddTargetEvent records an event once per client id and MarkState lists a target's", func(t *testing.T, b bundle) {
		u := b.addUser(t, "u@example.org")
		metta := b.addPlanToFollow(t, "metta")
		e, f := b.enrol(t, u, metta, nil), b.enrol(t, u, b.addPlanToFollow(t, "zazen"), nil)
		item, task := catalog.NewID(), catalog.NewID()
		done := targetEvent(e, catalog.TargetItem, item, true, now.In(colombo), "c1")
		undone := targetEvent(e, catalog.TargetItem, item, false, now.Add(time.Minute), "c2")
		var events []practice.TargetEvent
		b.write(t, u.ID, func(tx practice.Tx) error {
			for _, ev := range []*practice.TargetEvent{
				done, undone,
				targetEvent(e, catalog.TargetTask, task, true, now, "c3"), // another target
				targetEvent(f, catalog.TargetItem, item, true, now, "c1"), // another enrolment, same client id
			} {
				if added, err := tx.AddTargetEvent(ev); err != nil || !added {
					t.Errorf("AddTargetEvent(%s) = %t, %v; want it added", ev.ClientID, added, err)
				}
			}
			next := targetEvent(e, catalog.TargetItem, item, true, now, "c4")
			next.Cycle = 2
			if _, err := tx.AddTargetEvent(next); err != nil {
				return err
			}
			// Sent again, even with other content: recorded already.
			again := targetEvent(e, catalog.TargetItem, item, false, now.Add(time.Hour), "c1")
			if added, err := tx.AddTargetEvent(again); err != nil || added {
				t.Errorf("AddTargetEvent of a known client id = %t, %v; want false", added, err)
			}
			st, err := tx.MarkState(e.ID, 1, catalog.TargetItem, item, 1)
			if err != nil {
				return err
			}
			events = st.Events
			return nil
		})
		wantList(t, "MarkState's events", events, []practice.TargetEvent{*done, *undone},
			func(ev practice.TargetEvent) string { return ev.ClientID })
		if n := b.count(t, "target_events", "enrollment_id", e.ID); n != 4 {
			t.Errorf("%d target events stored, want 4", n)
		}
	})
	scenario(t, open, "DayState answers a day's completions and whether it has a journal entry, in one read", func(t *testing.T, b bundle) {
		u := b.addUser(t, "u@example.org")
		e := b.enrol(t, u, b.addPlanToFollow(t, "metta"), nil)
		state := func(what string, day int, wantJournal bool, want ...practice.Completion) {
			t.Helper()
			got, journal, err := b.store.DayState(b.ctx, e.ID, 1, day)
			if err != nil {
				t.Fatal(err)
			}
			if journal != wantJournal {
				t.Errorf("%s: journal %v, want %v", what, journal, wantJournal)
			}
			wantList(t, what, got, want, completionKey)
			// EnrollmentDay answers the same with the enrolment, as
			// Enrollment reads it.
			en, got, journal, err := b.store.EnrollmentDay(b.ctx, u.ID, e.ID, day)
			if err != nil {
				t.Fatal(err)
			}
			if journal != wantJournal {
				t.Errorf("%s: EnrollmentDay: journal %v, want %v", what, journal, wantJournal)
			}
			wantList(t, what+" (EnrollmentDay)", got, want, completionKey)
			if alone, err := b.store.Enrollment(b.ctx, u.ID, e.ID); err != nil || !reflect.DeepEqual(en, alone) {
				t.Errorf("%s: EnrollmentDay's enrolment\n%+v\nEnrollment's\n%+v (%v)", what, en, alone, err)
			}
		}
		state("nothing yet", 1, false)
		item, task, next := completion(e, catalog.TargetItem, catalog.NewID(), 1, now), completion(e, catalog.TargetTask, catalog.NewID(), 1, now.Add(time.Minute)),
			completion(e, catalog.TargetItem, catalog.NewID(), 2, now.Add(time.Hour))
		b.write(t, u.ID, func(tx practice.Tx) error {
			for _, c := range []*practice.Completion{item, task, next} {
				if err := setCompletion(tx, c); err != nil {
					return err
				}
			}
			return tx.PutJournal(&practice.JournalEntry{EnrollmentID: e.ID, Day: 2, Body: "kind", UpdatedAt: now, ClientID: "j"})
		})
		state("day 1", 1, false, *item, *task)
		state("day 2", 2, true, *next)
		state("day 3", 3, false)
		if got, _, err := b.store.DayState(b.ctx, e.ID, 2, 1); err != nil || len(got) != 0 {
			t.Errorf("another cycle: %v, %v", got, err)
		}
		b.write(t, u.ID, func(tx practice.Tx) error {
			return tx.SetDayCompletion(e.ID, 1, 1, &practice.DayCompletion{EnrollmentID: e.ID, Cycle: 1, Day: 1, UserID: u.ID,
				At: now, LocalDate: practice.LocalDate(now, time.UTC, 0), Zone: "UTC"})
		})
		if en, _, _, err := b.store.EnrollmentDay(b.ctx, u.ID, e.ID, 1); err != nil || !slices.Equal(en.Done, []int{1}) {
			t.Errorf("EnrollmentDay after day 1 was finished: done days %v (%v), want [1]", en.Done, err)
		}
		stranger := b.addUser(t, "stranger@example.org")
		if _, _, _, err := b.store.EnrollmentDay(b.ctx, stranger.ID, e.ID, 1); !errs.Is(err, errs.NotFound) {
			t.Errorf("someone else's enrolment: %v, want NotFound", err)
		}
	})

	scenario(t, open, "SetCompletion keeps exactly one completion per target, and nil removes it", func(t *testing.T, b bundle) {
		u := b.addUser(t, "u@example.org")
		e := b.enrol(t, u, b.addPlanToFollow(t, "metta"), nil)
		item, task := catalog.NewID(), catalog.NewID()
		first := completion(e, catalog.TargetItem, item, 1, now.In(colombo))
		later := completion(e, catalog.TargetItem, item, 1, now.Add(time.Hour))
		other := completion(e, catalog.TargetTask, task, 1, now)
		dayCompletions := func(what string, want ...practice.Completion) {
			t.Helper()
			got, err := b.store.DayCompletions(b.ctx, e.ID, 1, 1)
			if err != nil {
				t.Fatal(err)
			}
			wantList(t, what, got, want, completionKey)
		}
		b.write(t, u.ID, func(tx practice.Tx) error {
			if err := setCompletion(tx, first); err != nil {
				return err
			}
			return setCompletion(tx, other)
		})
		dayCompletions("stored", *first, *other)
		b.write(t, u.ID, func(tx practice.Tx) error { return setCompletion(tx, later) })
		dayCompletions("stored over", *later, *other)
		if n := b.count(t, "completions", "target_id", item); n != 1 {
			t.Errorf("%d completion rows of the item, want 1", n)
		}
		b.write(t, u.ID, func(tx practice.Tx) error {
			if err := tx.SetCompletion(e.ID, 1, catalog.TargetItem, item, nil); err != nil {
				return err
			}
			// Removing what is not there is no error.
			return tx.SetCompletion(e.ID, 1, catalog.TargetItem, catalog.NewID(), nil)
		})
		dayCompletions("removed", *other)
		if n := b.count(t, "completions", "target_id", item); n != 0 {
			t.Errorf("%d completion rows of the removed item, want 0", n)
		}
	})
	scenario(t, open, "DayCompletions and MarkState list the completions of one day of one cycle, in and out of Write", func(t *testing.T, b bundle) {
		u := b.addUser(t, "u@example.org")
		e := b.enrol(t, u, b.addPlanToFollow(t, "metta"), nil)
		item, task := catalog.NewID(), catalog.NewID()
		day1 := []practice.Completion{
			*completion(e, catalog.TargetItem, item, 1, now),
			*completion(e, catalog.TargetTask, task, 1, now.Add(time.Minute)),
		}
		day2 := completion(e, catalog.TargetItem, catalog.NewID(), 2, now.Add(time.Hour))
		nextCycle := completion(e, catalog.TargetItem, item, 1, now.Add(48*time.Hour))
		nextCycle.Cycle = 2
		var inTx []practice.Completion
		b.write(t, u.ID, func(tx practice.Tx) error {
			for _, c := range []*practice.Completion{&day1[0], &day1[1], day2, nextCycle} {
				if err := setCompletion(tx, c); err != nil {
					return err
				}
			}
			st, err := tx.MarkState(e.ID, 1, catalog.TargetItem, item, 1)
			if err != nil {
				return err
			}
			inTx = st.Completions
			return nil
		})
		wantList(t, "MarkState's completions", inTx, day1, completionKey)
		for _, c := range []struct {
			cycle, day int
			want       []practice.Completion
		}{{1, 1, day1}, {1, 2, []practice.Completion{*day2}}, {2, 1, []practice.Completion{*nextCycle}}, {1, 3, nil}} {
			got, err := b.store.DayCompletions(b.ctx, e.ID, c.cycle, c.day)
			if err != nil {
				t.Fatal(err)
			}
			wantList(t, "DayCompletions", got, c.want, completionKey)
		}
	})
	scenario(t, open, "finished days are kept per cycle: SetDayCompletion, MarkState, CountDoneDays and DoneDays", func(t *testing.T, b bundle) {
		u := b.addUser(t, "u@example.org")
		e := b.enrol(t, u, b.addPlanToFollow(t, "metta"), nil)
		doneDays := func(cycle int, want ...int) {
			t.Helper()
			got, err := b.store.DoneDays(b.ctx, e.ID, cycle)
			if err != nil || got == nil || !slices.Equal(got, want) {
				t.Errorf("DoneDays(cycle %d) = %#v, %v; want %v", cycle, got, err, want)
			}
		}
		finished := func(tx practice.Tx, day int) (*practice.DayCompletion, error) {
			st, err := tx.MarkState(e.ID, 1, catalog.TargetItem, catalog.NewID(), day)
			if err != nil {
				return nil, err
			}
			return st.Finished, nil
		}
		doneDays(1)
		day1 := dayCompletion(e, 1, 1, now.In(colombo))
		day3 := dayCompletion(e, 1, 3, now.Add(time.Hour))
		b.write(t, u.ID, func(tx practice.Tx) error {
			if got, err := finished(tx, 1); err != nil || got != nil {
				t.Errorf("a day not finished yet reads as %+v, %v; want nil", got, err)
			}
			for _, dc := range []*practice.DayCompletion{day3, day1, dayCompletion(e, 2, 2, now)} {
				if err := tx.SetDayCompletion(e.ID, dc.Cycle, dc.Day, dc); err != nil {
					return err
				}
			}
			got, err := finished(tx, 1)
			if err != nil {
				return err
			}
			wantSame(t, "finished day", got, day1)
			if n, err := tx.CountDoneDays(e.ID, 1); err != nil || n != 2 {
				t.Errorf("CountDoneDays(cycle 1) = %d, %v; want 2", n, err)
			}
			return nil
		})
		doneDays(1, 1, 3)
		doneDays(2, 2)

		// Finished again later (an undo and a redo): the new time counts.
		redone := dayCompletion(e, 1, 1, now.Add(30*time.Hour))
		b.write(t, u.ID, func(tx practice.Tx) error {
			if err := tx.SetDayCompletion(e.ID, 1, 1, redone); err != nil {
				return err
			}
			got, err := finished(tx, 1)
			if err != nil {
				return err
			}
			wantSame(t, "day finished again", got, redone)
			return tx.SetDayCompletion(e.ID, 1, 3, nil)
		})
		doneDays(1, 1)
		b.write(t, u.ID, func(tx practice.Tx) error {
			if got, err := finished(tx, 3); err != nil || got != nil {
				t.Errorf("a removed day reads as %+v, %v; want nil", got, err)
			}
			if n, err := tx.CountDoneDays(e.ID, 1); err != nil || n != 1 {
				t.Errorf("CountDoneDays after removing a day = %d, %v; want 1", n, err)
			}
			return nil
		})
	})
	scenario(t, open, "MarkState reads a target's events, its day's completions and whether the day is finished, at once", func(t *testing.T, b bundle) {
		u, other := b.addUser(t, "u@example.org"), b.addUser(t, "other@example.org")
		metta := b.addPlanToFollow(t, "metta")
		e, f, theirs := b.enrol(t, u, metta, nil), b.enrol(t, u, b.addPlanToFollow(t, "zazen"), nil), b.enrol(t, other, metta, nil)
		item, task := catalog.NewID(), catalog.NewID()
		b.write(t, u.ID, func(tx practice.Tx) error {
			st, err := tx.MarkState(e.ID, 1, catalog.TargetItem, item, 1)
			if err != nil {
				return err
			}
			if len(st.Events) != 0 || len(st.Completions) != 0 || st.Finished != nil {
				t.Errorf("MarkState of a new enrolment = %+v; want nothing", st)
			}
			return nil
		})
		done := targetEvent(e, catalog.TargetItem, item, true, now.In(colombo), "c1")
		undone := targetEvent(e, catalog.TargetItem, item, false, now.Add(time.Minute), "c2")
		day1 := []practice.Completion{*completion(e, catalog.TargetItem, item, 1, now), *completion(e, catalog.TargetTask, task, 1, now.Add(time.Minute))}
		day2 := completion(e, catalog.TargetItem, catalog.NewID(), 2, now.Add(time.Hour))
		finished1, finished2 := dayCompletion(e, 1, 1, now.Add(time.Minute).In(colombo)), dayCompletion(e, 1, 2, now.Add(time.Hour))
		nextCycle := targetEvent(e, catalog.TargetItem, item, true, now, "c3")
		nextCycle.Cycle = 2
		nextCompletion := completion(e, catalog.TargetItem, item, 1, now)
		nextCompletion.Cycle = 2
		b.write(t, u.ID, func(tx practice.Tx) error {
			for _, ev := range []*practice.TargetEvent{done, undone, nextCycle,
				targetEvent(e, catalog.TargetTask, task, true, now, "c4"), // another target
				targetEvent(f, catalog.TargetItem, item, true, now, "c1"), // another enrolment
			} {
				if _, err := tx.AddTargetEvent(ev); err != nil {
					return err
				}
			}
			for _, c := range []*practice.Completion{&day1[0], &day1[1], day2, nextCompletion, completion(f, catalog.TargetItem, item, 1, now)} {
				if err := setCompletion(tx, c); err != nil {
					return err
				}
			}
			for _, dc := range []*practice.DayCompletion{finished1, finished2, dayCompletion(e, 2, 1, now), dayCompletion(f, 1, 1, now)} {
				if err := tx.SetDayCompletion(dc.EnrollmentID, dc.Cycle, dc.Day, dc); err != nil {
					return err
				}
			}
			return nil
		})
		b.write(t, other.ID, func(tx practice.Tx) error {
			if err := setCompletion(tx, completion(theirs, catalog.TargetItem, item, 1, now)); err != nil {
				return err
			}
			return finishDay(tx, theirs, 1, now)
		})
		b.write(t, u.ID, func(tx practice.Tx) error {
			st, err := tx.MarkState(e.ID, 1, catalog.TargetItem, item, 1)
			if err != nil {
				return err
			}
			wantList(t, "the target's events", st.Events, []practice.TargetEvent{*done, *undone},
				func(ev practice.TargetEvent) string { return ev.ClientID })
			wantList(t, "day 1's completions", st.Completions, day1, completionKey)
			wantSame(t, "day 1's record", st.Finished, finished1)

			if st, err = tx.MarkState(e.ID, 1, catalog.TargetItem, day2.TargetID, 2); err != nil {
				return err
			}
			if len(st.Events) != 0 {
				t.Errorf("a target without events has %+v", st.Events)
			}
			wantList(t, "day 2's completions", st.Completions, []practice.Completion{*day2}, completionKey)
			wantSame(t, "day 2's record", st.Finished, finished2)

			if st, err = tx.MarkState(e.ID, 1, catalog.TargetItem, item, 3); err != nil { // events are the target's whatever the day
				return err
			}
			wantList(t, "the target's events read with day 3", st.Events, []practice.TargetEvent{*done, *undone},
				func(ev practice.TargetEvent) string { return ev.ClientID })
			if len(st.Completions) != 0 || st.Finished != nil {
				t.Errorf("day 3 has %+v, %+v; want nothing", st.Completions, st.Finished)
			}
			return nil
		})
	})
	scenario(t, open, "a Write that fails leaves nothing behind", func(t *testing.T, b bundle) {
		u := b.addUser(t, "u@example.org")
		e := b.enrol(t, u, b.addPlanToFollow(t, "metta"), nil)
		failed := errors.New("the service changed its mind")
		err := b.store.Write(b.ctx, u.ID, func(tx practice.Tx) error {
			if _, err := tx.AddTargetEvent(targetEvent(e, catalog.TargetItem, catalog.NewID(), true, now, "c1")); err != nil {
				return err
			}
			if err := setCompletion(tx, completion(e, catalog.TargetItem, catalog.NewID(), 1, now)); err != nil {
				return err
			}
			if err := finishDay(tx, e, 1, now); err != nil {
				return err
			}
			if _, err := tx.AddEvent("completion", "{}", now); err != nil {
				return err
			}
			return failed
		})
		if !errors.Is(err, failed) {
			t.Fatalf("Write = %v, want the error of its function", err)
		}
		for _, table := range []string{"target_events", "completions", "day_completions"} {
			if n := b.count(t, table, "enrollment_id", e.ID); n != 0 {
				t.Errorf("%d rows left in %s", n, table)
			}
		}
		for _, table := range []string{"practice_events", "practice_profiles"} {
			if n := b.count(t, table, "user_id", u.ID); n != 0 {
				t.Errorf("%d rows left in %s", n, table)
			}
		}
	})
	scenario(t, open, "a Write for an unknown user is not found and runs nothing", func(t *testing.T, b bundle) {
		ran := false
		err := b.store.Write(b.ctx, identity.NewID(), func(tx practice.Tx) error { ran = true; return nil })
		wantCode(t, err, errs.NotFound)
		if ran {
			t.Error("the function ran for an unknown user")
		}
	})
}

// session returns a session of kind from at, seconds long, dated in
// Colombo.
func session(kind practice.SessionKind, at time.Time, seconds int) *practice.Session {
	return &practice.Session{
		ID: identity.NewID(), ClientID: identity.NewID(), Kind: kind, StartedAt: at, Seconds: seconds,
		LocalDate: practice.LocalDate(at, colombo, 0), Zone: "Asia/Colombo", Note: "", CreatedAt: now,
	}
}

// addSessions records sessions in a Write for userID.
func (b bundle) addSessions(t *testing.T, userID string, sessions ...*practice.Session) {
	t.Helper()
	b.write(t, userID, func(tx practice.Tx) error {
		for _, s := range sessions {
			if _, err := tx.AddSession(s); err != nil {
				return err
			}
		}
		return nil
	})
}

// wantDays fails t unless got are the records want, in order.
func wantDays(t *testing.T, what string, got, want []practice.DayRecord) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: got %d dates %+v, want %d", what, len(got), got, len(want))
		return
	}
	for i := range got {
		wantDay(t, what, &got[i], &want[i])
	}
}

// wantDay fails t unless got is want; nil is no record.
func wantDay(t *testing.T, what string, got, want *practice.DayRecord) {
	t.Helper()
	switch {
	case got == nil && want == nil:
		return
	case got == nil || want == nil:
		t.Errorf("%s: got %+v, want %+v", what, got, want)
		return
	}
	wantSame(t, what, got.PracticeDay, want.PracticeDay)
	if got.DaysFinished != want.DaysFinished || got.Sessions != want.Sessions || got.Seconds != want.Seconds {
		t.Errorf("%s on %s: %d days finished, %d sessions, %d seconds; want %d, %d, %d", what, got.Date,
			got.DaysFinished, got.Sessions, got.Seconds, want.DaysFinished, want.Sessions, want.Seconds)
	}
}

func dayRecord(date practice.Date, zone string, at time.Time, finished, sessions, seconds int) practice.DayRecord {
	return practice.DayRecord{PracticeDay: practice.PracticeDay{Date: date, Zone: zone, At: at},
		DaysFinished: finished, Sessions: sessions, Seconds: seconds}
}

// refresh runs RefreshDay for date in a Write for userID.
func (b bundle) refresh(t *testing.T, userID string, date practice.Date) (before, after *practice.DayRecord) {
	t.Helper()
	b.write(t, userID, func(tx practice.Tx) error {
		var err error
		before, after, err = tx.RefreshDay(date)
		return err
	})
	return before, after
}

func testPracticeDays(t *testing.T, open Open) {
	scenario(t, open, "RefreshDay counts the date's finished days, sessions and meditated seconds from its first practice", func(t *testing.T, b bundle) {
		u, other := b.addUser(t, "u@example.org"), b.addUser(t, "other@example.org")
		metta := b.addPlanToFollow(t, "metta")
		e, theirs := b.enrol(t, u, metta, nil), b.enrol(t, other, metta, nil)
		chant := session(practice.Chanting, now.Add(-2*time.Hour), 300)
		chant.Zone = "Asia/Kolkata"
		b.addSessions(t, u.ID, chant,
			session(practice.Meditation, now.Add(2*time.Hour), 600),
			session(practice.Meditation, now.Add(3*time.Hour), 900),
			session(practice.Walking, now.Add(4*time.Hour), 1200),
			session(practice.Meditation, now.Add(24*time.Hour), 60), // tomorrow
		)
		b.addSessions(t, other.ID, session(practice.Meditation, now.Add(-5*time.Hour), 60))
		b.write(t, u.ID, func(tx practice.Tx) error {
			if err := finishDay(tx, e, 1, now); err != nil {
				return err
			}
			return finishDay(tx, e, 2, now.Add(time.Hour))
		})
		b.write(t, other.ID, func(tx practice.Tx) error { return finishDay(tx, theirs, 1, now.Add(-6*time.Hour)) })

		want := dayRecord(today, "Asia/Kolkata", now.Add(-2*time.Hour), 2, 4, 1500)
		before, after := b.refresh(t, u.ID, today)
		wantDay(t, "before the first refresh", before, nil)
		wantDay(t, "after the first refresh", after, &want)
		before, after = b.refresh(t, u.ID, today)
		wantDay(t, "before refreshing again", before, &want)
		wantDay(t, "after refreshing again", after, &want)

		// A finished day earlier than any session becomes the first practice.
		b.write(t, u.ID, func(tx practice.Tx) error { return finishDay(tx, e, 3, now.Add(-3*time.Hour).In(colombo)) })
		changed := dayRecord(today, "Asia/Colombo", now.Add(-3*time.Hour), 3, 4, 1500)
		before, after = b.refresh(t, u.ID, today)
		wantDay(t, "before a finished day", before, &want)
		wantDay(t, "after a finished day", after, &changed)
		var days []practice.DayRecord
		b.write(t, u.ID, func(tx practice.Tx) error {
			var err error
			days, err = tx.Days()
			return err
		})
		wantDays(t, "Days", days, []practice.DayRecord{changed})
	})
	scenario(t, open, "RefreshDay takes a finished day before a session at the same time as the first practice", func(t *testing.T, b bundle) {
		u := b.addUser(t, "u@example.org")
		e := b.enrol(t, u, b.addPlanToFollow(t, "metta"), nil)
		sit := session(practice.Meditation, now, 600)
		sit.Zone = "Asia/Kolkata"
		b.addSessions(t, u.ID, sit)
		b.write(t, u.ID, func(tx practice.Tx) error { return finishDay(tx, e, 1, now) })
		want := dayRecord(today, "Asia/Colombo", now, 1, 1, 600)
		_, after := b.refresh(t, u.ID, today)
		wantDay(t, "after a session and a finished day at once", after, &want)
	})
	scenario(t, open, "RefreshDay deletes the date's record when nothing is left of it", func(t *testing.T, b bundle) {
		u := b.addUser(t, "u@example.org")
		e := b.enrol(t, u, b.addPlanToFollow(t, "metta"), nil)
		before, after := b.refresh(t, u.ID, today)
		if before != nil || after != nil {
			t.Errorf("RefreshDay of a date without practice = %+v, %+v; want nothing", before, after)
		}
		b.write(t, u.ID, func(tx practice.Tx) error { return finishDay(tx, e, 1, now) })
		want := dayRecord(today, "Asia/Colombo", now, 1, 0, 0)
		_, after = b.refresh(t, u.ID, today)
		wantDay(t, "after finishing a day", after, &want)
		b.write(t, u.ID, func(tx practice.Tx) error { return tx.SetDayCompletion(e.ID, 1, 1, nil) })
		before, after = b.refresh(t, u.ID, today)
		wantDay(t, "before undoing the day", before, &want)
		wantDay(t, "after undoing the day", after, nil)
		list, err := b.store.Activity(b.ctx, u.ID, today, today)
		if err != nil || list == nil || len(list) != 0 {
			t.Errorf("Activity after undoing = %#v, %v; want an empty list", list, err)
		}
	})
	scenario(t, open, "RefreshAll rebuilds the record of every date and drops stale ones", func(t *testing.T, b bundle) {
		u, other := b.addUser(t, "u@example.org"), b.addUser(t, "other@example.org")
		metta := b.addPlanToFollow(t, "metta")
		e, theirs := b.enrol(t, u, metta, nil), b.enrol(t, other, metta, nil)
		b.write(t, u.ID, func(tx practice.Tx) error { return finishDay(tx, e, 3, now.Add(-72*time.Hour)) })
		b.refresh(t, u.ID, today.AddDays(-3))
		b.write(t, u.ID, func(tx practice.Tx) error {
			if err := tx.SetDayCompletion(e.ID, 1, 3, nil); err != nil { // stale record
				return err
			}
			if err := finishDay(tx, e, 1, now.Add(-48*time.Hour)); err != nil {
				return err
			}
			return finishDay(tx, e, 2, now)
		})
		b.addSessions(t, u.ID, session(practice.Meditation, now.Add(-24*time.Hour), 60),
			session(practice.Other, now.Add(time.Hour), 60))
		b.write(t, other.ID, func(tx practice.Tx) error { return finishDay(tx, theirs, 1, now) })
		b.refresh(t, other.ID, today)

		var days []practice.DayRecord
		b.write(t, u.ID, func(tx practice.Tx) error {
			if err := tx.RefreshAll(); err != nil {
				return err
			}
			var err error
			days, err = tx.Days()
			return err
		})
		wantDays(t, "Days after RefreshAll", days, []practice.DayRecord{
			dayRecord(today.AddDays(-2), "Asia/Colombo", now.Add(-48*time.Hour), 1, 0, 0),
			dayRecord(today.AddDays(-1), "Asia/Colombo", now.Add(-24*time.Hour), 0, 1, 60),
			dayRecord(today, "Asia/Colombo", now, 1, 1, 0),
		})
		theirDays, err := b.store.Activity(b.ctx, other.ID, today.AddDays(-10), today)
		if err != nil {
			t.Fatal(err)
		}
		wantDays(t, "the other user's days", theirDays, []practice.DayRecord{dayRecord(today, "Asia/Colombo", now, 1, 0, 0)})
	})
	scenario(t, open, "Activity lists the person's dates from from to to, both included", func(t *testing.T, b bundle) {
		u, other := b.addUser(t, "u@example.org"), b.addUser(t, "other@example.org")
		var sessions []*practice.Session
		var all []practice.DayRecord
		for d := -2; d <= 2; d++ {
			at := now.Add(time.Duration(d) * 24 * time.Hour)
			sessions = append(sessions, session(practice.Meditation, at, 60*(d+3)))
			all = append(all, dayRecord(today.AddDays(d), "Asia/Colombo", at, 0, 1, 60*(d+3)))
		}
		b.addSessions(t, u.ID, sessions...)
		b.addSessions(t, other.ID, session(practice.Meditation, now, 60))
		b.write(t, u.ID, func(tx practice.Tx) error { return tx.RefreshAll() })
		b.write(t, other.ID, func(tx practice.Tx) error { return tx.RefreshAll() })
		for _, c := range []struct {
			from, to practice.Date
			want     []practice.DayRecord
		}{
			{today.AddDays(-1), today.AddDays(1), all[1:4]},
			{today, today, all[2:3]},
			{today.AddDays(-30), today.AddDays(30), all},
			{today.AddDays(3), today.AddDays(30), nil},
		} {
			got, err := b.store.Activity(b.ctx, u.ID, c.from, c.to)
			if err != nil {
				t.Fatal(err)
			}
			wantDays(t, "Activity from "+c.from.String()+" to "+c.to.String(), got, c.want)
		}
	})
}

package storetest

import (
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/identity"
	"github.com/dharmaplans/dharmaplans/internal/practice"
)

// defaultProfile is the profile of u before they practise.
func defaultProfile(u *identity.User) *practice.Profile {
	return &practice.Profile{
		UserID: u.ID, GracePerWeek: practice.DefaultGracePerWeek, ShowStreaks: true,
		Zone: u.Timezone, DayStartHour: u.DayStartHour,
	}
}

// wantProfile fails t unless got is want. No grace days may read back as
// an empty list or as nil.
func wantProfile(t *testing.T, what string, got, want *practice.Profile) {
	t.Helper()
	if got == nil {
		t.Fatalf("%s: got nil", what)
	}
	g, w := *got, *want
	gs, ws := g.Streak, w.Streak
	if gs.Current != ws.Current || gs.Longest != ws.Longest || gs.Has != ws.Has || gs.Last != ws.Last ||
		gs.LastZone != ws.LastZone || !slices.Equal(gs.Grace, ws.Grace) {
		t.Errorf("%s: streak %+v, want %+v", what, gs, ws)
	}
	g.Streak, w.Streak = practice.Streak{}, practice.Streak{}
	wantSame(t, what, &g, &w)
}

// profile returns userID's profile read outside a Write.
func (b bundle) profile(t *testing.T, userID string) *practice.Profile {
	t.Helper()
	p, err := b.store.Profile(b.ctx, userID)
	if err != nil {
		t.Fatalf("Profile: %v", err)
	}
	return p
}

func testPracticeProfiles(t *testing.T, open Open) {
	scenario(t, open, "a person who has not practised has the default profile", func(t *testing.T, b bundle) {
		u := newUser("u@example.org")
		u.DayStartHour = 3
		if err := b.store.CreateUser(b.ctx, u); err != nil {
			t.Fatal(err)
		}
		wantProfile(t, "Profile", b.profile(t, u.ID), defaultProfile(u))
		if ids, err := b.store.PracticeUsers(b.ctx, "", 10); err != nil || len(ids) != 0 {
			t.Errorf("PracticeUsers = %v, %v; want no one", ids, err)
		}
	})
	scenario(t, open, "an unknown user has no profile", func(t *testing.T, b bundle) {
		_, err := b.store.Profile(b.ctx, identity.NewID())
		wantCode(t, err, errs.NotFound)
		wantMessage(t, err, "user not found")
	})
	scenario(t, open, "Write creates the profile, and SaveProfile keeps the settings, streak and totals", func(t *testing.T, b bundle) {
		u := b.addUser(t, "u@example.org")
		b.write(t, u.ID, func(tx practice.Tx) error {
			p, err := tx.Profile()
			if err != nil {
				return err
			}
			want := defaultProfile(u)
			want.UpdatedAt = p.UpdatedAt
			wantProfile(t, "Tx.Profile of a new profile", p, want)
			return nil
		})
		if ids, err := b.store.PracticeUsers(b.ctx, "", 10); err != nil || !slices.Equal(ids, []string{u.ID}) {
			t.Errorf("PracticeUsers = %v, %v; want %s", ids, err, u.ID)
		}
		got := b.profile(t, u.ID)
		want := defaultProfile(u)
		want.UpdatedAt = got.UpdatedAt
		wantProfile(t, "Profile after the first Write", got, want)

		saved := &practice.Profile{
			UserID: u.ID, GracePerWeek: 2, ShowStreaks: false,
			Streak: practice.Streak{Current: 5, Longest: 9, Last: today, Has: true, LastZone: "Asia/Tokyo",
				Grace: []practice.Date{today.AddDays(-4), today.AddDays(-2)}},
			DaysPractised: 42, Seconds: 123_456, UpdatedAt: now.In(colombo),
			Zone: u.Timezone, DayStartHour: u.DayStartHour,
		}
		b.write(t, u.ID, func(tx practice.Tx) error {
			if err := tx.SaveProfile(saved); err != nil {
				return err
			}
			p, err := tx.Profile()
			if err != nil {
				return err
			}
			wantProfile(t, "Tx.Profile after SaveProfile", p, saved)
			return nil
		})
		wantProfile(t, "Profile after SaveProfile", b.profile(t, u.ID), saved)
		b.write(t, u.ID, func(tx practice.Tx) error {
			p, err := tx.Profile()
			if err != nil {
				return err
			}
			wantProfile(t, "Tx.Profile in the next Write", p, saved)
			return nil
		})

		// A streak rebuilt from no practice at all has no last date.
		cleared := *saved
		cleared.Streak, cleared.DaysPractised, cleared.Seconds = practice.Streak{}, 0, 0
		cleared.UpdatedAt = now.Add(time.Hour)
		b.write(t, u.ID, func(tx practice.Tx) error { return tx.SaveProfile(&cleared) })
		wantProfile(t, "Profile after clearing the streak", b.profile(t, u.ID), &cleared)
	})
	scenario(t, open, "the zone and day start come from the account, not the saved profile", func(t *testing.T, b bundle) {
		u := b.addUser(t, "u@example.org")
		b.write(t, u.ID, func(tx practice.Tx) error {
			p, err := tx.Profile()
			if err != nil {
				return err
			}
			p.Zone, p.DayStartHour = "Europe/Berlin", 6
			if err := tx.SaveProfile(p); err != nil {
				return err
			}
			if p, err = tx.Profile(); err != nil {
				return err
			}
			if p.Zone != u.Timezone || p.DayStartHour != u.DayStartHour {
				t.Errorf("Tx.Profile zone %q, day start %d; want the account's %q, %d", p.Zone, p.DayStartHour, u.Timezone, u.DayStartHour)
			}
			return nil
		})
		if p := b.profile(t, u.ID); p.Zone != u.Timezone || p.DayStartHour != u.DayStartHour {
			t.Errorf("profile zone %q, day start %d; want the account's %q, %d", p.Zone, p.DayStartHour, u.Timezone, u.DayStartHour)
		}
	})
	scenario(t, open, "PracticeUsers pages through the people with a profile, each once", func(t *testing.T, b bundle) {
		var want []string
		for i := range 5 {
			u := b.addUser(t, fmt.Sprintf("u%d@example.org", i))
			if i == 2 {
				continue // never practised
			}
			b.write(t, u.ID, func(tx practice.Tx) error { return nil })
			want = append(want, u.ID)
		}
		slices.Sort(want)
		var got []string
		after := ""
		for range 10 {
			ids, err := b.store.PracticeUsers(b.ctx, after, 2)
			if err != nil {
				t.Fatal(err)
			}
			if len(ids) > 2 {
				t.Fatalf("a page has %d users, limit 2", len(ids))
			}
			if len(ids) == 0 {
				break
			}
			got = append(got, ids...)
			after = ids[len(ids)-1]
		}
		if !slices.Equal(got, want) {
			t.Errorf("paging gave %v, want %v", got, want)
		}
	})
}

func testReceipts(t *testing.T, open Open) {
	scenario(t, open, "a receipt is not found until saved, and a second one for the client id is a conflict", func(t *testing.T, b bundle) {
		u, other := b.addUser(t, "u@example.org"), b.addUser(t, "other@example.org")
		_, err := b.store.Receipt(b.ctx, u.ID, "c1")
		wantCode(t, err, errs.NotFound)
		r := &practice.Receipt{UserID: u.ID, ClientID: "c1", Digest: "sha256:abc", Result: "applied", At: now.In(colombo)}
		b.write(t, u.ID, func(tx practice.Tx) error { return tx.SaveReceipt(r) })
		got, err := b.store.Receipt(b.ctx, u.ID, "c1")
		if err != nil {
			t.Fatal(err)
		}
		wantSame(t, "Receipt", got, r)

		err = b.store.Write(b.ctx, u.ID, func(tx practice.Tx) error {
			return tx.SaveReceipt(&practice.Receipt{UserID: u.ID, ClientID: "c1", Digest: "sha256:def", Result: "rejected", At: now})
		})
		wantCode(t, err, errs.Conflict)
		if got, err := b.store.Receipt(b.ctx, u.ID, "c1"); err != nil || got.Digest != r.Digest {
			t.Errorf("Receipt after the conflict = %+v, %v; want the first", got, err)
		}

		// Client ids are the person's own.
		_, err = b.store.Receipt(b.ctx, other.ID, "c1")
		wantCode(t, err, errs.NotFound)
		b.write(t, other.ID, func(tx practice.Tx) error {
			return tx.SaveReceipt(&practice.Receipt{UserID: other.ID, ClientID: "c1", Digest: "sha256:xyz", Result: "applied", At: now})
		})
	})
}

func testPracticeSessions(t *testing.T, open Open) {
	scenario(t, open, "AddSession records a session once per client id and answers a repeat with the first", func(t *testing.T, b bundle) {
		u, other := b.addUser(t, "u@example.org"), b.addUser(t, "other@example.org")
		e := b.enrol(t, u, b.addPlanToFollow(t, "metta"), nil)
		first := session(practice.Meditation, now.Add(-20*time.Minute).In(colombo), 1200)
		first.UserID, first.EnrollmentID, first.TaskID, first.Note = u.ID, e.ID, catalog.NewID(), "Calm *at last*."
		plain := session(practice.Walking, now.Add(time.Hour), 600)
		plain.UserID = u.ID
		repeat := &practice.Session{
			ID: identity.NewID(), UserID: u.ID, ClientID: first.ClientID, Kind: practice.Chanting,
			StartedAt: now.Add(48 * time.Hour), Seconds: 60, LocalDate: today.AddDays(2), Zone: "Europe/Berlin",
			Note: "again", CreatedAt: now.Add(48 * time.Hour),
		}
		b.write(t, u.ID, func(tx practice.Tx) error {
			for _, s := range []*practice.Session{first, plain} {
				if added, err := tx.AddSession(s); err != nil || !added {
					t.Errorf("AddSession(%s) = %t, %v; want it added", s.Kind, added, err)
				}
			}
			return nil
		})
		want := *first
		b.write(t, u.ID, func(tx practice.Tx) error {
			added, err := tx.AddSession(repeat)
			if err != nil {
				return err
			}
			if added {
				t.Error("AddSession of a known client id added it again")
			}
			return nil
		})
		wantSame(t, "the repeat, answered", repeat, &want)
		x, err := b.store.Export(b.ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantList(t, "sessions", x.Sessions, []practice.Session{want, *plain}, func(s practice.Session) string { return s.ID })

		// Client ids are the person's own.
		theirs := session(practice.Meditation, now, 60)
		theirs.ClientID = first.ClientID
		b.write(t, other.ID, func(tx practice.Tx) error {
			if added, err := tx.AddSession(theirs); err != nil || !added {
				t.Errorf("another person's session with the same client id = %t, %v; want it added", added, err)
			}
			return nil
		})
	})
	scenario(t, open, "a session of no time is invalid", func(t *testing.T, b bundle) {
		u := b.addUser(t, "u@example.org")
		err := b.store.Write(b.ctx, u.ID, func(tx practice.Tx) error {
			_, err := tx.AddSession(session(practice.Meditation, now, 0))
			return err
		})
		wantCode(t, err, errs.Invalid)
	})
}

func testJournal(t *testing.T, open Open) {
	scenario(t, open, "PutJournal writes over the day's entry, and Journal reads it in and out of Write", func(t *testing.T, b bundle) {
		u := b.addUser(t, "u@example.org")
		e := b.enrol(t, u, b.addPlanToFollow(t, "metta"), nil)
		_, err := b.store.Journal(b.ctx, e.ID, 1)
		wantCode(t, err, errs.NotFound)
		wantMessage(t, err, "journal entry not found")
		day1 := &practice.JournalEntry{EnrollmentID: e.ID, Day: 1, Body: "Restless *today*.", UpdatedAt: now.In(colombo), ClientID: "c1"}
		day2 := &practice.JournalEntry{EnrollmentID: e.ID, Day: 2, Body: "Calmer.", UpdatedAt: now.Add(24 * time.Hour), ClientID: "c2"}
		b.write(t, u.ID, func(tx practice.Tx) error {
			if err := tx.PutJournal(day1); err != nil {
				return err
			}
			return tx.PutJournal(day2)
		})
		for _, j := range []*practice.JournalEntry{day1, day2} {
			got, err := b.store.Journal(b.ctx, e.ID, j.Day)
			if err != nil {
				t.Fatal(err)
			}
			wantSame(t, "Journal", got, j)
		}
		rewritten := &practice.JournalEntry{EnrollmentID: e.ID, Day: 1, Body: "Restless, then calm.", UpdatedAt: now.Add(time.Hour), ClientID: "c3"}
		b.write(t, u.ID, func(tx practice.Tx) error {
			if err := tx.PutJournal(rewritten); err != nil {
				return err
			}
			got, err := tx.Journal(e.ID, 1)
			if err != nil {
				return err
			}
			wantSame(t, "Tx.Journal", got, rewritten)
			_, err = tx.Journal(e.ID, 3)
			wantCode(t, err, errs.NotFound)
			return nil
		})
		got, err := b.store.Journal(b.ctx, e.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		wantSame(t, "Journal after writing over it", got, rewritten)
		if n := b.count(t, "journal_entries", "enrollment_id", e.ID); n != 2 {
			t.Errorf("%d journal entries stored, want 2", n)
		}
	})
}

func testPracticeEvents(t *testing.T, open Open) {
	scenario(t, open, "AddEvent ids increase, and Events lists the person's after an id, oldest first", func(t *testing.T, b bundle) {
		u, other := b.addUser(t, "u@example.org"), b.addUser(t, "other@example.org")
		if id, err := b.store.LastEventID(b.ctx, u.ID); err != nil || id != 0 {
			t.Errorf("LastEventID before any event = %d, %v; want 0", id, err)
		}
		var want []practice.Event
		add := func(userID string, n int) {
			t.Helper()
			b.write(t, userID, func(tx practice.Tx) error {
				for range n {
					ev := practice.Event{UserID: userID, Kind: "completion", Data: `{"n":` + strconv.Itoa(len(want)) + `}`,
						At: now.Add(time.Duration(len(want)) * time.Second).In(colombo)}
					id, err := tx.AddEvent(ev.Kind, ev.Data, ev.At)
					if err != nil {
						return err
					}
					if len(want) > 0 && id <= want[len(want)-1].ID {
						t.Errorf("event id %d after %d", id, want[len(want)-1].ID)
					}
					ev.ID = id
					want = append(want, ev)
				}
				return nil
			})
		}
		add(u.ID, 2)
		add(other.ID, 1)
		add(u.ID, 1)
		mine := []practice.Event{want[0], want[1], want[3]}
		for _, c := range []struct {
			after int64
			limit int
			want  []practice.Event
		}{{0, 10, mine}, {mine[0].ID, 10, mine[1:]}, {0, 1, mine[:1]}, {mine[2].ID, 10, nil}} {
			got, err := b.store.Events(b.ctx, u.ID, c.after, c.limit)
			if err != nil {
				t.Fatal(err)
			}
			wantList(t, fmt.Sprintf("Events after %d, limit %d", c.after, c.limit), got, c.want, nil)
		}
		if id, err := b.store.LastEventID(b.ctx, u.ID); err != nil || id != mine[2].ID {
			t.Errorf("LastEventID = %d, %v; want %d", id, err, mine[2].ID)
		}
		if id, err := b.store.LastEventID(b.ctx, other.ID); err != nil || id != want[2].ID {
			t.Errorf("LastEventID of the other person = %d, %v; want %d", id, err, want[2].ID)
		}
	})
	scenario(t, open, "PruneEvents deletes everyone's events from before the cut", func(t *testing.T, b bundle) {
		u, other := b.addUser(t, "u@example.org"), b.addUser(t, "other@example.org")
		ids := map[string][]int64{}
		for _, userID := range []string{u.ID, other.ID} {
			b.write(t, userID, func(tx practice.Tx) error {
				for _, at := range []time.Time{now.Add(-2 * time.Hour), now.Add(-time.Hour), now} {
					id, err := tx.AddEvent("session", "{}", at)
					if err != nil {
						return err
					}
					ids[userID] = append(ids[userID], id)
				}
				return nil
			})
		}
		if n, err := b.store.PruneEvents(b.ctx, now.Add(-time.Hour).In(colombo)); err != nil || n != 2 {
			t.Fatalf("PruneEvents = %d, %v; want 2", n, err)
		}
		if n, err := b.store.PruneEvents(b.ctx, now.Add(-time.Hour)); err != nil || n != 0 {
			t.Errorf("PruneEvents again = %d, %v; want 0", n, err)
		}
		for userID, want := range ids {
			got, err := b.store.Events(b.ctx, userID, 0, 10)
			if err != nil {
				t.Fatal(err)
			}
			var gotIDs []int64
			for _, ev := range got {
				gotIDs = append(gotIDs, ev.ID)
			}
			if !slices.Equal(gotIDs, want[1:]) {
				t.Errorf("events left = %v, want %v", gotIDs, want[1:])
			}
		}
	})
}

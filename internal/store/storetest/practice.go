package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/identity"
	"github.com/dharmaplans/dharmaplans/internal/practice"
)

// today is the date of now in Colombo, the zone of newUser.
var today = practice.MustDate("2026-11-25")

// newEnrollment returns an active daily enrolment of u in p, in its first
// cycle from today, with what is read with an enrolment filled in.
func newEnrollment(u *identity.User, p *catalog.Plan) *practice.Enrollment {
	return &practice.Enrollment{
		ID: identity.NewID(), UserID: u.ID, PlanID: p.ID, Status: practice.Active, Pace: practice.Daily,
		StartDate: today, AnchorDate: today, AnchorDay: 1, ReminderTime: "07:30", Cycle: 1,
		CreatedAt: now, UpdatedAt: now,
		PlanSlug: p.Slug, PlanStatus: p.Status, PlanRevision: p.PublishedRevisionID, Zone: u.Timezone, DayStartHour: u.DayStartHour,
	}
}

// enrol stores an enrolment of u in p, changed by change first (when not
// nil), and returns it as it should read back.
func (b bundle) enrol(t *testing.T, u *identity.User, p *catalog.Plan, change func(e *practice.Enrollment)) *practice.Enrollment {
	t.Helper()
	e := newEnrollment(u, p)
	if change != nil {
		change(e)
	}
	if err := b.store.CreateEnrollment(b.ctx, e); err != nil {
		t.Fatalf("CreateEnrollment(%s in %s): %v", u.Email, p.Slug, err)
	}
	return e
}

// addPlanToFollow stores a published plan with slug and three days.
func (b bundle) addPlanToFollow(t *testing.T, slug string) *catalog.Plan {
	t.Helper()
	p, _ := b.addPublished(t, slug, 3, now.Add(-24*time.Hour), nil)
	return p
}

// write runs fn in a Write for userID and fails t if it fails. fn returns
// its errors rather than calling t.Fatal, which would leave the
// transaction open.
func (b bundle) write(t *testing.T, userID string, fn func(tx practice.Tx) error) {
	t.Helper()
	if err := b.store.Write(b.ctx, userID, fn); err != nil {
		t.Fatalf("Write: %v", err)
	}
}

// wantEnrollment checks that userID's enrolment want.ID reads back as want.
func (b bundle) wantEnrollment(t *testing.T, what string, want *practice.Enrollment) {
	t.Helper()
	got, err := b.store.Enrollment(b.ctx, want.UserID, want.ID)
	if err != nil {
		t.Fatalf("%s: Enrollment: %v", what, err)
	}
	wantSame(t, what, got, want)
}

func enrollmentIDs(list []*practice.Enrollment) []string {
	ids := []string{}
	for _, e := range list {
		ids = append(ids, e.ID)
	}
	return ids
}

// finishDay records day of e's current cycle as finished at at, on the
// person's date of at in Colombo.
func finishDay(tx practice.Tx, e *practice.Enrollment, day int, at time.Time) error {
	return tx.SetDayCompletion(e.ID, e.Cycle, day, dayCompletion(e, e.Cycle, day, at))
}

// dayCompletion returns day of e's cycle finished at at in Colombo.
func dayCompletion(e *practice.Enrollment, cycle, day int, at time.Time) *practice.DayCompletion {
	return &practice.DayCompletion{
		EnrollmentID: e.ID, Cycle: cycle, Day: day, UserID: e.UserID,
		At: at, LocalDate: practice.LocalDate(at, colombo, 0), Zone: "Asia/Colombo",
	}
}

func testEnrollments(t *testing.T, open Open) {
	scenario(t, open, "an enrolment reads back every field with its plan's slug and its owner's zone and day start, in UTC", func(t *testing.T, b bundle) {
		u := newUser("tara@example.org")
		u.Timezone, u.DayStartHour = "Asia/Tokyo", 4
		if err := b.store.CreateUser(b.ctx, u); err != nil {
			t.Fatal(err)
		}
		metta, anapana := b.addPlanToFollow(t, "metta"), b.addPlanToFollow(t, "anapanasati")
		paused := b.enrol(t, u, metta, func(e *practice.Enrollment) {
			e.Status, e.Pace, e.PerWeek = practice.Paused, practice.NPerWeek, 3
			e.StartDate, e.AnchorDate, e.AnchorDay = today.AddDays(-10), today.AddDays(-3), 4
			e.PausedOn = new(today.AddDays(-1))
			e.ReminderTime, e.Cycle = "21:15", 2
			e.CreatedAt, e.UpdatedAt = now.Add(-240*time.Hour).In(colombo), now.In(colombo)
		})
		completed := b.enrol(t, u, anapana, func(e *practice.Enrollment) {
			e.Status, e.Pace, e.ReminderTime = practice.Completed, practice.SelfPaced, ""
			e.CompletedAt = ptr(now.Add(time.Microsecond).In(colombo))
		})
		b.wantEnrollment(t, "paused enrolment", paused)
		b.wantEnrollment(t, "completed enrolment", completed)
		cur, err := b.store.CurrentEnrollment(b.ctx, u.ID, metta.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantSame(t, "CurrentEnrollment", cur, paused)
		b.write(t, u.ID, func(tx practice.Tx) error {
			got, err := tx.Enrollment(completed.ID)
			if err != nil {
				return err
			}
			wantSame(t, "Tx.Enrollment", got, completed)
			return nil
		})
	})
	scenario(t, open, "someone else's enrolment is not found, to read or to change", func(t *testing.T, b bundle) {
		u, other := b.addUser(t, "u@example.org"), b.addUser(t, "other@example.org")
		e := b.enrol(t, u, b.addPlanToFollow(t, "metta"), nil)
		_, err := b.store.Enrollment(b.ctx, other.ID, e.ID)
		wantCode(t, err, errs.NotFound)
		wantMessage(t, err, "enrollment not found")
		_, err = b.store.Enrollment(b.ctx, u.ID, identity.NewID())
		wantCode(t, err, errs.NotFound)
		err = b.store.Write(b.ctx, other.ID, func(tx practice.Tx) error {
			_, err := tx.Enrollment(e.ID)
			wantCode(t, err, errs.NotFound)
			changed := *e
			changed.Status = practice.Abandoned
			return tx.UpdateEnrollment(&changed)
		})
		wantCode(t, err, errs.NotFound)
		b.wantEnrollment(t, "after someone else's change", e)
	})
	scenario(t, open, "WriteEnrollment reads the enrolment with the lock, then what the transaction changed; someone else's is not found", func(t *testing.T, b bundle) {
		u := b.addUser(t, "u@example.org")
		e := b.enrol(t, u, b.addPlanToFollow(t, "metta"), nil)
		for _, what := range []string{"before the person has a profile", "with a profile"} {
			err := b.store.WriteEnrollment(b.ctx, u.ID, e.ID, func(tx practice.Tx) error {
				if p, err := tx.Profile(); err != nil || p.UserID != u.ID {
					t.Errorf("%s: Profile = %+v, %v", what, p, err)
				}
				got, err := tx.Enrollment(e.ID)
				if err != nil {
					return err
				}
				wantSame(t, what, got, e)
				changed := *got
				changed.Status, changed.UpdatedAt = practice.Paused, now.Add(time.Hour)
				changed.PausedOn = &today
				if err := tx.UpdateEnrollment(&changed); err != nil {
					return err
				}
				again, err := tx.Enrollment(e.ID)
				if err != nil {
					return err
				}
				if again.Status != practice.Paused {
					t.Errorf("%s: a second read in the transaction does not see its change: %s", what, again.Status)
				}
				return tx.UpdateEnrollment(e) // as it was, for the next round
			})
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
		}
		stranger := b.addUser(t, "stranger@example.org")
		err := b.store.WriteEnrollment(b.ctx, stranger.ID, e.ID, func(tx practice.Tx) error {
			_, err := tx.Enrollment(e.ID)
			return err
		})
		if !errs.Is(err, errs.NotFound) {
			t.Errorf("someone else's enrolment: %v, want NotFound", err)
		}
	})
	scenario(t, open, "UpdateEnrollment saves every field it is given", func(t *testing.T, b bundle) {
		u := b.addUser(t, "u@example.org")
		e := b.enrol(t, u, b.addPlanToFollow(t, "metta"), func(e *practice.Enrollment) {
			e.Status, e.PausedOn = practice.Paused, new(today)
		})
		changed := *e
		changed.Status, changed.Pace, changed.PerWeek = practice.Completed, practice.Weekdays, 0
		changed.StartDate, changed.AnchorDate, changed.AnchorDay = today.AddDays(1), today.AddDays(2), 3
		changed.PausedOn, changed.ReminderTime, changed.Cycle = nil, "06:00", 2
		changed.CompletedAt, changed.UpdatedAt = ptr(now.Add(time.Hour).In(colombo)), now.Add(time.Hour)
		// Read with an enrolment, never written through it.
		changed.PlanSlug, changed.Zone, changed.DayStartHour, changed.DaysDone, changed.Done = "other", "Europe/Berlin", 5, 9, []int{7}
		changed.PlanStatus, changed.PlanRevision = catalog.Archived, identity.NewID()
		b.write(t, u.ID, func(tx practice.Tx) error { return tx.UpdateEnrollment(&changed) })
		want := changed
		want.PlanSlug, want.Zone, want.DayStartHour, want.DaysDone, want.Done = e.PlanSlug, e.Zone, e.DayStartHour, 0, nil
		want.PlanStatus, want.PlanRevision = e.PlanStatus, e.PlanRevision
		b.wantEnrollment(t, "after UpdateEnrollment", &want)
	})
	scenario(t, open, "DaysDone counts the finished days of the current cycle only", func(t *testing.T, b bundle) {
		u := b.addUser(t, "u@example.org")
		e := b.enrol(t, u, b.addPlanToFollow(t, "metta"), nil)
		b.write(t, u.ID, func(tx practice.Tx) error {
			if err := finishDay(tx, e, 1, now); err != nil {
				return err
			}
			return finishDay(tx, e, 2, now.Add(time.Hour))
		})
		e.DaysDone, e.Done = 2, []int{1, 2}
		b.wantEnrollment(t, "two days finished", e)

		e.Cycle, e.DaysDone, e.Done = 2, 0, nil
		b.write(t, u.ID, func(tx practice.Tx) error { return tx.UpdateEnrollment(e) })
		b.wantEnrollment(t, "restarted", e)
		b.write(t, u.ID, func(tx practice.Tx) error { return finishDay(tx, e, 1, now.Add(48*time.Hour)) })
		e.DaysDone, e.Done = 1, []int{1}
		b.wantEnrollment(t, "one day finished in the new cycle", e)
		list, err := b.store.ListEnrollments(b.ctx, u.ID, nil, "", 10)
		if err != nil || len(list) != 1 {
			t.Fatalf("ListEnrollments = %v, %v; want the enrolment", list, err)
		}
		wantSame(t, "listed enrolment", list[0], e)
	})
	scenario(t, open, "a person has at most one active or paused enrolment per plan", func(t *testing.T, b bundle) {
		u, other := b.addUser(t, "u@example.org"), b.addUser(t, "other@example.org")
		metta, zazen := b.addPlanToFollow(t, "metta"), b.addPlanToFollow(t, "zazen")
		first := b.enrol(t, u, metta, nil)
		for _, status := range []practice.Status{practice.Active, practice.Paused} {
			second := newEnrollment(u, metta)
			second.Status = status
			wantCode(t, b.store.CreateEnrollment(b.ctx, second), errs.Conflict)
		}
		// Other plans and other people are free.
		b.enrol(t, u, zazen, nil)
		b.enrol(t, other, metta, nil)
		// Completed or abandoned ones do not count.
		b.enrol(t, u, metta, func(e *practice.Enrollment) { e.Status = practice.Completed })

		first.Status, first.CompletedAt = practice.Completed, ptr(now)
		b.write(t, u.ID, func(tx practice.Tx) error { return tx.UpdateEnrollment(first) })
		again := b.enrol(t, u, metta, nil)
		cur, err := b.store.CurrentEnrollment(b.ctx, u.ID, metta.ID)
		if err != nil || cur.ID != again.ID {
			t.Fatalf("CurrentEnrollment = %v, %v; want the new enrolment %s", cur, err, again.ID)
		}
		again.Status = practice.Abandoned
		b.write(t, u.ID, func(tx practice.Tx) error { return tx.UpdateEnrollment(again) })
		third := b.enrol(t, u, metta, func(e *practice.Enrollment) { e.Status = practice.Paused })

		// Taking up an old one while another is current is a conflict too.
		err = b.store.Write(b.ctx, u.ID, func(tx practice.Tx) error {
			first.Status, first.CompletedAt = practice.Active, nil
			return tx.UpdateEnrollment(first)
		})
		wantCode(t, err, errs.Conflict)
		cur, err = b.store.CurrentEnrollment(b.ctx, u.ID, metta.ID)
		if err != nil || cur.ID != third.ID {
			t.Fatalf("CurrentEnrollment = %v, %v; want the paused enrolment %s", cur, err, third.ID)
		}
	})
	scenario(t, open, "CurrentEnrollment finds only an active or paused enrolment", func(t *testing.T, b bundle) {
		u := b.addUser(t, "u@example.org")
		metta := b.addPlanToFollow(t, "metta")
		_, err := b.store.CurrentEnrollment(b.ctx, u.ID, metta.ID)
		wantCode(t, err, errs.NotFound)
		b.enrol(t, u, metta, func(e *practice.Enrollment) { e.Status = practice.Completed })
		b.enrol(t, u, metta, func(e *practice.Enrollment) { e.Status = practice.Abandoned })
		_, err = b.store.CurrentEnrollment(b.ctx, u.ID, metta.ID)
		wantCode(t, err, errs.NotFound)
	})
	scenario(t, open, "EnrolledIn counts every enrolment but an abandoned one", func(t *testing.T, b bundle) {
		u := b.addUser(t, "u@example.org")
		enrolled := func(p *catalog.Plan) bool {
			t.Helper()
			ok, err := b.store.EnrolledIn(b.ctx, u.ID, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		for i, status := range practice.Statuses {
			p := b.addPlanToFollow(t, fmt.Sprintf("plan-%d", i))
			if enrolled(p) {
				t.Errorf("enrolled in %s before enrolling", p.Slug)
			}
			b.enrol(t, u, p, func(e *practice.Enrollment) { e.Status = status })
			if want := status != practice.Abandoned; enrolled(p) != want {
				t.Errorf("EnrolledIn with a %s enrolment = %t, want %t", status, !want, want)
			}
		}
		left := b.addPlanToFollow(t, "left-then-back")
		b.enrol(t, u, left, func(e *practice.Enrollment) { e.Status = practice.Abandoned })
		b.enrol(t, u, left, nil)
		if !enrolled(left) {
			t.Error("not enrolled after coming back to a plan once left")
		}
	})
	scenario(t, open, "CountCompleted counts the person's completed enrolments", func(t *testing.T, b bundle) {
		u, other := b.addUser(t, "u@example.org"), b.addUser(t, "other@example.org")
		count := func(want int) {
			t.Helper()
			if n, err := b.store.CountCompleted(b.ctx, u.ID); err != nil || n != want {
				t.Errorf("CountCompleted = %d, %v; want %d", n, err, want)
			}
		}
		count(0)
		metta := b.addPlanToFollow(t, "metta")
		for i, status := range practice.Statuses {
			b.enrol(t, u, b.addPlanToFollow(t, fmt.Sprintf("plan-%d", i)), func(e *practice.Enrollment) { e.Status = status })
		}
		b.enrol(t, u, metta, func(e *practice.Enrollment) { e.Status = practice.Completed })
		b.enrol(t, other, metta, func(e *practice.Enrollment) { e.Status = practice.Completed })
		count(2)
	})
	scenario(t, open, "an enrolment in an unknown plan or of an unknown user is invalid", func(t *testing.T, b bundle) {
		u, metta := b.addUser(t, "u@example.org"), b.addPlanToFollow(t, "metta")
		noPlan := newEnrollment(u, metta)
		noPlan.PlanID = catalog.NewID()
		wantCode(t, b.store.CreateEnrollment(b.ctx, noPlan), errs.Invalid)
		noUser := newEnrollment(newUser("ghost@example.org"), metta)
		wantCode(t, b.store.CreateEnrollment(b.ctx, noUser), errs.Invalid)
	})
}

func testListEnrollments(t *testing.T, open Open) {
	// newestFirst sorts enrolment ids as ListEnrollments lists them.
	newestFirst := func(ids ...string) []string {
		slices.Sort(ids)
		slices.Reverse(ids)
		return ids
	}
	scenario(t, open, "ListEnrollments lists the person's enrolments newest first, with the statuses asked for", func(t *testing.T, b bundle) {
		u, other := b.addUser(t, "u@example.org"), b.addUser(t, "other@example.org")
		byStatus := map[practice.Status][]string{}
		var all []string
		for i, status := range append(practice.Statuses, practice.Completed) {
			e := b.enrol(t, u, b.addPlanToFollow(t, fmt.Sprintf("plan-%d", i)), func(e *practice.Enrollment) { e.Status = status })
			byStatus[status] = append(byStatus[status], e.ID)
			all = append(all, e.ID)
		}
		b.enrol(t, other, b.addPlanToFollow(t, "theirs"), nil)
		for _, c := range []struct {
			name     string
			statuses []practice.Status
			want     []string
		}{
			{"every status", nil, newestFirst(all...)},
			{"completed", []practice.Status{practice.Completed}, newestFirst(byStatus[practice.Completed]...)},
			{"active or paused", []practice.Status{practice.Active, practice.Paused},
				newestFirst(append(byStatus[practice.Active], byStatus[practice.Paused]...)...)},
			{"abandoned", []practice.Status{practice.Abandoned}, byStatus[practice.Abandoned]},
		} {
			list, err := b.store.ListEnrollments(b.ctx, u.ID, c.statuses, "", 10)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if got := enrollmentIDs(list); !slices.Equal(got, c.want) {
				t.Errorf("%s: ListEnrollments = %v, want %v", c.name, got, c.want)
			}
		}
		list, err := b.store.ListEnrollments(b.ctx, identity.NewID(), nil, "", 10)
		if err != nil || list == nil || len(list) != 0 {
			t.Errorf("ListEnrollments of a stranger = %#v, %v; want an empty list", list, err)
		}
	})
	scenario(t, open, "ListEnrollments pages newest first after an id, each enrolment once", func(t *testing.T, b bundle) {
		u := b.addUser(t, "u@example.org")
		metta := b.addPlanToFollow(t, "metta")
		var all, completed []string
		for i := range 7 {
			e := b.enrol(t, u, metta, func(e *practice.Enrollment) {
				e.Status = practice.Completed
				if i%3 == 0 {
					e.Status = practice.Abandoned
				}
			})
			all = append(all, e.ID)
			if e.Status == practice.Completed {
				completed = append(completed, e.ID)
			}
		}
		page := func(statuses []practice.Status) []string {
			t.Helper()
			var got []string
			after := ""
			for range 10 {
				list, err := b.store.ListEnrollments(b.ctx, u.ID, statuses, after, 2)
				if err != nil {
					t.Fatal(err)
				}
				if len(list) > 2 {
					t.Fatalf("a page has %d enrolments, limit 2", len(list))
				}
				if len(list) == 0 {
					return got
				}
				got = append(got, enrollmentIDs(list)...)
				after = list[len(list)-1].ID
			}
			t.Fatal("paging did not end")
			return nil
		}
		if got, want := page(nil), newestFirst(all...); !slices.Equal(got, want) {
			t.Errorf("paging gave %v, want %v", got, want)
		}
		if got, want := page([]practice.Status{practice.Completed}), newestFirst(completed...); !slices.Equal(got, want) {
			t.Errorf("paging the completed gave %v, want %v", got, want)
		}
	})
}

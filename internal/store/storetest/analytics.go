package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/analytics"
	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/identity"
	"github.com/dharmaplans/dharmaplans/internal/practice"
)

// statsToday is the UTC midnight that starts the day of now.
var statsToday = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

// statsWeek is the week up to and including now's UTC day.
var statsWeek = analytics.Window{From: statsToday.AddDate(0, 0, -6), To: statsToday.AddDate(0, 0, 1)}

// utcDay is the UTC midnight n days after statsToday (before, when n < 0)
// plus d.
func utcDay(n int, d time.Duration) time.Time { return statsToday.AddDate(0, 0, n).Add(d) }

// addUserAt stores a user with email created at, changed by change first.
func (b bundle) addUserAt(t *testing.T, email string, at time.Time, change func(u *identity.User)) *identity.User {
	t.Helper()
	u := newUser(email)
	u.CreatedAt, u.UpdatedAt = at, at
	if change != nil {
		change(u)
	}
	if err := b.store.CreateUser(b.ctx, u); err != nil {
		t.Fatalf("CreateUser(%s): %v", email, err)
	}
	return u
}

// tick records target as done by u's enrolment e at at.
func (b bundle) tick(t *testing.T, e *practice.Enrollment, at time.Time) {
	t.Helper()
	b.write(t, e.UserID, func(tx practice.Tx) error {
		return setCompletion(tx, completion(e, "item", identity.NewID(), 1, at))
	})
}

func testAnalytics(t *testing.T, open Open) {
	scenario(t, open, "users are counted by role, with the new ones of the window and the disabled ones", func(t *testing.T, b bundle) {
		b.addUserAt(t, "old@example.org", statsWeek.From.Add(-time.Microsecond), nil)
		b.addUserAt(t, "first@example.org", statsWeek.From, nil)
		b.addUserAt(t, "author@example.org", utcDay(-2, time.Hour), func(u *identity.User) { u.Role = identity.RoleAuthor })
		b.addUserAt(t, "admin@example.org", utcDay(-30, 0), func(u *identity.User) { u.Role = identity.RoleAdmin })
		b.addUserAt(t, "gone@example.org", utcDay(0, time.Hour), func(u *identity.User) { u.DisabledAt = ptr(now) })
		b.addUserAt(t, "tomorrow@example.org", statsWeek.To, nil) // a clock ahead: not in the window
		got, err := b.store.StatsUsers(b.ctx, statsWeek)
		if err != nil {
			t.Fatal(err)
		}
		want := analytics.Users{Total: 6, New: 3, Readers: 4, Authors: 1, Admins: 1, Disabled: 1}
		if got != want {
			t.Errorf("StatsUsers = %+v, want %+v", got, want)
		}
	})

	scenario(t, open, "an empty database counts zeros", func(t *testing.T, b bundle) {
		users, err := b.store.StatsUsers(b.ctx, statsWeek)
		if err != nil || users != (analytics.Users{}) {
			t.Errorf("StatsUsers = %+v, %v", users, err)
		}
		active, err := b.store.StatsActive(b.ctx, analytics.ActiveWindows{Today: statsToday, Week: statsWeek.From, Month: utcDay(-29, 0), End: statsWeek.To})
		if err != nil || active != (analytics.Active{}) {
			t.Errorf("StatsActive = %+v, %v", active, err)
		}
		series, err := b.store.StatsSeries(b.ctx, statsWeek)
		if err != nil || len(series) != 0 {
			t.Errorf("StatsSeries = %+v, %v", series, err)
		}
		top, err := b.store.StatsTopPlans(b.ctx, statsWeek, 10)
		if err != nil || len(top) != 0 {
			t.Errorf("StatsTopPlans = %+v, %v", top, err)
		}
		plans, err := b.store.StatsPlans(b.ctx)
		if err != nil || plans != (analytics.Plans{}) {
			t.Errorf("StatsPlans = %+v, %v", plans, err)
		}
	})

	scenario(t, open, "active practitioners are the distinct people who ticked or practised in each span of UTC days", func(t *testing.T, b bundle) {
		plan := b.addPlanToFollow(t, "metta")
		person := func(name string) (*identity.User, *practice.Enrollment) {
			u := b.addUser(t, name+"@example.org")
			return u, b.enrol(t, u, plan, nil)
		}
		_, ticksToday := person("today")
		b.tick(t, ticksToday, utcDay(0, 10*time.Minute))
		b.tick(t, ticksToday, utcDay(0, 20*time.Minute)) // twice: one person
		both, bothE := person("both")
		b.tick(t, bothE, utcDay(0, time.Hour))
		b.addSessions(t, both.ID, session(practice.Meditation, utcDay(0, 2*time.Hour), 600))
		// 23:30 UTC yesterday is this morning in Colombo, but yesterday here.
		late, _ := person("late")
		b.addSessions(t, late.ID, session(practice.Meditation, utcDay(0, -30*time.Minute), 600))
		_, weekAgo := person("week")
		b.tick(t, weekAgo, statsWeek.From)
		_, monthAgo := person("month")
		b.tick(t, monthAgo, utcDay(-29, 0))
		longAgo, _ := person("long")
		b.addSessions(t, longAgo.ID, session(practice.Walking, utcDay(-29, -time.Microsecond), 600))
		_, ahead := person("ahead") // a clock in the future
		b.tick(t, ahead, statsWeek.To)
		person("idle")

		got, err := b.store.StatsActive(b.ctx, analytics.ActiveWindows{Today: statsToday, Week: statsWeek.From, Month: utcDay(-29, 0), End: statsWeek.To})
		if err != nil {
			t.Fatal(err)
		}
		want := analytics.Active{Today: 2, Week: 4, Month: 5}
		if got != want {
			t.Errorf("StatsActive = %+v, want %+v", got, want)
		}
	})

	scenario(t, open, "the series counts each UTC day's enrolments, completions, ticks, practice and new users", func(t *testing.T, b bundle) {
		plan := b.addPlanToFollow(t, "metta")
		other := b.addPlanToFollow(t, "anapanasati")
		// Created in the window's first second, and in its last.
		u := b.addUserAt(t, "u@example.org", statsWeek.From, nil)
		v := b.addUserAt(t, "v@example.org", statsWeek.To.Add(-time.Microsecond), nil)
		b.addUserAt(t, "before@example.org", statsWeek.From.Add(-time.Second), nil)
		e := b.enrol(t, u, plan, func(e *practice.Enrollment) {
			e.CreatedAt = utcDay(-6, 23*time.Hour+59*time.Minute) // 05:29 the next day in Colombo
			e.Status, e.CompletedAt = practice.Completed, ptr(utcDay(-1, 12*time.Hour))
		})
		b.enrol(t, v, plan, func(e *practice.Enrollment) { e.CreatedAt = utcDay(0, time.Hour) })
		b.enrol(t, u, other, func(e *practice.Enrollment) { e.CreatedAt = utcDay(0, 2*time.Hour) })
		b.enrol(t, v, other, func(e *practice.Enrollment) { e.CreatedAt = utcDay(-7, 0) }) // before the window
		b.tick(t, e, utcDay(-3, time.Hour))
		b.tick(t, e, utcDay(-3, 2*time.Hour))
		b.tick(t, e, utcDay(-2, 23*time.Hour))
		b.addSessions(t, u.ID, session(practice.Meditation, utcDay(-3, 3*time.Hour), 1200),
			session(practice.Chanting, utcDay(-3, 4*time.Hour), 150), session(practice.Walking, utcDay(-9, 0), 999))

		got, err := b.store.StatsSeries(b.ctx, statsWeek)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]analytics.DayCounts{
			"2026-11-19": {Date: "2026-11-19", Enrollments: 1, NewUsers: 1},
			"2026-11-22": {Date: "2026-11-22", Ticks: 2, PracticeSeconds: 1350},
			"2026-11-23": {Date: "2026-11-23", Ticks: 1},
			"2026-11-24": {Date: "2026-11-24", Completions: 1},
			"2026-11-25": {Date: "2026-11-25", Enrollments: 2, NewUsers: 1},
		}
		byDate := map[string]analytics.DayCounts{}
		for _, d := range got {
			if _, twice := byDate[d.Date]; twice {
				t.Errorf("%s comes twice", d.Date)
			}
			byDate[d.Date] = d
		}
		if len(byDate) != len(want) {
			t.Errorf("days counted: %v, want %d days", got, len(want))
		}
		for date, w := range want {
			if byDate[date] != w {
				t.Errorf("%s: %+v, want %+v", date, byDate[date], w)
			}
		}
	})

	scenario(t, open, "top plans are the published ones most enrolled in during the window, with their readers of all time", func(t *testing.T, b bundle) {
		metta, mettaR := b.addPublished(t, "metta", 3, now.Add(-90*24*time.Hour), func(r *catalog.Revision) { r.Title = "Loving-kindness" })
		anapana, _ := b.addPublished(t, "anapanasati", 3, now.Add(-90*24*time.Hour), nil)
		quiet, _ := b.addPublished(t, "quiet", 3, now.Add(-90*24*time.Hour), nil)
		archived, _ := b.addPublished(t, "archived", 3, now.Add(-90*24*time.Hour), nil)
		archived.Status = catalog.Archived
		if err := b.store.ChangeState(b.ctx, archived); err != nil {
			t.Fatal(err)
		}
		people := make([]*identity.User, 6)
		for i := range people {
			people[i] = b.addUser(t, fmt.Sprintf("reader%d@example.org", i))
		}
		inWindow := func(e *practice.Enrollment) { e.CreatedAt = utcDay(-1, 0) }
		// metta: three enrolments in the window (one paused), and two
		// earlier ones, finished, one of them since restarted elsewhere.
		b.enrol(t, people[0], metta, inWindow)
		b.enrol(t, people[1], metta, inWindow)
		b.enrol(t, people[2], metta, func(e *practice.Enrollment) { inWindow(e); e.Status = practice.Paused; e.PausedOn = new(today) })
		for _, u := range people[3:5] {
			b.enrol(t, u, metta, func(e *practice.Enrollment) {
				e.CreatedAt, e.Status, e.CompletedAt = utcDay(-60, 0), practice.Completed, ptr(utcDay(-40, 0))
			})
		}
		b.enrol(t, people[5], metta, func(e *practice.Enrollment) { e.CreatedAt, e.Status = utcDay(-60, 0), practice.Abandoned })
		// anapanasati: one in the window, one before.
		b.enrol(t, people[0], anapana, inWindow)
		b.enrol(t, people[1], anapana, func(e *practice.Enrollment) { e.CreatedAt = utcDay(-8, 0) })
		// quiet: none in the window; archived: many, but not in the catalogue.
		b.enrol(t, people[2], quiet, func(e *practice.Enrollment) { e.CreatedAt = utcDay(-8, 0) })
		for _, u := range people[:4] {
			b.enrol(t, u, archived, inWindow)
		}

		got, err := b.store.StatsTopPlans(b.ctx, statsWeek, 10)
		if err != nil {
			t.Fatal(err)
		}
		want := []analytics.TopPlan{
			{ID: metta.ID, Slug: "metta", Title: mettaR.Title, WindowEnrollments: 3, Enrollments: 6, Completions: 2, ActiveReaders: 2},
			{ID: anapana.ID, Slug: "anapanasati", Title: "Mindfulness of Breathing", WindowEnrollments: 1, Enrollments: 2, Completions: 0, ActiveReaders: 2},
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("StatsTopPlans =\n%+v\nwant\n%+v", got, want)
		}
		got, err = b.store.StatsTopPlans(b.ctx, statsWeek, 1)
		if err != nil || len(got) != 1 || got[0].ID != metta.ID {
			t.Errorf("StatsTopPlans(limit 1) = %+v, %v; want metta alone", got, err)
		}
	})

	scenario(t, open, "plans are counted by status, and the review queue holds every revision in review", func(t *testing.T, b bundle) {
		draft, draftR := newPlan("draft", 1)
		b.addPlan(t, draft, draftR)
		review, reviewR := newPlan("in-review", 1)
		review.Status, reviewR.State = catalog.InReview, catalog.RevisionInReview
		b.addPlan(t, review, reviewR)
		published, _ := b.addPublished(t, "published", 1, now, nil)
		b.addPublished(t, "also-published", 1, now, nil)
		// A published plan whose next revision waits for review.
		b.addWorking(t, published, func(r *catalog.Revision) { r.State = catalog.RevisionInReview })
		archived, _ := b.addPublished(t, "archived", 1, now, nil)
		archived.Status = catalog.Archived
		if err := b.store.ChangeState(b.ctx, archived); err != nil {
			t.Fatal(err)
		}
		got, err := b.store.StatsPlans(b.ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := analytics.Plans{Draft: 1, InReview: 1, Published: 2, Archived: 1, ReviewQueue: 2}
		if got != want {
			t.Errorf("StatsPlans = %+v, want %+v", got, want)
		}
	})
}

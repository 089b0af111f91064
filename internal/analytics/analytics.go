// Package analytics computes the numbers of the admin panel's dashboard:
// how many people use Dharma Plans and how, how much they practise day by
// day, which plans are read most, and how much is waiting for review.
//
// Everything is counted from the rows the other features keep (users,
// enrolments, completions, practice sessions, plans); nothing is stored
// here. Days are UTC days: one dashboard serves admins in every time zone,
// and a person's own calendar would put one moment on two dates.
package analytics

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/identity"
)

// The span of the day-by-day series, in UTC days ending today.
const (
	DefaultDays = 30
	MinDays     = 7
	MaxDays     = 365
)

// TopPlansLimit is how many plans the top list holds.
const TopPlansLimit = 10

// Overview is the dashboard: every number at one moment.
type Overview struct {
	// GeneratedAt is when the numbers were counted.
	GeneratedAt time.Time
	// Days is how many UTC days the series spans, today included; "in the
	// window" means in those days.
	Days int
	// From is the window's first UTC day (YYYY-MM-DD) and To its last,
	// today.
	From, To string
	Users    Users
	Active   Active
	// Series holds one entry per UTC day of the window, oldest first, days
	// without activity included with zeros.
	Series []DayCounts
	// TopPlans are the published plans with the most enrolments in the
	// window, most first; plans nobody enrolled in during the window are
	// not listed.
	TopPlans []TopPlan
	Plans    Plans
}

// Users counts accounts.
type Users struct {
	Total int
	// New were created in the window.
	New int
	// By role.
	Readers, Authors, Admins int
	// Disabled may not sign in.
	Disabled int
}

// Active counts practitioners: distinct people who marked an item or task
// of a plan done, or logged a practice session, today (UTC), in the last 7
// UTC days and in the last 30, today included.
type Active struct {
	Today, Week, Month int
}

// DayCounts is what happened on one UTC day.
type DayCounts struct {
	Date string // YYYY-MM-DD
	// Enrollments were started that day.
	Enrollments int
	// Completions are enrolments finished that day (every day of the plan
	// done).
	Completions int
	// Ticks are items and tasks marked done that day, as they stand now
	// (a mark taken back is not counted).
	Ticks int
	// PracticeSeconds is the length of the practice sessions begun that
	// day.
	PracticeSeconds int64
	// NewUsers are accounts created that day.
	NewUsers int
}

// PracticeMinutes is PracticeSeconds in whole minutes.
func (d DayCounts) PracticeMinutes() int64 { return d.PracticeSeconds / 60 }

// TopPlan is a published plan in the top list.
type TopPlan struct {
	ID, Slug, Title string
	// WindowEnrollments are the enrolments started in the window.
	WindowEnrollments int
	// Enrollments, Completions and ActiveReaders are of all time:
	// enrolments ever started, enrolments finished, and enrolments being
	// followed now (neither paused, finished nor left).
	Enrollments, Completions, ActiveReaders int
}

// Plans counts plans by status, and the review queue: revisions sent to
// review and not yet decided, of new plans and of published ones alike.
type Plans struct {
	Draft, InReview, Published, Archived int
	ReviewQueue                          int
}

// Window is the span of time a store counts in: from its start up to, not
// including, its end.
type Window struct {
	From, To time.Time
}

// ActiveWindows are the starts of the three spans of Active, which all end
// at End.
type ActiveWindows struct {
	Today, Week, Month, End time.Time
}

// Store counts. Every method reads only.
type Store interface {
	// StatsUsers counts users, New being those created in w.
	StatsUsers(ctx context.Context, w Window) (Users, error)
	// StatsActive counts distinct people who marked a target done (by the
	// completion's time) or began a practice session in each window.
	StatsActive(ctx context.Context, w ActiveWindows) (Active, error)
	// StatsSeries returns the counts of each UTC day in w that had any,
	// in any order.
	StatsSeries(ctx context.Context, w Window) ([]DayCounts, error)
	// StatsTopPlans returns up to limit published plans with the most
	// enrolments started in w (at least one), most first, ties by id.
	StatsTopPlans(ctx context.Context, w Window, limit int) ([]TopPlan, error)
	// StatsPlans counts plans by status and the revisions in review.
	StatsPlans(ctx context.Context) (Plans, error)
}

// Deps are what the Service needs.
type Deps struct {
	Store Store
	// Now is the clock; nil means time.Now.
	Now    func() time.Time
	Logger *slog.Logger
}

// Service computes the dashboard.
type Service struct {
	store  Store
	now    func() time.Time
	logger *slog.Logger
}

// NewService returns a Service.
func NewService(d Deps) *Service {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	return &Service{store: d.Store, now: d.Now, logger: d.Logger}
}

// day is one UTC day.
const day = 24 * time.Hour

// Overview counts the dashboard's numbers, with a series of the last days
// UTC days (today included; 0 means DefaultDays). Only admins may see it.
func (s *Service) Overview(ctx context.Context, p *identity.Principal, days int) (*Overview, error) {
	if err := identity.Authorize(p, identity.ManageSystem); err != nil {
		return nil, err
	}
	if days == 0 {
		days = DefaultDays
	}
	if days < MinDays || days > MaxDays {
		return nil, errs.Validation(errs.FieldError{Field: "query.days", Message: fmt.Sprintf("days must be from %d to %d", MinDays, MaxDays)})
	}
	now := s.now().UTC()
	today := now.Truncate(day) // UTC midnight: Truncate counts from the zero time, a UTC midnight
	end := today.Add(day)
	w := Window{From: today.AddDate(0, 0, -(days - 1)), To: end}
	o := &Overview{GeneratedAt: now.Truncate(time.Second), Days: days, From: w.From.Format(time.DateOnly), To: today.Format(time.DateOnly)}

	// The counts read different tables: on a server with cores to spare
	// they take as long as the longest, not as all of them.
	var counted []DayCounts
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { o.Users, err = s.store.StatsUsers(gctx, w); return err })
	g.Go(func() (err error) {
		o.Active, err = s.store.StatsActive(gctx, ActiveWindows{Today: today, Week: today.AddDate(0, 0, -6),
			Month: today.AddDate(0, 0, -29), End: end})
		return err
	})
	g.Go(func() (err error) { counted, err = s.store.StatsSeries(gctx, w); return err })
	g.Go(func() (err error) { o.TopPlans, err = s.store.StatsTopPlans(gctx, w, TopPlansLimit); return err })
	g.Go(func() (err error) { o.Plans, err = s.store.StatsPlans(gctx); return err })
	if err := g.Wait(); err != nil {
		return nil, err
	}
	o.Series = fill(w.From, days, counted)
	return o, nil
}

// fill returns the days UTC days from first on, each with its counts from
// counted or zeros. Counts of dates outside those days are dropped.
func fill(first time.Time, days int, counted []DayCounts) []DayCounts {
	byDate := make(map[string]DayCounts, len(counted))
	for _, c := range counted {
		byDate[c.Date] = c
	}
	out := make([]DayCounts, days)
	for i := range out {
		date := first.AddDate(0, 0, i).Format(time.DateOnly)
		c := byDate[date]
		c.Date = date
		out[i] = c
	}
	return out
}

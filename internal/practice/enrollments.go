package practice

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/identity"
)

// StartWindow bounds how far from today a start date may be.
const StartWindow = 366

var reminderPattern = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)

// EnrollRequest is what a person chooses when enrolling.
type EnrollRequest struct {
	Plan      string // slug or id
	StartDate *Date  // nil: today, or a calendar-anchored plan's next date
	Pace      Pace   // "": daily
	PerWeek   int    // with NPerWeek
	// ReminderTime is "HH:MM", or "" for no reminder; nil: the site's
	// default reminder time.
	ReminderTime *string
}

// Progress is an enrolment with where it stands today.
type Progress struct {
	Enrollment *Enrollment
	Plan       *catalog.PlanIndex
	Today      Date
	// DueDay is the day the schedule has due today: 0 before the start and
	// for self-paced plans.
	DueDay int
	// NextDay is the first unfinished day, 0 when every day is finished.
	NextDay  int
	DaysDone int
	// Behind counts the days due before today's and not finished; it is
	// information, never a reproach: catching up is one tap.
	Behind int
	State  State
}

// CanCatchUp reports whether CatchUp would re-plan the enrolment, so that
// clients offer it only then.
func (pr *Progress) CanCatchUp() bool { return pr.catchUpRefused() == "" }

// catchUpRefused says why the enrolment cannot catch up, or "" when it can.
func (pr *Progress) catchUpRefused() string {
	switch e, x := pr.Enrollment, pr.Plan; {
	case !e.Status.Current():
		return fmt.Sprintf("this enrollment is %s; restart it instead", e.Status)
	case fixed(x):
		return fmt.Sprintf("%q follows fixed dates; its days come with the calendar", x.Title)
	case pr.NextDay == 0:
		return "every day is finished already"
	}
	return ""
}

// State summarises an enrolment for the reader.
type State string

// The states.
const (
	NotStarted State = "not_started" // the start date is still ahead
	OnTrack    State = "on_track"    // today's day is the next one to read
	Behind     State = "behind"      // days are due and unfinished
	Ahead      State = "ahead"       // today's day is finished already
	SelfPacing State = "self_paced"  // nothing is due; the next day waits
	IsPaused   State = "paused"
	Finished   State = "finished"
	Left       State = "left"
)

// fixed reports whether a plan is calendar-anchored.
func fixed(x *catalog.PlanIndex) bool { return len(x.FixedStartDates) > 0 }

// progress computes where e stands at now, given its finished days.
func (s *Service) progress(e *Enrollment, x *catalog.PlanIndex, done []int, now time.Time) *Progress {
	today := e.today(now)
	pr := &Progress{Enrollment: e, Plan: x, Today: today, DaysDone: len(done)}
	finished := make(map[int]bool, len(done))
	for _, d := range done {
		finished[d] = true
	}
	for n := 1; n <= x.Days; n++ {
		if !finished[n] {
			pr.NextDay = n
			break
		}
	}
	sched := e.Schedule(x.Days, fixed(x))
	pr.DueDay = sched.DueDay(today)
	for n := 1; n < pr.DueDay; n++ {
		if !finished[n] {
			pr.Behind++
		}
	}
	switch {
	case e.Status == Abandoned:
		pr.State = Left
	case e.Status == Completed || pr.NextDay == 0:
		pr.State = Finished
	case e.Status == Paused:
		pr.State = IsPaused
	case e.Pace == SelfPaced && !fixed(x):
		pr.State = SelfPacing
	case pr.DueDay == 0:
		pr.State = NotStarted
	case pr.Behind > 0:
		pr.State = Behind
	case pr.NextDay > pr.DueDay:
		pr.State = Ahead
	default:
		pr.State = OnTrack
	}
	return pr
}

// view loads what progress needs for e.
func (s *Service) view(ctx context.Context, e *Enrollment) (*Progress, error) {
	x, err := s.index(ctx, e)
	if err != nil {
		return nil, err
	}
	return s.progress(e, x, e.Done, s.clock()), nil
}

// Enroll starts p on a plan. A person has one current enrolment per plan:
// enrolling again while one is active or paused is a Conflict naming it.
func (s *Service) Enroll(ctx context.Context, p *identity.Principal, r EnrollRequest) (*Progress, error) {
	if err := use(p); err != nil {
		return nil, err
	}
	x, err := s.catalog.Index(ctx, r.Plan)
	if errs.Is(err, errs.NotFound) {
		return nil, errs.Validation(errs.FieldError{Field: "body.plan", Message: fmt.Sprintf("there is no published plan %q", r.Plan)})
	}
	if err != nil {
		return nil, err
	}
	if x.Status != catalog.Published {
		return nil, errs.E(errs.Conflict, "%q has been archived and takes no new readers", x.Title)
	}
	prof, err := s.store.Profile(ctx, p.UserID)
	if err != nil {
		return nil, err
	}
	now := s.clock()
	today := LocalDate(now, zone(prof.Zone), prof.DayStartHour)
	start, fields := checkEnroll(&r, x, today)
	if len(fields) > 0 {
		return nil, errs.Validation(fields...)
	}
	if cur, err := s.store.CurrentEnrollment(ctx, p.UserID, x.PlanID); err == nil {
		return nil, errs.E(errs.Conflict, "you are already enrolled in %q (enrollment %s)", x.Title, cur.ID)
	} else if !errs.Is(err, errs.NotFound) {
		return nil, err
	}
	reminder := s.defaultReminder(ctx)
	if r.ReminderTime != nil {
		reminder = *r.ReminderTime
	}
	e := &Enrollment{ID: newID(), UserID: p.UserID, PlanID: x.PlanID, Status: Active, Pace: r.Pace, PerWeek: r.PerWeek,
		StartDate: start, AnchorDate: start, AnchorDay: 1, ReminderTime: reminder, Cycle: 1,
		CreatedAt: now, UpdatedAt: now, PlanSlug: x.Slug, Zone: prof.Zone, DayStartHour: prof.DayStartHour}
	if err := s.store.CreateEnrollment(ctx, e); err != nil {
		if errs.Is(err, errs.Conflict) {
			return nil, errs.E(errs.Conflict, "you are already enrolled in %q", x.Title)
		}
		return nil, err
	}
	s.notify(ctx, p.UserID, "enrollment", map[string]any{"id": e.ID, "status": e.Status}, now)
	return s.progress(e, x, nil, now), nil
}

// checkEnroll validates r for plan x on today, fills its defaults and
// returns the start date.
func checkEnroll(r *EnrollRequest, x *catalog.PlanIndex, today Date) (Date, []errs.FieldError) {
	var fields []errs.FieldError
	bad := func(field, msg string, args ...any) {
		fields = append(fields, errs.FieldError{Field: "body." + field, Message: fmt.Sprintf(msg, args...)})
	}
	if r.Pace == "" {
		r.Pace = Daily
	}
	switch {
	case !r.Pace.Valid():
		bad("pace", "pace must be one of daily, weekdays, n_per_week, self_paced")
	case r.Pace == NPerWeek && (r.PerWeek < 1 || r.PerWeek > 7):
		bad("per_week", "per_week must be from 1 to 7 with the n_per_week pace")
	case r.Pace != NPerWeek && r.PerWeek != 0:
		bad("per_week", "per_week goes only with the n_per_week pace")
	}
	if r.ReminderTime != nil && *r.ReminderTime != "" && !reminderPattern.MatchString(*r.ReminderTime) {
		bad("reminder_time", "reminder_time must be a time of day like 07:30")
	}
	start := today
	if r.StartDate != nil {
		start = *r.StartDate
		if d := start.Sub(today); d < -StartWindow || d > StartWindow {
			bad("start_date", "start_date must be within a year of today (%s)", today)
		}
	}
	if fixed(x) {
		if r.Pace != Daily {
			bad("pace", "%q follows fixed dates, one day at a time: its pace is daily", x.Title)
		}
		dates := make([]Date, 0, len(x.FixedStartDates))
		for _, s := range x.FixedStartDates {
			if d, err := ParseDate(s); err == nil {
				dates = append(dates, d)
			}
		}
		slices.SortFunc(dates, func(a, b Date) int { return a.Sub(b) })
		if r.StartDate != nil {
			if !slices.Contains(dates, start) {
				bad("start_date", "%q starts only on %v", x.Title, x.FixedStartDates)
			}
		} else {
			i := slices.IndexFunc(dates, func(d Date) bool { return !d.AddDays(x.Days - 1).Before(today) })
			if i < 0 {
				bad("start_date", "%q follows fixed dates and none is ahead; the last was %s", x.Title, dates[len(dates)-1])
			} else {
				start = dates[i]
			}
		}
	}
	return start, fields
}

// Enrollments lists p's enrolments with the given statuses, newest first.
func (s *Service) Enrollments(ctx context.Context, p *identity.Principal, statuses []Status, cursor string, limit int) (*identity.Page[*Progress], error) {
	if err := use(p); err != nil {
		return nil, err
	}
	after := ""
	if cursor != "" {
		id, ok := identity.DecodeIDCursor(cursor)
		if !ok || !validID(id) {
			return nil, errs.Validation(errs.FieldError{Field: "query.cursor", Message: "cursor is not one this list gave"})
		}
		after = id
	}
	limit = min(max(limit, 1), 100)
	list, err := s.store.ListEnrollments(ctx, p.UserID, statuses, after, limit+1)
	if err != nil {
		return nil, err
	}
	page := &identity.Page[*Progress]{Items: []*Progress{}}
	if len(list) > limit {
		list = list[:limit]
		page.NextCursor = identity.IDCursor(list[limit-1].ID)
	}
	for _, e := range list {
		pr, err := s.view(ctx, e)
		if errs.Is(err, errs.NotFound) {
			continue // the plan was deleted before publication could matter
		}
		if err != nil {
			return nil, err
		}
		page.Items = append(page.Items, pr)
	}
	return page, nil
}

// Enrollment returns one of p's enrolments with its progress.
func (s *Service) Enrollment(ctx context.Context, p *identity.Principal, id string) (*Progress, error) {
	e, err := s.enrollment(ctx, p, id)
	if err != nil {
		return nil, err
	}
	return s.view(ctx, e)
}

// Change is a partial update of an enrolment: nil leaves a field alone.
type Change struct {
	Paused       *bool
	Pace         *Pace
	PerWeek      *int
	ReminderTime *string
}

// Update pauses, resumes or re-paces an enrolment, or sets its reminder.
// Changing the pace keeps today's day due today.
func (s *Service) Update(ctx context.Context, p *identity.Principal, id string, ch Change) (*Progress, error) {
	return s.mutate(ctx, p, id, func(e *Enrollment, x *catalog.PlanIndex, pr *Progress) error {
		var fields []errs.FieldError
		bad := func(field, msg string) {
			fields = append(fields, errs.FieldError{Field: "body." + field, Message: msg})
		}
		if !e.Status.Current() && (ch.Paused != nil || ch.Pace != nil || ch.PerWeek != nil) {
			return errs.E(errs.Conflict, "this enrollment is %s; restart it to change it", e.Status)
		}
		if ch.ReminderTime != nil {
			if *ch.ReminderTime != "" && !reminderPattern.MatchString(*ch.ReminderTime) {
				bad("reminder_time", "reminder_time must be a time of day like 07:30, or empty for none")
			} else {
				e.ReminderTime = *ch.ReminderTime
			}
		}
		if ch.Pace != nil || ch.PerWeek != nil {
			pace, per := e.Pace, e.PerWeek
			if ch.Pace != nil {
				pace = *ch.Pace
				if pace != NPerWeek {
					per = 0
				}
			}
			if ch.PerWeek != nil {
				per = *ch.PerWeek
			}
			switch {
			case fixed(x):
				bad("pace", fmt.Sprintf("%q follows fixed dates: its pace cannot change", x.Title))
			case !pace.Valid():
				bad("pace", "pace must be one of daily, weekdays, n_per_week, self_paced")
			case pace == NPerWeek && (per < 1 || per > 7):
				bad("per_week", "per_week must be from 1 to 7 with the n_per_week pace")
			case pace != NPerWeek && per != 0:
				bad("per_week", "per_week goes only with the n_per_week pace")
			default:
				// Keep today's day due today under the new pace.
				day := pr.DueDay
				if e.Pace == SelfPaced || day == 0 {
					day = max(pr.NextDay, 1)
				}
				if !pr.Today.Before(e.AnchorDate) || e.Pace == SelfPaced {
					e.AnchorDate, e.AnchorDay = pr.Today, day
				}
				e.Pace, e.PerWeek = pace, per
			}
		}
		if len(fields) > 0 {
			return errs.Validation(fields...)
		}
		if ch.Paused != nil {
			switch {
			case *ch.Paused && e.Status == Active:
				e.Status, e.PausedOn = Paused, &pr.Today
			case !*ch.Paused && e.Status == Paused:
				sched := e.Schedule(x.Days, fixed(x)).Resumed(pr.Today)
				e.Status, e.AnchorDate, e.AnchorDay, e.PausedOn = Active, sched.AnchorDate, sched.AnchorDay, nil
			}
		}
		return nil
	})
}

// Leave marks an enrolment as left. Its history stays: the days it
// finished still count in the person's streak and stats.
func (s *Service) Leave(ctx context.Context, p *identity.Principal, id string) error {
	_, err := s.mutate(ctx, p, id, func(e *Enrollment, _ *catalog.PlanIndex, _ *Progress) error {
		e.Status, e.PausedOn = Abandoned, nil
		return nil
	})
	return err
}

// CatchUp re-plans an enrolment so that its next unfinished day is due
// today. Nothing finished is lost; a paused enrolment resumes.
func (s *Service) CatchUp(ctx context.Context, p *identity.Principal, id string) (*Progress, error) {
	return s.mutate(ctx, p, id, func(e *Enrollment, _ *catalog.PlanIndex, pr *Progress) error {
		if why := pr.catchUpRefused(); why != "" {
			return errs.E(errs.Conflict, "%s", why)
		}
		e.Status, e.PausedOn = Active, nil
		e.AnchorDate, e.AnchorDay = pr.Today, pr.NextDay
		return nil
	})
}

// Restart begins an enrolment again from day 1 today (or from a
// calendar-anchored plan's next date), in a new cycle: the finished days
// of earlier cycles stay in the person's history.
func (s *Service) Restart(ctx context.Context, p *identity.Principal, id string) (*Progress, error) {
	return s.mutate(ctx, p, id, func(e *Enrollment, x *catalog.PlanIndex, pr *Progress) error {
		if !e.Status.Current() {
			if cur, err := s.store.CurrentEnrollment(ctx, e.UserID, e.PlanID); err == nil && cur.ID != e.ID {
				return errs.E(errs.Conflict, "you are enrolled in %q already (enrollment %s)", x.Title, cur.ID)
			}
		}
		r := EnrollRequest{Pace: e.Pace, PerWeek: e.PerWeek}
		start, fields := checkEnroll(&r, x, pr.Today)
		if len(fields) > 0 {
			return errs.E(errs.Conflict, "%s", fields[0].Message)
		}
		e.Cycle++
		e.Status, e.PausedOn, e.CompletedAt = Active, nil, nil
		e.StartDate, e.AnchorDate, e.AnchorDay = start, start, 1
		return nil
	})
}

// mutate changes one of p's enrolments in a transaction and reports it to
// their devices.
func (s *Service) mutate(ctx context.Context, p *identity.Principal, id string, fn func(*Enrollment, *catalog.PlanIndex, *Progress) error) (*Progress, error) {
	e, err := s.enrollment(ctx, p, id)
	if err != nil {
		return nil, err
	}
	x, err := s.index(ctx, e)
	if err != nil {
		return nil, err
	}
	now := s.clock()
	var out *Progress
	err = s.store.WriteEnrollment(ctx, p.UserID, id, func(tx Tx) error {
		e, err := tx.Enrollment(id)
		if err != nil {
			return err
		}
		done := e.Done
		cycle := e.Cycle
		if err := fn(e, x, s.progress(e, x, done, now)); err != nil {
			return err
		}
		e.UpdatedAt = now
		if err := tx.UpdateEnrollment(e); err != nil {
			if errs.Is(err, errs.Conflict) {
				return errs.E(errs.Conflict, "you are enrolled in %q already", x.Title)
			}
			return err
		}
		if _, err := tx.AddEvent("enrollment", jsonOf(map[string]any{"id": e.ID, "status": e.Status}), now); err != nil {
			return err
		}
		if e.Cycle != cycle {
			done = nil // a new cycle has nothing finished
		}
		out = s.progress(e, x, done, now)
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.hub.publish(ctx, p.UserID)
	return out, nil
}

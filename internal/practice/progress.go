package practice

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/identity"
)

// MaxFuture is how far ahead of the server's clock a client's clock may
// be: more is a broken clock, not a time zone.
const MaxFuture = 24 * time.Hour

// DayView is one day of an enrolment: its content, what the person has
// done of it, and where the enrolment stands.
type DayView struct {
	Progress *Progress
	Day      *catalog.Day
	// Done maps "item:<id>" and "task:<id>" to their completions.
	Done     map[string]Completion
	Finished bool // every required item and task is done
	Journal  bool // the person wrote a reflection on it
}

// Today returns the day due for an enrolment: the schedule's day, or for a
// self-paced plan (and before the start) the next unfinished day; once
// every day is finished, the last day.
func (s *Service) Today(ctx context.Context, p *identity.Principal, id string) (*DayView, error) {
	return s.dayView(ctx, p, id, true, 0)
}

// Day returns day n of an enrolment.
func (s *Service) Day(ctx context.Context, p *identity.Principal, id string, n int) (*DayView, error) {
	return s.dayView(ctx, p, id, false, n)
}

// dayView returns day n of an enrolment, or today's. Which day
// is today's follows from the enrolment, so its state would be a second
// query; the day shown last time is read with the enrolment instead, and
// that is today's again until the person's date moves on.
func (s *Service) dayView(ctx context.Context, p *identity.Principal, id string, today bool, n int) (*DayView, error) {
	if err := use(p); err != nil {
		return nil, err
	}
	if !validID(id) {
		return nil, notFound()
	}
	read := n
	if today {
		read, _ = s.shown.GetIfPresent(id)
	}
	var (
		e       *Enrollment
		comps   []Completion
		journal bool
		err     error
	)
	if read > 0 {
		e, comps, journal, err = s.store.EnrollmentDay(ctx, p.UserID, id, read)
	} else {
		e, err = s.store.Enrollment(ctx, p.UserID, id)
	}
	if errs.Is(err, errs.NotFound) {
		return nil, notFound()
	}
	if err != nil {
		return nil, err
	}
	pr, err := s.view(ctx, e)
	if err != nil {
		return nil, err
	}
	switch {
	case today:
		n = cmp.Or(pr.DueDay, pr.NextDay, pr.Plan.Days)
		s.shown.Set(id, n)
	case n < 1 || n > pr.Plan.Days:
		return nil, errs.E(errs.NotFound, "the plan has %d days; there is no day %d", pr.Plan.Days, n)
	}
	day, err := s.catalog.DayOf(ctx, e.PlanRevision, n)
	if err != nil {
		return nil, err
	}
	if n != read {
		if comps, journal, err = s.store.DayState(ctx, e.ID, e.Cycle, n); err != nil {
			return nil, err
		}
	}
	v := &DayView{Progress: pr, Day: day, Done: make(map[string]Completion, len(comps)), Journal: journal}
	for _, c := range comps {
		v.Done[c.Kind+":"+c.TargetID] = c
	}
	v.Finished = finished(pr.Plan, n, comps)
	return v, nil
}

// finished reports whether comps finish day n: every required target is
// done (a day that requires nothing is finished by anything done).
func finished(x *catalog.PlanIndex, n int, comps []Completion) bool {
	req := x.Required(n)
	if len(req) == 0 {
		return len(comps) > 0
	}
	for _, t := range req {
		if !slices.ContainsFunc(comps, func(c Completion) bool { return c.Kind == t.Kind && c.TargetID == t.ID }) {
			return false
		}
	}
	return true
}

// Mark is one "done" or "undone" of an item or task.
type Mark struct {
	Enrollment string
	Kind       string // catalog.TargetItem or catalog.TargetTask
	Target     string
	Done       bool
	// At is when it happened on the client; zero: now.
	At time.Time
	// Zone is the client's time zone then; "": the person's.
	Zone string
	// ClientID identifies the event for exactly-once delivery; "": new.
	ClientID string
}

// MarkResult is the state of a target after a Mark.
type MarkResult struct {
	Completion  *Completion // nil when not done
	DayFinished bool
	DaysDone    int    // days of the cycle finished
	Status      Status // of the enrolment: Completed once the last day is
}

// SetDone marks an item or task of one of p's enrolments done or undone.
// Marks apply exactly once and in the order of their times, whatever order
// they arrive in: a later mark wins.
func (s *Service) SetDone(ctx context.Context, p *identity.Principal, m Mark) (*MarkResult, error) {
	if err := use(p); err != nil {
		return nil, err
	}
	if !validID(m.Enrollment) {
		return nil, notFound()
	}
	now := s.clock()
	var out *MarkResult
	// The enrolment is read once, in the transaction that writes.
	err := s.store.WriteEnrollment(ctx, p.UserID, m.Enrollment, func(tx Tx) error {
		e, x, t, err := s.target(ctx, tx, m.Enrollment, m.Kind, m.Target)
		if err != nil {
			return err
		}
		if err := checkMoment(&m.At, &m.Zone, e, now); err != nil {
			return err
		}
		if err := checkClientID("header.Idempotency-Key", m.ClientID); err != nil {
			return err
		}
		if m.ClientID == "" {
			m.ClientID = newID()
		}
		out, err = s.mark(tx, e, x, t, m, now)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.hub.publish(ctx, p.UserID)
	return out, nil
}

// target reads the person's enrolment id in tx and finds the target of
// kind and targetID in its plan.
func (s *Service) target(ctx context.Context, tx Tx, id, kind, targetID string) (*Enrollment, *catalog.PlanIndex, catalog.Target, error) {
	e, err := tx.Enrollment(id)
	if errs.Is(err, errs.NotFound) {
		return nil, nil, catalog.Target{}, notFound()
	}
	if err != nil {
		return nil, nil, catalog.Target{}, err
	}
	x, err := s.index(ctx, e)
	if err != nil {
		return nil, nil, catalog.Target{}, err
	}
	t, ok := x.Find(kind, targetID)
	if !ok {
		return nil, nil, catalog.Target{}, errs.E(errs.NotFound, "there is no %s %s in %q", kind, targetID, x.Title)
	}
	return e, x, t, nil
}

// checkMoment validates a client's time and zone, filling defaults.
func checkMoment(at *time.Time, zoneName *string, e *Enrollment, now time.Time) error {
	if at.IsZero() {
		*at = now
	}
	*at = at.UTC().Truncate(time.Microsecond)
	if at.Sub(now) > MaxFuture {
		return errs.Validation(errs.FieldError{Field: "body.at", Message: "at is more than 24 hours ahead of the server's clock; check the device's date"})
	}
	if at.Before(e.CreatedAt.Add(-MaxFuture)) {
		return errs.Validation(errs.FieldError{Field: "body.at", Message: "at is before the enrollment began"})
	}
	if *zoneName == "" {
		*zoneName = e.Zone
	} else if err := identity.CheckTimezone(*zoneName); err != nil {
		return errs.Validation(errs.FieldError{Field: "body.timezone", Message: "timezone " + err.Error()})
	}
	if at.After(now) {
		*at = now // a fast clock never dates practice in the future
	}
	return nil
}

// mark applies m to target t of e, read in tx.
func (s *Service) mark(tx Tx, e *Enrollment, x *catalog.PlanIndex, t catalog.Target, m Mark, now time.Time) (*MarkResult, error) {
	if e.Status == Abandoned {
		return nil, errs.E(errs.Conflict, "you left this plan; restart it to continue")
	}
	prof, err := tx.Profile()
	if err != nil {
		return nil, err
	}
	ev := TargetEvent{EnrollmentID: e.ID, Cycle: e.Cycle, Kind: t.Kind, TargetID: t.ID, Day: t.Day, Done: m.Done,
		At: m.At, LocalDate: LocalDate(m.At, zone(m.Zone), prof.DayStartHour), Zone: m.Zone, ClientID: m.ClientID}
	st, err := tx.MarkState(e.ID, e.Cycle, t.Kind, t.ID, t.Day)
	if err != nil {
		return nil, err
	}
	added, err := tx.AddTargetEvent(&ev)
	if err != nil {
		return nil, err
	}
	if added { // a replay adds no event, and so changes nothing below
		st.Events = append(st.Events, ev)
	}
	c := fold(st.Events)
	comps, err := setCompletion(tx, e, st, t, c)
	if err != nil {
		return nil, err
	}
	wasDone := slices.Contains(e.Done, t.Day)
	kept := *prof
	dayDone, err := s.settleDay(tx, e, x, prof, t.Day, comps, st.Finished)
	if err != nil {
		return nil, err
	}
	count := len(e.Done)
	switch {
	case dayDone && !wasDone:
		count++
	case !dayDone && wasDone:
		count--
	}
	status := e.Status
	switch {
	case count >= x.Days && e.Status != Completed:
		e.Status, e.PausedOn, e.CompletedAt = Completed, nil, &now
	case count < x.Days && e.Status == Completed:
		e.Status, e.CompletedAt = Active, nil
	}
	if e.Status != status {
		e.UpdatedAt = now
		if err := tx.UpdateEnrollment(e); err != nil {
			return nil, err
		}
	}
	if !Agree(&kept, prof) {
		if err := tx.SaveProfile(prof); err != nil {
			return nil, err
		}
	}
	if _, err := tx.AddEvent("completion", jsonOf(map[string]any{"enrollment_id": e.ID, "kind": t.Kind, "id": t.ID,
		"day": t.Day, "done": c != nil, "day_finished": dayDone, "status": e.Status}), now); err != nil {
		return nil, err
	}
	return &MarkResult{Completion: c, DayFinished: dayDone, DaysDone: count, Status: e.Status}, nil
}

// setCompletion stores c as target t's completion in e, unless it is
// stored already, and returns the completions of t's day after it.
func setCompletion(tx Tx, e *Enrollment, st *MarkState, t catalog.Target, c *Completion) ([]Completion, error) {
	comps := st.Completions
	i := slices.IndexFunc(comps, func(have Completion) bool { return have.Kind == t.Kind && have.TargetID == t.ID })
	switch {
	case i >= 0 && c != nil && sameCompletion(&comps[i], c):
		return comps, nil
	case i < 0 && c == nil && !slices.ContainsFunc(st.Events, func(ev TargetEvent) bool { return ev.Day != t.Day }):
		// Not stored on t's day, nor on another: a completion is on the
		// day of one of its target's events.
		return comps, nil
	}
	if err := tx.SetCompletion(e.ID, e.Cycle, t.Kind, t.ID, c); err != nil {
		return nil, err
	}
	if i >= 0 {
		comps = slices.Delete(comps, i, i+1)
	}
	if c != nil && c.Day == t.Day {
		comps = append(comps, *c)
	}
	return comps, nil
}

// sameCompletion reports whether a and b, of one target, are stored alike.
func sameCompletion(a, b *Completion) bool {
	return a.Day == b.Day && a.At.Equal(b.At) && a.LocalDate == b.LocalDate && a.Zone == b.Zone && a.ClientID == b.ClientID
}

// fold is a target's state after its events, taken in the order of their
// times (client ids break ties): done or not, and since when. Any arrival
// order gives the same answer.
func fold(events []TargetEvent) *Completion {
	slices.SortFunc(events, func(a, b TargetEvent) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return strings.Compare(a.ClientID, b.ClientID)
	})
	var c *Completion
	for _, ev := range events {
		switch {
		case !ev.Done:
			c = nil
		case c == nil: // done since this event; a repeated "done" keeps the first
			c = &Completion{EnrollmentID: ev.EnrollmentID, Cycle: ev.Cycle, Kind: ev.Kind, TargetID: ev.TargetID,
				Day: ev.Day, At: ev.At, LocalDate: ev.LocalDate, Zone: ev.Zone, ClientID: ev.ClientID}
		}
	}
	return c
}

// settleDay records day n of e as finished or not after a change of its
// completions to comps (have: its record until now, nil when it was not
// finished), and keeps the practice record and streak of the dates
// involved. A day is finished at the time its last required target was.
func (s *Service) settleDay(tx Tx, e *Enrollment, x *catalog.PlanIndex, prof *Profile, n int, comps []Completion, have *DayCompletion) (bool, error) {
	var want *DayCompletion
	if finished(x, n, comps) {
		last := comps[0]
		for _, c := range comps[1:] {
			if c.At.After(last.At) {
				last = c
			}
		}
		want = &DayCompletion{EnrollmentID: e.ID, Cycle: e.Cycle, Day: n, UserID: e.UserID, At: last.At, LocalDate: last.LocalDate, Zone: last.Zone}
	}
	if sameDay(have, want) {
		return want != nil, nil
	}
	if err := tx.SetDayCompletion(e.ID, e.Cycle, n, want); err != nil {
		return false, err
	}
	var dates []Date
	if have != nil {
		dates = append(dates, have.LocalDate)
	}
	if want != nil && (have == nil || want.LocalDate != have.LocalDate) {
		dates = append(dates, want.LocalDate)
	}
	for _, d := range dates {
		if err := s.refreshDay(tx, prof, d); err != nil {
			return false, err
		}
	}
	return want != nil, nil
}

func sameDay(a, b *DayCompletion) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.At.Equal(b.At) && a.LocalDate == b.LocalDate && a.Zone == b.Zone
}

// refreshDay recomputes the person's record of date and keeps their
// profile in step: appending a new latest date extends the streak in
// place; anything else that changes the practice dates rebuilds it from
// them (a write-time cost; reads never scan history).
func (s *Service) refreshDay(tx Tx, prof *Profile, date Date) error {
	before, after, err := tx.RefreshDay(date)
	if err != nil {
		return err
	}
	rules := prof.rules()
	switch {
	case before == nil && after == nil:
		return nil
	case before != nil && after != nil && before.PracticeDay == after.PracticeDay:
		prof.Seconds += after.Seconds - before.Seconds
		return nil
	case before == nil && (!prof.Streak.Has || after.Date.After(prof.Streak.Last)):
		prof.Streak = prof.Streak.Extend(after.PracticeDay, rules)
		prof.DaysPractised++
		prof.Seconds += after.Seconds
		return nil
	}
	return s.rebuild(tx, prof)
}

// rebuild recomputes the profile's streak and totals from every practice
// date.
func (s *Service) rebuild(tx Tx, prof *Profile) error {
	days, err := tx.Days()
	if err != nil {
		return err
	}
	pds := make([]PracticeDay, len(days))
	prof.Seconds = 0
	for i, d := range days {
		pds[i] = d.PracticeDay
		prof.Seconds += d.Seconds
	}
	prof.DaysPractised = len(days)
	prof.Streak = Rebuild(pds, prof.rules())
	return nil
}

func (p *Profile) rules() Rules {
	return Rules{GracePerWeek: p.GracePerWeek, DayStartHour: p.DayStartHour}
}

// jsonOf encodes v for an event.
func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

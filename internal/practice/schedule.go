package practice

import "time"

// Pace is how quickly an enrolment moves through its plan.
type Pace string

// The paces.
const (
	Daily     Pace = "daily"      // a day every calendar day
	Weekdays  Pace = "weekdays"   // Monday to Friday
	NPerWeek  Pace = "n_per_week" // PerWeek days in every seven, spread evenly
	SelfPaced Pace = "self_paced" // nothing is ever due: the next unfinished day is today's
)

// Paces lists every Pace.
var Paces = []Pace{Daily, Weekdays, NPerWeek, SelfPaced}

// Valid reports whether p is one of Paces.
func (p Pace) Valid() bool {
	for _, q := range Paces {
		if p == q {
			return true
		}
	}
	return false
}

// Schedule says which day of a plan is due on which date. It is anchored:
// day AnchorDay is due on AnchorDate and the following days follow the
// pace from there. Starting anchors day 1 on the start date; catching up
// anchors the next unfinished day on today; resuming after a pause moves
// the anchor by the length of the pause. The anchor date is always a
// practice date, so a weekday plan caught up on a Saturday is due that
// Saturday, and then again on Monday.
type Schedule struct {
	Pace       Pace
	PerWeek    int // with NPerWeek: 1-7
	AnchorDate Date
	AnchorDay  int // >= 1
	Days       int // how many days the plan has
	// Fixed marks a calendar-anchored plan: it runs daily from its fixed
	// start date whatever happens, as a retreat does.
	Fixed bool
	// PausedOn, when set, freezes the schedule at what was due that date.
	PausedOn *Date
}

// DueDay is the last day due on date d: 0 when nothing is due yet, never
// more than Days. A self-paced schedule has nothing due.
func (s Schedule) DueDay(d Date) int {
	if s.Pace == SelfPaced && !s.Fixed {
		return 0
	}
	if s.PausedOn != nil && !s.Fixed && s.PausedOn.Before(d) {
		d = *s.PausedOn
	}
	if d.Before(s.AnchorDate) {
		return max(0, min(s.Days, s.AnchorDay-1))
	}
	return min(s.Days, s.AnchorDay-1+s.slots(s.AnchorDate, d))
}

// slots counts the practice dates in [from, to] (from <= to); from always
// counts.
func (s Schedule) slots(from, to Date) int {
	span := to.Sub(from) // days after from
	switch {
	case s.Fixed || s.Pace == Daily:
		return span + 1
	case s.Pace == Weekdays:
		weeks, rest := span/7, span%7
		n := 1 + weeks*5
		for i := 1; i <= rest; i++ {
			if wd := from.AddDays(weeks*7 + i).Weekday(); wd != time.Saturday && wd != time.Sunday {
				n++
			}
		}
		return n
	case s.Pace == NPerWeek:
		per := min(max(s.PerWeek, 1), 7)
		weeks, rest := span/7, span%7
		n := weeks * per
		for i := 0; i < per; i++ {
			if i*7/per <= rest {
				n++
			}
		}
		return n
	}
	return 0
}

// Resumed returns the schedule after a pause from PausedOn to date on:
// what was due when the pause began is due again on the first practice
// date from the day it ends (for a pause that began once the plan had), so
// nothing fell due while paused. The anchor moves one practice date on for
// every practice date of the plan the pause took, from PausedOn to the day
// before on (every date, or every weekday for a weekday plan), so every
// later day falls due that much later; pausing and resuming on one day
// changes nothing, and a pause that ended before the plan began moves
// nothing. A calendar-anchored plan keeps its dates.
func (s Schedule) Resumed(on Date) Schedule {
	if s.PausedOn == nil {
		return s
	}
	if !s.Fixed && s.Pace != SelfPaced {
		anchor := s.AnchorDate // a practice date even on a weekend
		for d := s.PausedOn.Max(anchor); d.Before(on); d = d.AddDays(1) {
			if s.Pace == Weekdays && weekend(d) && d != anchor {
				continue
			}
			s.AnchorDate = s.AnchorDate.AddDays(1)
			for s.Pace == Weekdays && weekend(s.AnchorDate) {
				s.AnchorDate = s.AnchorDate.AddDays(1)
			}
		}
	}
	s.PausedOn = nil
	return s
}

func weekend(d Date) bool { return d.Weekday() == time.Saturday || d.Weekday() == time.Sunday }

// Max returns the later of d and e.
func (d Date) Max(e Date) Date {
	if e.After(d) {
		return e
	}
	return d
}

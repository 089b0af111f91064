package practice

import (
	"slices"
	"time"
)

// DefaultGracePerWeek is how many missed days in any seven a streak
// survives unless the person chooses otherwise.
const DefaultGracePerWeek = 1

// MaxGracePerWeek bounds the grace a person may give themselves.
const MaxGracePerWeek = 3

// PracticeDay is a date in someone's own calendar on which they practised:
// finished a day of a plan or logged a practice session.
type PracticeDay struct {
	Date Date
	// Zone and At are the time zone and instant of the first practice
	// that date; a change of zone between practice days shows travel.
	Zone string
	At   time.Time
}

// Streak is the state of someone's streak after their last practice day.
// It is kept up to date on every write (Extend) and can be rebuilt from
// the practice days alone (Rebuild); the two always agree.
type Streak struct {
	Current int
	Longest int
	// Last is the last practice date; Has is false before the first.
	Last     Date
	Has      bool
	LastZone string
	// Grace are the grace days the current streak used in the seven days
	// up to Last, oldest first.
	Grace []Date
}

// Rules are a person's streak settings.
type Rules struct {
	GracePerWeek int
	DayStartHour int
}

// Rebuild computes the streak from every practice day, in any order
// (dates appearing twice count once, the earliest practice first).
func Rebuild(days []PracticeDay, r Rules) Streak {
	days = slices.Clone(days)
	slices.SortFunc(days, func(a, b PracticeDay) int {
		if c := a.Date.Sub(b.Date); c != 0 {
			return c
		}
		return a.At.Compare(b.At)
	})
	var s Streak
	for _, d := range days {
		if s.Has && !d.Date.After(s.Last) {
			continue
		}
		s = s.Extend(d, r)
	}
	return s
}

// Extend returns the streak after practice on day d, which must come after
// s.Last (an earlier date changes history: Rebuild instead).
//
// Consecutive dates add one. Dates missed in between first lose the ones
// that travel eastwards swallowed (flying from Los Angeles to Tokyo skips
// a date on the calendar), then are covered by grace days while the
// person has grace left in every seven days; a grace day keeps the streak
// alive without adding to it. A missed date no grace covers starts a new
// streak at 1.
func (s Streak) Extend(d PracticeDay, r Rules) Streak {
	s.Grace = slices.Clone(s.Grace)
	if !s.Has {
		s.Current, s.Has, s.Grace = 1, true, nil
	} else {
		missed := s.missed(d.Date, d.At, d.Zone, r)
		if grace, ok := s.cover(missed, r); ok {
			s.Current++
			s.Grace = grace
		} else {
			s.Current, s.Grace = 1, nil
		}
	}
	s.Last, s.LastZone = d.Date, d.Zone
	s.Longest = max(s.Longest, s.Current)
	s.Grace = slices.DeleteFunc(s.Grace, func(g Date) bool { return s.Last.Sub(g) >= 7 })
	return s
}

// missed lists the dates between s.Last and date (exclusive) that count
// as missed when the person's clock reads date at instant at in zone: the
// dates a move eastwards skipped are not missed. A date was skipped when
// the clock of the last practice's zone still reads an earlier date, or,
// after a long-haul move east (three hours or more), one date is forgiven
// whatever the hour: evening practice after landing still keeps a streak.
func (s Streak) missed(date Date, at time.Time, zoneName string, r Rules) []Date {
	gap := date.Sub(s.Last) - 1
	if gap <= 0 {
		return nil
	}
	if from, err := loadZone(s.LastZone); err == nil && !at.IsZero() {
		skipped := date.Sub(LocalDate(at, from, r.DayStartHour))
		if to, err := loadZone(zoneName); err == nil && zoneName != s.LastZone {
			_, before := at.In(from).Zone()
			_, after := at.In(to).Zone()
			if after-before >= 3*60*60 {
				skipped = max(skipped, 1)
			}
		}
		if skipped > 0 {
			gap -= min(skipped, gap)
		}
	}
	out := make([]Date, gap)
	for i := range out {
		out[i] = s.Last.AddDays(1 + i)
	}
	return out
}

// cover spends grace days on the missed dates, oldest first. It fails when
// some date would need more than GracePerWeek grace days in the seven days
// ending on it.
func (s Streak) cover(missed []Date, r Rules) ([]Date, bool) {
	grace := slices.Clone(s.Grace)
	for _, m := range missed {
		if usedIn(grace, m) >= r.GracePerWeek {
			return nil, false
		}
		grace = append(grace, m)
	}
	return grace, true
}

// usedIn counts the grace days in the seven days ending on d.
func usedIn(grace []Date, d Date) int {
	n := 0
	for _, g := range grace {
		if age := d.Sub(g); age >= 0 && age < 7 {
			n++
		}
	}
	return n
}

// Standing is a streak as it stands on a date, for reading: today does not
// break it (the day is not over), missed days since the last practice are
// covered by grace if they can be.
type Standing struct {
	Current   int
	Longest   int
	GraceLeft int // grace days still free in the seven days ending today
}

// AsOf is the streak's standing at instant now, when the person's date is
// today, in the zone of their last practice. It reads only the kept state:
// no history.
func (s Streak) AsOf(today Date, now time.Time, r Rules) Standing {
	return s.AsOfIn(today, now, s.LastZone, r)
}

// AsOfIn is AsOf for a person now in zone, who may have travelled since
// their last practice.
func (s Streak) AsOfIn(today Date, now time.Time, zone string, r Rules) Standing {
	st := Standing{Longest: s.Longest, GraceLeft: max(0, r.GracePerWeek-usedIn(s.Grace, today))}
	if !s.Has {
		return st
	}
	grace, ok := s.cover(s.missed(today, now, zone, r), r)
	if !ok {
		st.GraceLeft = r.GracePerWeek
		return st
	}
	st.Current = s.Current
	st.GraceLeft = max(0, r.GracePerWeek-usedIn(grace, today))
	return st
}

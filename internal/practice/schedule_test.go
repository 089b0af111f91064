package practice_test

import (
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/practice"
)

// In June 2026, the 1st is a Monday, the 5th a Friday and the 6th a
// Saturday.
var date = practice.MustDate

// due is the day a schedule should have due on each date.
type due map[string]int

func checkDue(t *testing.T, s practice.Schedule, want due) {
	t.Helper()
	for on, day := range want {
		if got := s.DueDay(date(on)); got != day {
			t.Errorf("due on %s (%s): day %d, want day %d", on, date(on).Weekday(), got, day)
		}
	}
}

func TestScheduleDueDay(t *testing.T) {
	tests := []struct {
		name  string
		sched practice.Schedule
		want  due
	}{
		{
			name:  "daily: a day every calendar day from the start",
			sched: practice.Schedule{Pace: practice.Daily, AnchorDate: date("2026-06-01"), AnchorDay: 1, Days: 10},
			want:  due{"2026-06-01": 1, "2026-06-02": 2, "2026-06-06": 6, "2026-06-07": 7},
		},
		{
			name:  "daily: a DST change is one day like any other",
			sched: practice.Schedule{Pace: practice.Daily, AnchorDate: date("2026-03-07"), AnchorDay: 1, Days: 10},
			want:  due{"2026-03-07": 1, "2026-03-08": 2, "2026-03-09": 3},
		},
		{
			name:  "daily: never beyond the plan's last day",
			sched: practice.Schedule{Pace: practice.Daily, AnchorDate: date("2026-06-01"), AnchorDay: 1, Days: 5},
			want:  due{"2026-06-05": 5, "2026-06-06": 5, "2026-07-01": 5, "2027-06-01": 5},
		},
		{
			name:  "daily: nothing is due before the start",
			sched: practice.Schedule{Pace: practice.Daily, AnchorDate: date("2026-06-10"), AnchorDay: 1, Days: 5},
			want:  due{"2026-01-01": 0, "2026-06-09": 0, "2026-06-10": 1},
		},
		{
			name:  "weekdays started on a Friday: Friday, then Monday; the weekend keeps Friday's day",
			sched: practice.Schedule{Pace: practice.Weekdays, AnchorDate: date("2026-06-05"), AnchorDay: 1, Days: 20},
			want: due{
				"2026-06-04": 0, "2026-06-05": 1, "2026-06-06": 1, "2026-06-07": 1,
				"2026-06-08": 2, "2026-06-12": 6, "2026-06-13": 6, "2026-06-14": 6, "2026-06-15": 7,
			},
		},
		{
			name:  "weekdays: never beyond the plan's last day",
			sched: practice.Schedule{Pace: practice.Weekdays, AnchorDate: date("2026-06-05"), AnchorDay: 1, Days: 3},
			want:  due{"2026-06-09": 3, "2026-06-10": 3, "2026-06-30": 3},
		},
		{
			name:  "weekdays: nothing is due before the start",
			sched: practice.Schedule{Pace: practice.Weekdays, AnchorDate: date("2026-06-08"), AnchorDay: 1, Days: 5},
			want:  due{"2026-06-05": 0, "2026-06-07": 0, "2026-06-08": 1},
		},
		{
			name:  "three per week: spread over the seven days",
			sched: practice.Schedule{Pace: practice.NPerWeek, PerWeek: 3, AnchorDate: date("2026-06-01"), AnchorDay: 1, Days: 20},
			want: due{
				"2026-06-01": 1, "2026-06-02": 1, "2026-06-03": 2, "2026-06-04": 2,
				"2026-06-05": 3, "2026-06-06": 3, "2026-06-07": 3, "2026-06-08": 4, "2026-06-10": 5, "2026-06-12": 6,
			},
		},
		{
			name:  "once a week: the same weekday every week",
			sched: practice.Schedule{Pace: practice.NPerWeek, PerWeek: 1, AnchorDate: date("2026-06-03"), AnchorDay: 1, Days: 20},
			want:  due{"2026-06-02": 0, "2026-06-03": 1, "2026-06-09": 1, "2026-06-10": 2, "2026-06-17": 3},
		},
		{
			name:  "n per week: never beyond the plan's last day",
			sched: practice.Schedule{Pace: practice.NPerWeek, PerWeek: 3, AnchorDate: date("2026-06-01"), AnchorDay: 1, Days: 4},
			want:  due{"2026-06-08": 4, "2026-06-10": 4, "2026-07-01": 4},
		},
		{
			name:  "self-paced: nothing is ever due",
			sched: practice.Schedule{Pace: practice.SelfPaced, AnchorDate: date("2026-06-01"), AnchorDay: 1, Days: 10},
			want:  due{"2026-05-31": 0, "2026-06-01": 0, "2026-06-05": 0, "2026-12-31": 0},
		},
		{
			name:  "calendar-anchored: daily from its fixed start whatever the pace, weekends too",
			sched: practice.Schedule{Pace: practice.Weekdays, Fixed: true, AnchorDate: date("2026-06-05"), AnchorDay: 1, Days: 7},
			want:  due{"2026-06-04": 0, "2026-06-05": 1, "2026-06-06": 2, "2026-06-07": 3, "2026-06-11": 7, "2026-06-12": 7},
		},
		{
			name:  "calendar-anchored: a self-paced retreat still follows its dates",
			sched: practice.Schedule{Pace: practice.SelfPaced, Fixed: true, AnchorDate: date("2026-06-05"), AnchorDay: 1, Days: 7},
			want:  due{"2026-06-05": 1, "2026-06-08": 4},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkDue(t, tt.sched, tt.want)
		})
	}

	t.Run("n per week: exactly n days fall due in any seven, at most one a date, evenly spaced", func(t *testing.T) {
		for per := 1; per <= 7; per++ {
			s := practice.Schedule{Pace: practice.NPerWeek, PerWeek: per, AnchorDate: date("2026-06-01"), AnchorDay: 1, Days: 1000}
			var dueOn []practice.Date
			for i := 0; i < 70; i++ {
				day := s.AnchorDate.AddDays(i)
				if week := s.DueDay(day.AddDays(6)) - s.DueDay(day.AddDays(-1)); week != per {
					t.Errorf("%d per week: %d days fall due in the seven from %s", per, week, day)
				}
				switch step := s.DueDay(day) - s.DueDay(day.AddDays(-1)); step {
				case 0:
				case 1:
					dueOn = append(dueOn, day)
				default:
					t.Errorf("%d per week: %d days fall due on %s", per, step, day)
				}
			}
			for i := 1; i < len(dueOn); i++ {
				if gap := dueOn[i].Sub(dueOn[i-1]); gap < 7/per || gap > (7+per-1)/per {
					t.Errorf("%d per week: %d days between %s and %s", per, gap, dueOn[i-1], dueOn[i])
				}
			}
		}
	})
}

// Catching up is a new anchor: the next unfinished day on today.
func TestScheduleCatchUp(t *testing.T) {
	tests := []struct {
		name  string
		sched practice.Schedule // the schedule that fell behind
		today string
		next  int // the next unfinished day
		want  due
	}{
		{
			name:  "daily: the next unfinished day is due today, the rest follow",
			sched: practice.Schedule{Pace: practice.Daily, AnchorDate: date("2026-06-01"), AnchorDay: 1, Days: 10},
			today: "2026-06-10", next: 3,
			want: due{"2026-06-10": 3, "2026-06-11": 4, "2026-06-12": 5},
		},
		{
			name:  "weekdays caught up on a Saturday: due that Saturday, then again on Monday",
			sched: practice.Schedule{Pace: practice.Weekdays, AnchorDate: date("2026-06-01"), AnchorDay: 1, Days: 10},
			today: "2026-06-13", next: 3,
			want: due{"2026-06-13": 3, "2026-06-14": 3, "2026-06-15": 4, "2026-06-16": 5},
		},
		{
			name:  "three per week: the next unfinished day is due today, the rest spread from there",
			sched: practice.Schedule{Pace: practice.NPerWeek, PerWeek: 3, AnchorDate: date("2026-06-01"), AnchorDay: 1, Days: 10},
			today: "2026-06-18", next: 2,
			want: due{"2026-06-18": 2, "2026-06-19": 2, "2026-06-20": 3, "2026-06-22": 4, "2026-06-25": 5},
		},
		{
			name:  "the last unfinished day is due today and stays due",
			sched: practice.Schedule{Pace: practice.Daily, AnchorDate: date("2026-06-01"), AnchorDay: 1, Days: 5},
			today: "2026-06-20", next: 5,
			want: due{"2026-06-20": 5, "2026-06-21": 5},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			today := date(tt.today)
			if was := tt.sched.DueDay(today.AddDays(-1)); was < tt.next {
				t.Fatalf("the schedule is not behind: day %d was due yesterday", was)
			}
			caught := tt.sched
			caught.AnchorDate, caught.AnchorDay = today, tt.next
			checkDue(t, caught, tt.want)
			if got := caught.DueDay(today.AddDays(-1)); got != tt.next-1 {
				t.Errorf("due yesterday after catching up: day %d, want %d", got, tt.next-1)
			}
		})
	}
}

func weekend(d practice.Date) bool {
	return d.Weekday() == time.Saturday || d.Weekday() == time.Sunday
}

func TestSchedulePauseAndResume(t *testing.T) {
	tests := []struct {
		name     string
		sched    practice.Schedule
		pausedOn string
		resumed  string
		want     due // after resuming
		// shift, when not negative, is how many calendar days every date
		// from the resume on falls behind the unpaused schedule.
		shift int
	}{
		{
			name:     "daily: resuming moves the schedule by the length of the pause",
			sched:    practice.Schedule{Pace: practice.Daily, AnchorDate: date("2026-06-01"), AnchorDay: 1, Days: 20},
			pausedOn: "2026-06-03", resumed: "2026-06-08", // the pause took 3-7 June
			want:  due{"2026-06-07": 2, "2026-06-08": 3, "2026-06-09": 4},
			shift: 5,
		},
		{
			name:     "daily: resuming the day after pausing moves the schedule a day",
			sched:    practice.Schedule{Pace: practice.Daily, AnchorDate: date("2026-06-01"), AnchorDay: 1, Days: 20},
			pausedOn: "2026-06-03", resumed: "2026-06-04", // the pause took 3 June
			want:  due{"2026-06-04": 3, "2026-06-05": 4},
			shift: 1,
		},
		{
			name:     "daily: pausing and resuming on one day changes nothing",
			sched:    practice.Schedule{Pace: practice.Daily, AnchorDate: date("2026-06-01"), AnchorDay: 1, Days: 20},
			pausedOn: "2026-06-03", resumed: "2026-06-03",
			want:  due{"2026-06-02": 2, "2026-06-03": 3, "2026-06-04": 4},
			shift: 0,
		},
		{
			name:     "weekdays resumed on a Saturday go on on Monday with what was due when the pause began",
			sched:    practice.Schedule{Pace: practice.Weekdays, AnchorDate: date("2026-06-01"), AnchorDay: 1, Days: 20},
			pausedOn: "2026-06-03", resumed: "2026-06-06", // the pause took Wednesday to Friday
			want:  due{"2026-06-06": 2, "2026-06-07": 2, "2026-06-08": 3, "2026-06-09": 4},
			shift: -1,
		},
		{
			name:     "weekdays paused on a Friday and resumed on a Sunday go on on Monday with Friday's day",
			sched:    practice.Schedule{Pace: practice.Weekdays, AnchorDate: date("2026-06-01"), AnchorDay: 1, Days: 20},
			pausedOn: "2026-06-05", resumed: "2026-06-07", // the pause took Friday
			want:  due{"2026-06-07": 4, "2026-06-08": 5, "2026-06-09": 6},
			shift: -1,
		},
		{
			name:     "weekdays: the schedule moves by the weekdays the pause took",
			sched:    practice.Schedule{Pace: practice.Weekdays, AnchorDate: date("2026-06-01"), AnchorDay: 1, Days: 20},
			pausedOn: "2026-06-05", resumed: "2026-06-10", // the pause took Friday, Monday and Tuesday
			want:  due{"2026-06-09": 4, "2026-06-10": 5, "2026-06-12": 7, "2026-06-13": 7, "2026-06-15": 8},
			shift: -1,
		},
		{
			name:     "weekdays caught up on a Saturday and paused that day go on on the resume day with Saturday's day",
			sched:    practice.Schedule{Pace: practice.Weekdays, AnchorDate: date("2026-06-06"), AnchorDay: 5, Days: 20},
			pausedOn: "2026-06-06", resumed: "2026-06-10", // the pause took Saturday, Monday and Tuesday
			want:  due{"2026-06-09": 4, "2026-06-10": 5, "2026-06-11": 6},
			shift: -1,
		},
		{
			name:     "three per week: every later day moves by the length of the pause",
			sched:    practice.Schedule{Pace: practice.NPerWeek, PerWeek: 3, AnchorDate: date("2026-06-01"), AnchorDay: 1, Days: 20},
			pausedOn: "2026-06-02", resumed: "2026-06-05", // the pause took 2-4 June
			want:  due{"2026-06-04": 1, "2026-06-05": 1, "2026-06-07": 2, "2026-06-10": 3},
			shift: 3,
		},
		{
			name:     "once a week: a pause on the due date moves the next day later, never forward",
			sched:    practice.Schedule{Pace: practice.NPerWeek, PerWeek: 1, AnchorDate: date("2026-06-01"), AnchorDay: 1, Days: 20},
			pausedOn: "2026-06-01", resumed: "2026-06-02", // the pause took 1 June
			want:  due{"2026-06-02": 1, "2026-06-08": 1, "2026-06-09": 2},
			shift: 1,
		},
		{
			name:     "a pause that ends before the start keeps the start",
			sched:    practice.Schedule{Pace: practice.Daily, AnchorDate: date("2026-06-10"), AnchorDay: 1, Days: 20},
			pausedOn: "2026-06-01", resumed: "2026-06-05",
			want:  due{"2026-06-05": 0, "2026-06-09": 0, "2026-06-10": 1},
			shift: 0,
		},
		{
			name:     "a pause that runs past the start moves the start",
			sched:    practice.Schedule{Pace: practice.Daily, AnchorDate: date("2026-06-10"), AnchorDay: 1, Days: 20},
			pausedOn: "2026-06-01", resumed: "2026-06-12", // the pause took 10-11 June from the plan
			want:  due{"2026-06-11": 0, "2026-06-12": 1, "2026-06-13": 2},
			shift: 2,
		},
		{
			name:     "a plan finished before the pause stays finished",
			sched:    practice.Schedule{Pace: practice.Daily, AnchorDate: date("2026-06-01"), AnchorDay: 1, Days: 3},
			pausedOn: "2026-06-05", resumed: "2026-06-10", // the pause took 5-9 June
			want:  due{"2026-06-09": 3, "2026-06-10": 3, "2026-06-30": 3},
			shift: 5,
		},
		{
			name:     "self-paced: nothing is due before, during or after a pause",
			sched:    practice.Schedule{Pace: practice.SelfPaced, AnchorDate: date("2026-06-01"), AnchorDay: 4, Days: 20},
			pausedOn: "2026-06-03", resumed: "2026-06-08",
			want:  due{"2026-06-08": 0, "2026-06-30": 0},
			shift: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			unpaused := tt.sched
			pausedOn, on := date(tt.pausedOn), date(tt.resumed)
			paused := tt.sched
			paused.PausedOn = &pausedOn
			frozen := paused.DueDay(pausedOn)

			for day := pausedOn; day.Before(on.AddDays(30)); day = day.AddDays(1) {
				if got := paused.DueDay(day); got != frozen {
					t.Errorf("while paused, day %d falls due on %s; day %d was due when the pause began", got, day, frozen)
					break
				}
			}

			resumed := paused.Resumed(on)
			if resumed.PausedOn != nil {
				t.Errorf("still paused on %s after resuming", resumed.PausedOn)
			}
			if pausedOn.Before(tt.sched.AnchorDate) {
				// The plan had not begun when the pause did: nothing of it
				// falls due before the resume day.
				if got := resumed.DueDay(on.AddDays(-1)); got != frozen {
					t.Errorf("due the day before resuming: day %d, want day %d; the pause began before the plan", got, frozen)
				}
			} else {
				// The pause took the date it began, so what was due then is
				// due again on the resume day; a weekday plan resumed at a
				// weekend, which is no practice date for it, takes it up on
				// the Monday.
				back, when := on, "the resume day"
				for tt.sched.Pace == practice.Weekdays && weekend(back) {
					back, when = back.AddDays(1), "the first weekday from the resume day"
				}
				if got := resumed.DueDay(back); got != frozen {
					t.Errorf("due on %s (%s): day %d, want day %d, what was due when the pause began", when, back, got, frozen)
				}
			}
			checkDue(t, resumed, tt.want)
			for day := on; day.Before(on.AddDays(60)); day = day.AddDays(1) {
				if got, plan := resumed.DueDay(day), unpaused.DueDay(day); got > plan {
					t.Errorf("the pause brought day %d forward to %s; without it day %d is due then", got, day, plan)
					break
				}
			}
			if tt.shift < 0 {
				return
			}
			for day := on; day.Before(on.AddDays(60)); day = day.AddDays(1) {
				if got, want := resumed.DueDay(day), unpaused.DueDay(day.AddDays(-tt.shift)); got != want {
					t.Errorf("due on %s: day %d, want day %d, what was due %d days earlier without the pause", day, got, want, tt.shift)
					break
				}
			}
		})
	}

	t.Run("resuming a schedule that is not paused changes nothing", func(t *testing.T) {
		s := practice.Schedule{Pace: practice.Daily, AnchorDate: date("2026-06-01"), AnchorDay: 1, Days: 20}
		if got := s.Resumed(date("2026-06-10")); got != s {
			t.Errorf("Resumed = %+v, want %+v", got, s)
		}
	})

	t.Run("a calendar-anchored plan follows its dates through a pause", func(t *testing.T) {
		retreat := practice.Schedule{Pace: practice.Daily, Fixed: true, AnchorDate: date("2026-06-01"), AnchorDay: 1, Days: 10}
		pausedOn := date("2026-06-03")
		paused := retreat
		paused.PausedOn = &pausedOn
		checkDue(t, paused, due{"2026-06-03": 3, "2026-06-05": 5, "2026-06-07": 7})
		resumed := paused.Resumed(date("2026-06-06"))
		if resumed.PausedOn != nil || resumed.AnchorDate != retreat.AnchorDate || resumed.AnchorDay != retreat.AnchorDay {
			t.Errorf("resumed retreat = %+v, want its own dates %+v", resumed, retreat)
		}
		checkDue(t, resumed, due{"2026-06-06": 6, "2026-06-07": 7, "2026-06-10": 10, "2026-06-11": 10})
	})
}

package practice_test

import (
	"testing"

	"github.com/dharmaplans/dharmaplans/internal/practice"
)

// Dates come from clients (start dates, activity ranges): whatever is sent,
// ParseDate either refuses it or reads a date that prints back the same.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-11-25", "2026-02-30", "0000-01-01", "9999-12-31", "2026-1-5", "", "2026-11-25T00:00:00Z", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := practice.ParseDate(s)
		if err != nil {
			return
		}
		if d.String() != s {
			t.Fatalf("%q reads as %s", s, d)
		}
		if back, err := practice.ParseDate(d.String()); err != nil || back != d {
			t.Fatalf("%s does not round-trip: %v", d, err)
		}
	})
}

// Whatever the pace, anchor and pause, a schedule never has more than the
// plan's days due, and what is due never goes down as the days pass.
func FuzzScheduleDueDay(f *testing.F) {
	f.Add(uint8(0), uint8(3), int16(0), uint8(1), uint16(30), int16(-1), int16(10))
	f.Add(uint8(1), uint8(0), int16(4), uint8(2), uint16(7), int16(3), int16(5))
	f.Add(uint8(2), uint8(5), int16(-3), uint8(9), uint16(365), int16(20), int16(2))
	f.Fuzz(func(t *testing.T, pace, perWeek uint8, anchorOffset int16, anchorDay uint8, days uint16, pausedAt, resumeAfter int16) {
		start := practice.MustDate("2026-06-01")
		s := practice.Schedule{
			Pace:       practice.Paces[int(pace)%len(practice.Paces)],
			PerWeek:    int(perWeek%7) + 1,
			AnchorDate: start.AddDays(int(anchorOffset % 400)),
			AnchorDay:  int(anchorDay%50) + 1,
			Days:       int(days%365) + 1,
		}
		if pausedAt >= 0 {
			p := start.AddDays(int(pausedAt % 400))
			s.PausedOn = &p
		}
		check := func(s practice.Schedule) {
			prev := 0
			for i := -5; i < 500; i += 3 {
				n := s.DueDay(start.AddDays(i))
				if n < 0 || n > s.Days || n < prev {
					t.Fatalf("%+v: day %d due on %s after %d", s, n, start.AddDays(i), prev)
				}
				prev = n
			}
		}
		check(s)
		if s.PausedOn != nil {
			on := s.PausedOn.AddDays(int(resumeAfter%60+60) % 60)
			r := s.Resumed(on)
			check(r)
			// Nothing fell due while paused: the day before resuming shows no
			// more than the pause began with.
			if paused := s.DueDay(*s.PausedOn); on.After(*s.PausedOn) && r.DueDay(on.AddDays(-1)) > paused {
				t.Fatalf("%+v resumed on %s: day %d due the day before, more than the %d due when paused", s, on, r.DueDay(on.AddDays(-1)), paused)
			}
		}
	})
}

package practice_test

import (
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/practice"
)

// mustZone loads an IANA zone or stops the test.
func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := practice.LoadZone(name)
	if err != nil {
		t.Fatalf("load zone %q: %v", name, err)
	}
	return loc
}

// mustInstant parses an RFC 3339 time. Tests write instants with their UTC
// offset so that an hour a DST change repeats is never ambiguous.
func mustInstant(t *testing.T, s string) time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatalf("parse instant %q: %v", s, err)
	}
	return at
}

func TestLocalDate(t *testing.T) {
	tests := []struct {
		name     string
		zone     string
		at       string // the instant, written in the zone's own offset
		dayStart int
		want     string
	}{
		// New York springs forward on 2026-03-08: 02:00 EST becomes 03:00 EDT.
		{"New York: 01:30 before the clocks spring forward is that day", "America/New_York", "2026-03-08T01:30:00-05:00", 0, "2026-03-08"},
		{"New York: the last second before the jump is that day", "America/New_York", "2026-03-08T01:59:59-05:00", 0, "2026-03-08"},
		{"New York: 03:00 just after the jump is that day", "America/New_York", "2026-03-08T03:00:00-04:00", 0, "2026-03-08"},
		{"New York: 03:30 after the clocks sprang forward is that day", "America/New_York", "2026-03-08T03:30:00-04:00", 0, "2026-03-08"},
		{"New York: the last second of the short day is still that day", "America/New_York", "2026-03-08T23:59:59-04:00", 0, "2026-03-08"},
		{"New York: midnight after the short day is the next day", "America/New_York", "2026-03-09T00:00:00-04:00", 0, "2026-03-09"},
		{"New York: with a day start of 3, 01:59 on the short night belongs to yesterday", "America/New_York", "2026-03-08T01:59:59-05:00", 3, "2026-03-07"},
		{"New York: with a day start of 3, 03:00 on the short night is today", "America/New_York", "2026-03-08T03:00:00-04:00", 3, "2026-03-08"},

		// New York falls back on 2026-11-01: 02:00 EDT becomes 01:00 EST, so 01:00-02:00 happens twice.
		{"New York: the first 01:30 of the long night is that day", "America/New_York", "2026-11-01T01:30:00-04:00", 0, "2026-11-01"},
		{"New York: the second 01:30 of the long night is that day", "America/New_York", "2026-11-01T01:30:00-05:00", 0, "2026-11-01"},
		{"New York: 02:30 after the clocks fell back is that day", "America/New_York", "2026-11-01T02:30:00-05:00", 0, "2026-11-01"},
		{"New York: 03:30 after the clocks fell back is that day", "America/New_York", "2026-11-01T03:30:00-05:00", 0, "2026-11-01"},
		{"New York: the last second of the long day is still that day", "America/New_York", "2026-11-01T23:59:59-05:00", 0, "2026-11-01"},
		{"New York: with a day start of 3, the first 01:30 of the long night belongs to yesterday", "America/New_York", "2026-11-01T01:30:00-04:00", 3, "2026-10-31"},
		{"New York: with a day start of 3, the second 01:30 of the long night belongs to yesterday", "America/New_York", "2026-11-01T01:30:00-05:00", 3, "2026-10-31"},
		{"New York: with a day start of 3, 02:59 on the long night belongs to yesterday", "America/New_York", "2026-11-01T02:59:59-05:00", 3, "2026-10-31"},
		{"New York: with a day start of 3, 03:00 on the long night is today", "America/New_York", "2026-11-01T03:00:00-05:00", 3, "2026-11-01"},

		// Berlin springs forward on 2026-03-29: 02:00 CET becomes 03:00 CEST, so 02:00-03:00 never happens.
		{"Berlin: 01:30 before the clocks spring forward is that day", "Europe/Berlin", "2026-03-29T01:30:00+01:00", 0, "2026-03-29"},
		{"Berlin: 03:30 after the clocks sprang forward is that day", "Europe/Berlin", "2026-03-29T03:30:00+02:00", 0, "2026-03-29"},
		{"Berlin: the last second of the short day is still that day", "Europe/Berlin", "2026-03-29T23:59:59+02:00", 0, "2026-03-29"},
		{"Berlin: with a day start of 3, the last second before the missing hour belongs to yesterday", "Europe/Berlin", "2026-03-29T01:59:59+01:00", 3, "2026-03-28"},
		{"Berlin: with a day start of 3, 03:00 right after the missing hour is today", "Europe/Berlin", "2026-03-29T03:00:00+02:00", 3, "2026-03-29"},

		// Berlin falls back on 2026-10-25: 03:00 CEST becomes 02:00 CET, so 02:00-03:00 happens twice.
		{"Berlin: 01:30 before the clocks fall back is that day", "Europe/Berlin", "2026-10-25T01:30:00+02:00", 0, "2026-10-25"},
		{"Berlin: the first 02:30 of the long night is that day", "Europe/Berlin", "2026-10-25T02:30:00+02:00", 0, "2026-10-25"},
		{"Berlin: the second 02:30 of the long night is that day", "Europe/Berlin", "2026-10-25T02:30:00+01:00", 0, "2026-10-25"},
		{"Berlin: 03:30 after the clocks fell back is that day", "Europe/Berlin", "2026-10-25T03:30:00+01:00", 0, "2026-10-25"},
		{"Berlin: with a day start of 3, the first 02:59 of the long night belongs to yesterday", "Europe/Berlin", "2026-10-25T02:59:59+02:00", 3, "2026-10-24"},
		{"Berlin: with a day start of 3, the second 02:59 of the long night belongs to yesterday", "Europe/Berlin", "2026-10-25T02:59:59+01:00", 3, "2026-10-24"},
		{"Berlin: with a day start of 3, 03:00 after both 02:00s is today", "Europe/Berlin", "2026-10-25T03:00:00+01:00", 3, "2026-10-25"},

		// A day start applies on ordinary days and in every zone.
		{"Tokyo: with a day start of 3, 01:00 belongs to yesterday", "Asia/Tokyo", "2026-06-11T01:00:00+09:00", 3, "2026-06-10"},
		{"Tokyo: with a day start of 3, 03:00 is today", "Asia/Tokyo", "2026-06-11T03:00:00+09:00", 3, "2026-06-11"},
		{"UTC: with a day start of 3, a practice on New Year's night belongs to the old year", "UTC", "2027-01-01T02:00:00Z", 3, "2026-12-31"},
		{"Los Angeles: the date is the local one, not UTC's", "America/Los_Angeles", "2026-06-10T20:00:00-07:00", 0, "2026-06-10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := practice.LocalDate(mustInstant(t, tt.at), mustZone(t, tt.zone), tt.dayStart)
			if want := practice.MustDate(tt.want); got != want {
				t.Errorf("LocalDate(%s in %s, day start %d) = %s, want %s", tt.at, tt.zone, tt.dayStart, got, want)
			}
		})
	}
}

// A DST change makes a day 23 or 25 hours long, but it stays one calendar
// day: its hours map to one date, and the dates around it follow one
// another without a gap or a repeat. With a day start of 3 the changed
// hour falls in the night that belongs to the day before.
func TestLocalDateDSTDayIsOneDay(t *testing.T) {
	tests := []struct {
		name     string
		zone     string
		date     string
		dayStart int
		hours    int
	}{
		{"New York spring-forward day is 23 hours", "America/New_York", "2026-03-08", 0, 23},
		{"New York fall-back day is 25 hours", "America/New_York", "2026-11-01", 0, 25},
		{"Berlin spring-forward day is 23 hours", "Europe/Berlin", "2026-03-29", 0, 23},
		{"Berlin fall-back day is 25 hours", "Europe/Berlin", "2026-10-25", 0, 25},
		{"New York with a day start of 3: the day before loses the hour", "America/New_York", "2026-03-07", 3, 23},
		{"New York with a day start of 3: the spring-forward date itself is 24 hours", "America/New_York", "2026-03-08", 3, 24},
		{"New York with a day start of 3: the day before gains the hour", "America/New_York", "2026-10-31", 3, 25},
		{"New York with a day start of 3: the fall-back date itself is 24 hours", "America/New_York", "2026-11-01", 3, 24},
		{"Berlin with a day start of 3: the day before loses the hour", "Europe/Berlin", "2026-03-28", 3, 23},
		{"Berlin with a day start of 3: the spring-forward date itself is 24 hours", "Europe/Berlin", "2026-03-29", 3, 24},
		{"Berlin with a day start of 3: the day before gains the hour", "Europe/Berlin", "2026-10-24", 3, 25},
		{"Berlin with a day start of 3: the fall-back date itself is 24 hours", "Europe/Berlin", "2026-10-25", 3, 24},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := mustZone(t, tt.zone)
			day := practice.MustDate(tt.date)
			// Walk minute by minute through four days around it.
			from := day.AddDays(-2).Time()
			prev := practice.LocalDate(from, loc, tt.dayStart)
			minutes := 0
			for at := from; at.Before(day.AddDays(3).Time()); at = at.Add(time.Minute) {
				got := practice.LocalDate(at, loc, tt.dayStart)
				if step := got.Sub(prev); step != 0 && step != 1 {
					t.Fatalf("at %s the date went from %s to %s", at.In(loc).Format(time.RFC3339), prev, got)
				}
				if got == day {
					minutes++
				}
				prev = got
			}
			if minutes != tt.hours*60 {
				t.Errorf("%s lasts %d minutes in %s, want %d hours", day, minutes, tt.zone, tt.hours)
			}
		})
	}
}

func TestDate(t *testing.T) {
	t.Run("a DST day is one day apart from its neighbours", func(t *testing.T) {
		for _, d := range []string{"2026-03-08", "2026-11-01", "2026-03-29", "2026-10-25"} {
			day := practice.MustDate(d)
			if got := day.AddDays(1).Sub(day); got != 1 {
				t.Errorf("%s to the next day is %d days", d, got)
			}
			if got := day.Sub(day.AddDays(-1)); got != 1 {
				t.Errorf("the day before %s to %s is %d days", d, d, got)
			}
		}
	})

	t.Run("dates count calendar days across months and years", func(t *testing.T) {
		tests := []struct {
			from string
			days int
			want string
		}{
			{"2026-02-28", 1, "2026-03-01"},
			{"2028-02-28", 1, "2028-02-29"},
			{"2026-12-31", 1, "2027-01-01"},
			{"2026-03-01", -1, "2026-02-28"},
			{"1970-01-01", -1, "1969-12-31"},
		}
		for _, tt := range tests {
			if got := practice.MustDate(tt.from).AddDays(tt.days); got.String() != tt.want {
				t.Errorf("%s %+d days = %s, want %s", tt.from, tt.days, got, tt.want)
			}
		}
	})

	t.Run("a date knows its weekday", func(t *testing.T) {
		if got := practice.MustDate("2026-06-05").Weekday(); got != time.Friday {
			t.Errorf("2026-06-05 is a %s, want Friday", got)
		}
	})

	t.Run("a date reads back what it writes", func(t *testing.T) {
		day := practice.MustDate("2026-03-08")
		text, err := day.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back practice.Date
		if err := back.UnmarshalText(text); err != nil {
			t.Fatal(err)
		}
		if back != day || string(text) != "2026-03-08" {
			t.Errorf("round trip gave %q and %s", text, back)
		}
	})

	t.Run("only YYYY-MM-DD is a date", func(t *testing.T) {
		for _, s := range []string{"", "2026-3-8", "08/03/2026", "2026-02-30", "2026-03-08T00:00:00Z"} {
			if _, err := practice.ParseDate(s); err == nil {
				t.Errorf("ParseDate(%q) accepted it", s)
			}
		}
	})

	t.Run("no zone means UTC", func(t *testing.T) {
		if loc := mustZone(t, ""); loc != time.UTC {
			t.Errorf("LoadZone(\"\") = %v, want UTC", loc)
		}
		if _, err := practice.LoadZone("Mars/Olympus_Mons"); err == nil {
			t.Error("an unknown zone loaded")
		}
	})
}

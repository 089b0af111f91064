package practice

import (
	"fmt"
	"sync"
	"time"
)

// Date is a calendar day in someone's own calendar, without a time or a
// zone. Streaks and schedules count Dates, never 24-hour periods, so a
// day with a DST change is one day like any other.
type Date struct {
	days int // days since 1970-01-01
}

// DateOf returns the Date with the given year, month and day (normalised
// like time.Date: March 32 is April 1).
func DateOf(year int, month time.Month, day int) Date {
	return Date{days: int(time.Date(year, month, day, 0, 0, 0, 0, time.UTC).Unix() / 86400)}
}

// ParseDate reads YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date in the form YYYY-MM-DD", s)
	}
	return DateOf(t.Date()), nil
}

// MustDate is ParseDate for literals in tests and tables.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// LocalDate is the date of instant t for someone in loc whose day begins
// at dayStartHour (0-23): at 02:00 with a day start of 3 it is still
// yesterday. The hour is read on the local wall clock, so DST changes move
// nothing.
func LocalDate(t time.Time, loc *time.Location, dayStartHour int) Date {
	lt := t.In(loc)
	d := DateOf(lt.Date())
	if lt.Hour() < dayStartHour {
		d = d.AddDays(-1)
	}
	return d
}

// Time is midnight UTC of d, for formatting and weekdays.
func (d Date) Time() time.Time { return time.Unix(int64(d.days)*86400, 0).UTC() }

// String is YYYY-MM-DD.
func (d Date) String() string { return d.Time().Format(time.DateOnly) }

// MarshalText implements encoding.TextMarshaler.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// AddDays returns the date n calendar days later (earlier when negative).
func (d Date) AddDays(n int) Date { return Date{days: d.days + n} }

// Sub is the number of calendar days from e to d.
func (d Date) Sub(e Date) int { return d.days - e.days }

// Before reports whether d comes before e.
func (d Date) Before(e Date) bool { return d.days < e.days }

// After reports whether d comes after e.
func (d Date) After(e Date) bool { return d.days > e.days }

// Weekday is the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.Time().Weekday() }

// Min returns the earlier of d and e.
func (d Date) Min(e Date) Date {
	if e.Before(d) {
		return e
	}
	return d
}

// LoadZone loads an IANA zone, treating "" as UTC.
func LoadZone(name string) (*time.Location, error) {
	if name == "" {
		return time.UTC, nil
	}
	return time.LoadLocation(name)
}

// zones keeps loaded zones: loading one reads the tz database.
var zones sync.Map // name -> *time.Location

// loadZone is LoadZone, remembered.
func loadZone(name string) (*time.Location, error) {
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := LoadZone(name)
	if err != nil {
		return nil, err
	}
	zones.Store(name, loc)
	return loc, nil
}

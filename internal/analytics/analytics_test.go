package analytics_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/analytics"
	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/identity"
)

// fakeStore answers fixed counts and notes the windows it was asked for.
type fakeStore struct {
	series []analytics.DayCounts
	window analytics.Window
	active analytics.ActiveWindows
}

func (f *fakeStore) StatsUsers(_ context.Context, w analytics.Window) (analytics.Users, error) {
	f.window = w
	return analytics.Users{Total: 1}, nil
}

func (f *fakeStore) StatsActive(_ context.Context, w analytics.ActiveWindows) (analytics.Active, error) {
	f.active = w
	return analytics.Active{}, nil
}

func (f *fakeStore) StatsSeries(context.Context, analytics.Window) ([]analytics.DayCounts, error) {
	return f.series, nil
}

func (f *fakeStore) StatsTopPlans(context.Context, analytics.Window, int) ([]analytics.TopPlan, error) {
	return nil, nil
}

func (f *fakeStore) StatsPlans(context.Context) (analytics.Plans, error) {
	return analytics.Plans{}, nil
}

var admin = &identity.Principal{UserID: "a", Role: identity.RoleAdmin}

func TestOverviewCountsInUTCDays(t *testing.T) {
	// 23:30 on the 2nd of March in New York is 04:30 on the 3rd in UTC:
	// the dashboard's today is the 3rd.
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 2, 23, 30, 0, 0, ny)
	st := &fakeStore{series: []analytics.DayCounts{
		{Date: "2026-02-25", Ticks: 3, PracticeSeconds: 119},
		{Date: "2026-03-03", Enrollments: 1},
		{Date: "2026-02-20", Ticks: 9}, // before the window: dropped
	}}
	svc := analytics.NewService(analytics.Deps{Store: st, Now: func() time.Time { return now }})
	o, err := svc.Overview(t.Context(), admin, 7)
	if err != nil {
		t.Fatal(err)
	}
	utc := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	if o.From != "2026-02-25" || o.To != "2026-03-03" || !st.window.From.Equal(utc("2026-02-25")) || !st.window.To.Equal(utc("2026-03-04")) {
		t.Errorf("window %s to %s, asked %v to %v; want 2026-02-25 to 2026-03-03 (up to 2026-03-04 00:00 UTC)", o.From, o.To, st.window.From, st.window.To)
	}
	if !st.active.Today.Equal(utc("2026-03-03")) || !st.active.Week.Equal(utc("2026-02-25")) || !st.active.Month.Equal(utc("2026-02-02")) || !st.active.End.Equal(utc("2026-03-04")) {
		t.Errorf("active windows %+v", st.active)
	}
	if len(o.Series) != 7 {
		t.Fatalf("%d series entries, want 7", len(o.Series))
	}
	for i, want := range []analytics.DayCounts{
		{Date: "2026-02-25", Ticks: 3, PracticeSeconds: 119}, {Date: "2026-02-26"}, {Date: "2026-02-27"}, {Date: "2026-02-28"},
		{Date: "2026-03-01"}, {Date: "2026-03-02"}, {Date: "2026-03-03", Enrollments: 1},
	} {
		if o.Series[i] != want {
			t.Errorf("series[%d] = %+v, want %+v", i, o.Series[i], want)
		}
	}
	if m := o.Series[0].PracticeMinutes(); m != 1 {
		t.Errorf("119 seconds are %d practice minutes, want 1 (rounded down)", m)
	}
}

func TestOverviewIsForAdminsWithSevenToAYearOfDays(t *testing.T) {
	svc := analytics.NewService(analytics.Deps{Store: &fakeStore{}})
	for _, p := range []*identity.Principal{nil, {UserID: "r", Role: identity.RoleUser}, {UserID: "w", Role: identity.RoleAuthor}} {
		if _, err := svc.Overview(t.Context(), p, 30); err == nil {
			t.Errorf("%+v sees the dashboard", p)
		}
	}
	for _, days := range []int{-1, 6, 366} {
		_, err := svc.Overview(t.Context(), admin, days)
		var e *errs.Error
		if !errs.Is(err, errs.Invalid) || !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Field != "query.days" {
			t.Errorf("days %d: %v, want query.days invalid", days, err)
		}
	}
	for days, want := range map[int]int{0: analytics.DefaultDays, 7: 7, 365: 365} {
		o, err := svc.Overview(t.Context(), admin, days)
		if err != nil || len(o.Series) != want || o.Days != want {
			t.Errorf("days %d: %v; want a series of %d", days, err, want)
		}
	}
}

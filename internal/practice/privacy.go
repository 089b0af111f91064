package practice

import (
	"context"
	"time"
)

// PersonalData is what practice keeps about a person, as their export
// shows it.
type PersonalData struct {
	Settings struct {
		GraceDaysPerWeek int  `json:"grace_days_per_week"`
		ShowStreaks      bool `json:"show_streaks"`
	} `json:"settings"`
	Streak struct {
		Current       int    `json:"current"`
		Longest       int    `json:"longest"`
		LastDate      string `json:"last_date,omitempty"`
		GraceDays     []Date `json:"grace_days"`
		DaysPractised int    `json:"days_practised"`
		Seconds       int    `json:"seconds_meditated"`
	} `json:"streak"`
	Enrollments []ExportedEnrollment `json:"enrollments"`
	Completions []ExportedCompletion `json:"completions"`
	Days        []ExportedDay        `json:"finished_days"`
	Journal     []ExportedJournal    `json:"journal"`
	Sessions    []ExportedSession    `json:"sessions"`
	Activity    []ExportedActivity   `json:"activity"`
	Positions   []ExportedPosition   `json:"listening_positions"`
}

// ExportedPosition is where the person stopped in an audio or video item.
type ExportedPosition struct {
	EnrollmentID string    `json:"enrollment_id"`
	ItemID       string    `json:"item_id"`
	Millis       int64     `json:"position_ms"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// ExportedEnrollment is an enrolment in an export.
type ExportedEnrollment struct {
	ID           string     `json:"id"`
	Plan         string     `json:"plan"`
	Status       Status     `json:"status"`
	Pace         Pace       `json:"pace"`
	PerWeek      int        `json:"per_week,omitempty"`
	StartDate    Date       `json:"start_date"`
	ReminderTime string     `json:"reminder_time,omitempty"`
	Cycle        int        `json:"cycle"`
	CreatedAt    time.Time  `json:"created_at"`
	CompletedAt  *time.Time `json:"completed_at,omitempty"`
}

// ExportedCompletion is a done item or task in an export.
type ExportedCompletion struct {
	EnrollmentID string    `json:"enrollment_id"`
	Cycle        int       `json:"cycle"`
	Kind         string    `json:"kind"`
	TargetID     string    `json:"target_id"`
	Day          int       `json:"day"`
	At           time.Time `json:"at"`
	LocalDate    Date      `json:"local_date"`
	Timezone     string    `json:"timezone"`
}

// ExportedDay is a finished day in an export.
type ExportedDay struct {
	EnrollmentID string    `json:"enrollment_id"`
	Cycle        int       `json:"cycle"`
	Day          int       `json:"day"`
	At           time.Time `json:"at"`
	LocalDate    Date      `json:"local_date"`
	Timezone     string    `json:"timezone"`
}

// ExportedJournal is a reflection in an export.
type ExportedJournal struct {
	EnrollmentID string    `json:"enrollment_id"`
	Day          int       `json:"day"`
	Body         string    `json:"body"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// ExportedSession is a practice session in an export.
type ExportedSession struct {
	ID           string      `json:"id"`
	Kind         SessionKind `json:"kind"`
	StartedAt    time.Time   `json:"started_at"`
	Seconds      int         `json:"duration_seconds"`
	LocalDate    Date        `json:"local_date"`
	Timezone     string      `json:"timezone"`
	EnrollmentID string      `json:"enrollment_id,omitempty"`
	TaskID       string      `json:"task_id,omitempty"`
	Note         string      `json:"note,omitempty"`
}

// ExportedActivity is a practised date in an export.
type ExportedActivity struct {
	Date         Date `json:"date"`
	DaysFinished int  `json:"days_finished"`
	Sessions     int  `json:"sessions"`
	Seconds      int  `json:"seconds_meditated"`
}

// PersonalData is everything practice keeps about userID, for their export.
func (s *Service) PersonalData(ctx context.Context, userID string) (any, error) {
	x, err := s.store.Export(ctx, userID)
	if err != nil {
		return nil, err
	}
	var out PersonalData
	p := x.Profile
	out.Settings.GraceDaysPerWeek, out.Settings.ShowStreaks = p.GracePerWeek, p.ShowStreaks
	out.Streak.Current, out.Streak.Longest, out.Streak.GraceDays = p.Streak.Current, p.Streak.Longest, append([]Date{}, p.Streak.Grace...)
	out.Streak.DaysPractised, out.Streak.Seconds = p.DaysPractised, p.Seconds
	if p.Streak.Has {
		out.Streak.LastDate = p.Streak.Last.String()
	}
	out.Enrollments = []ExportedEnrollment{}
	for _, e := range x.Enrollments {
		out.Enrollments = append(out.Enrollments, ExportedEnrollment{ID: e.ID, Plan: e.PlanSlug, Status: e.Status, Pace: e.Pace,
			PerWeek: e.PerWeek, StartDate: e.StartDate, ReminderTime: e.ReminderTime, Cycle: e.Cycle, CreatedAt: e.CreatedAt, CompletedAt: e.CompletedAt})
	}
	out.Completions = []ExportedCompletion{}
	for _, c := range x.Completions {
		out.Completions = append(out.Completions, ExportedCompletion{EnrollmentID: c.EnrollmentID, Cycle: c.Cycle, Kind: c.Kind,
			TargetID: c.TargetID, Day: c.Day, At: c.At, LocalDate: c.LocalDate, Timezone: c.Zone})
	}
	out.Days = []ExportedDay{}
	for _, d := range x.Days {
		out.Days = append(out.Days, ExportedDay{EnrollmentID: d.EnrollmentID, Cycle: d.Cycle, Day: d.Day, At: d.At, LocalDate: d.LocalDate, Timezone: d.Zone})
	}
	out.Journal = []ExportedJournal{}
	for _, j := range x.Journal {
		out.Journal = append(out.Journal, ExportedJournal{EnrollmentID: j.EnrollmentID, Day: j.Day, Body: j.Body, UpdatedAt: j.UpdatedAt})
	}
	out.Sessions = []ExportedSession{}
	for _, ps := range x.Sessions {
		out.Sessions = append(out.Sessions, ExportedSession{ID: ps.ID, Kind: ps.Kind, StartedAt: ps.StartedAt, Seconds: ps.Seconds,
			LocalDate: ps.LocalDate, Timezone: ps.Zone, EnrollmentID: ps.EnrollmentID, TaskID: ps.TaskID, Note: ps.Note})
	}
	out.Activity = []ExportedActivity{}
	for _, a := range x.Activity {
		out.Activity = append(out.Activity, ExportedActivity{Date: a.Date, DaysFinished: a.DaysFinished, Sessions: a.Sessions, Seconds: a.Seconds})
	}
	out.Positions = []ExportedPosition{}
	for _, pos := range x.Positions {
		out.Positions = append(out.Positions, ExportedPosition(pos))
	}
	return &out, nil
}

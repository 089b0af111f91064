package practice

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/identity"
)

// MaxJournal is the largest journal entry, in bytes.
const MaxJournal = 20 << 10

// Limits of a practice session.
const (
	MaxSessionSeconds = 24 * 60 * 60
	MaxNote           = 2000
	MaxActivityDays   = 400
)

// Journal returns p's reflection on day n of an enrolment. Only its
// writer can ever read it.
func (s *Service) Journal(ctx context.Context, p *identity.Principal, id string, n int) (*JournalEntry, error) {
	e, err := s.enrollment(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if err := s.checkDay(ctx, e, n); err != nil {
		return nil, err
	}
	j, err := s.store.Journal(ctx, e.ID, n)
	if errs.Is(err, errs.NotFound) {
		return &JournalEntry{EnrollmentID: e.ID, Day: n}, nil // nothing written yet
	}
	return j, err
}

// checkDay answers NotFound for a day the enrolment's plan does not have.
func (s *Service) checkDay(ctx context.Context, e *Enrollment, n int) error {
	x, err := s.index(ctx, e)
	if err != nil {
		return err
	}
	if n < 1 || n > x.Days {
		return errs.E(errs.NotFound, "the plan has %d days; there is no day %d", x.Days, n)
	}
	return nil
}

// JournalSave is a new text for a day's reflection.
type JournalSave struct {
	Enrollment string
	Day        int
	Body       string
	At         time.Time // the device's clock; zero: now
	ClientID   string
}

// SaveJournal stores p's reflection on a day. A save older than the one
// stored (an offline device syncing late) does not overwrite it.
func (s *Service) SaveJournal(ctx context.Context, p *identity.Principal, j JournalSave) (*JournalEntry, error) {
	out, err := s.saveJournal(ctx, p, j, "")
	if err != nil {
		return nil, err
	}
	s.hub.publish(ctx, p.UserID)
	return out, nil
}

func (s *Service) saveJournal(ctx context.Context, p *identity.Principal, j JournalSave, receipt string) (*JournalEntry, error) {
	e, err := s.enrollment(ctx, p, j.Enrollment)
	if err != nil {
		return nil, err
	}
	if s.site != nil && !s.site.JournalOpen(ctx) {
		return nil, errs.E(errs.Forbidden, "the journal is switched off on this site for now: your reflections written so far can still be read, but no new ones saved")
	}
	if err := s.checkDay(ctx, e, j.Day); err != nil {
		return nil, err
	}
	if len(j.Body) > MaxJournal {
		return nil, errs.Validation(errs.FieldError{Field: "body.body", Message: fmt.Sprintf("a reflection holds at most %d KB; this one has %d bytes", MaxJournal>>10, len(j.Body))})
	}
	if msg := badText(j.Body); msg != "" {
		return nil, errs.Validation(errs.FieldError{Field: "body.body", Message: "body " + msg})
	}
	if err := checkClientID("header.Idempotency-Key", j.ClientID); err != nil {
		return nil, err
	}
	now := s.clock()
	zoneName := ""
	if err := checkMoment(&j.At, &zoneName, e, now); err != nil {
		return nil, err
	}
	if j.ClientID == "" {
		j.ClientID = newID()
	}
	entry := &JournalEntry{EnrollmentID: e.ID, Day: j.Day, Body: j.Body, UpdatedAt: j.At, ClientID: j.ClientID}
	err = s.store.Write(ctx, p.UserID, func(tx Tx) error {
		old, err := tx.Journal(e.ID, j.Day)
		switch {
		case errs.Is(err, errs.NotFound):
		case err != nil:
			return err
		case old.UpdatedAt.After(entry.UpdatedAt) || (old.UpdatedAt.Equal(entry.UpdatedAt) && old.ClientID >= entry.ClientID):
			entry = old // a later save is kept
		}
		if entry != old {
			if err := tx.PutJournal(entry); err != nil {
				return err
			}
			if _, err := tx.AddEvent("journal", jsonOf(map[string]any{"enrollment_id": e.ID, "day": j.Day}), now); err != nil {
				return err
			}
		}
		if receipt != "" {
			return tx.SaveReceipt(&Receipt{UserID: p.UserID, ClientID: j.ClientID, Digest: receipt, Result: Applied, At: now})
		}
		return nil
	})
	return entry, err
}

// SessionRequest is a practice session as a device reports it.
type SessionRequest struct {
	ClientID   string      `json:"-"`
	Kind       SessionKind `json:"kind"`
	StartedAt  time.Time   `json:"-"`
	Seconds    int         `json:"duration_seconds"`
	Timezone   string      `json:"timezone,omitempty"`
	Enrollment string      `json:"enrollment_id,omitempty"`
	Task       string      `json:"task_id,omitempty"`
	Note       string      `json:"note,omitempty"`
}

// LogSession records a practice session, such as a sit with the timer. It
// counts for the streak on the date it started. Sending it again with the
// same client id records it once.
func (s *Service) LogSession(ctx context.Context, p *identity.Principal, r SessionRequest) (*Session, error) {
	out, err := s.logSession(ctx, p, r, "")
	if err != nil {
		return nil, err
	}
	s.hub.publish(ctx, p.UserID)
	return out, nil
}

func (s *Service) logSession(ctx context.Context, p *identity.Principal, r SessionRequest, receipt string) (*Session, error) {
	if err := use(p); err != nil {
		return nil, err
	}
	var fields []errs.FieldError
	bad := func(field, msg string) {
		fields = append(fields, errs.FieldError{Field: "body." + field, Message: msg})
	}
	if r.Kind == "" {
		r.Kind = Meditation
	}
	if !slices.Contains(SessionKinds, r.Kind) {
		bad("kind", "kind must be one of meditation, chanting, walking, other")
	}
	if r.Seconds < 1 || r.Seconds > MaxSessionSeconds {
		bad("duration_seconds", "duration_seconds must be from 1 to 86400")
	}
	if utf8.RuneCountInString(r.Note) > MaxNote || badText(r.Note) != "" {
		bad("note", fmt.Sprintf("note must be UTF-8 text without NUL characters, at most %d characters", MaxNote))
	}
	if err := checkClientID("header.Idempotency-Key", r.ClientID); err != nil {
		var e *errs.Error
		if errors.As(err, &e) {
			fields = append(fields, e.Fields...)
		}
	}
	if r.Timezone != "" {
		if err := identity.CheckTimezone(r.Timezone); err != nil {
			bad("timezone", "timezone "+err.Error())
		}
	}
	now := s.clock()
	if r.StartedAt.Sub(now) > MaxFuture {
		bad("started_at", "started_at is more than 24 hours ahead of the server's clock; check the device's date")
	}
	if r.Task != "" && r.Enrollment == "" {
		bad("task_id", "task_id needs the enrollment_id it belongs to")
	}
	if len(fields) > 0 {
		return nil, errs.Validation(fields...)
	}
	if r.Enrollment != "" {
		e, err := s.enrollment(ctx, p, r.Enrollment)
		if err != nil {
			return nil, err
		}
		if r.Task != "" {
			x, err := s.index(ctx, e)
			if err != nil {
				return nil, err
			}
			if _, ok := x.Find("task", r.Task); !ok {
				return nil, errs.E(errs.NotFound, "there is no task %s in %q", r.Task, x.Title)
			}
		}
	}
	if r.StartedAt.IsZero() {
		r.StartedAt = now.Add(-time.Duration(r.Seconds) * time.Second)
	}
	r.StartedAt = r.StartedAt.UTC().Truncate(time.Microsecond)
	if r.StartedAt.After(now) {
		r.StartedAt = now
	}
	if r.ClientID == "" {
		r.ClientID = newID()
	}
	var out *Session
	err := s.store.Write(ctx, p.UserID, func(tx Tx) error {
		prof, err := tx.Profile()
		if err != nil {
			return err
		}
		zoneName := r.Timezone
		if zoneName == "" {
			zoneName = prof.Zone
		}
		sess := &Session{ID: newID(), UserID: p.UserID, ClientID: r.ClientID, Kind: r.Kind, StartedAt: r.StartedAt, Seconds: r.Seconds,
			LocalDate: LocalDate(r.StartedAt, zone(zoneName), prof.DayStartHour), Zone: zoneName,
			EnrollmentID: r.Enrollment, TaskID: r.Task, Note: r.Note, CreatedAt: now}
		added, err := tx.AddSession(sess)
		if err != nil {
			return err
		}
		out = sess
		if added {
			if err := s.refreshDay(tx, prof, sess.LocalDate); err != nil {
				return err
			}
			if err := tx.SaveProfile(prof); err != nil {
				return err
			}
			if _, err := tx.AddEvent("session", jsonOf(map[string]any{"id": sess.ID, "date": sess.LocalDate}), now); err != nil {
				return err
			}
		}
		if receipt != "" {
			return tx.SaveReceipt(&Receipt{UserID: p.UserID, ClientID: r.ClientID, Digest: receipt, Result: Applied, At: now})
		}
		return nil
	})
	return out, err
}

// Stats is a person's practice at a glance.
type Stats struct {
	// Streak is nil when the person chose to hide streaks.
	Streak         *Standing
	ShowStreaks    bool
	GracePerWeek   int
	DaysPractised  int
	Minutes        int // meditated
	PlansCompleted int
	Today          Date
	Plans          []*Progress // active and paused enrolments
}

// Stats returns p's stats. The streak comes from the kept profile: reading
// it scans no history.
func (s *Service) Stats(ctx context.Context, p *identity.Principal) (*Stats, error) {
	if err := use(p); err != nil {
		return nil, err
	}
	prof, err := s.store.Profile(ctx, p.UserID)
	if err != nil {
		return nil, err
	}
	now := s.clock()
	today := LocalDate(now, zone(prof.Zone), prof.DayStartHour)
	st := &Stats{ShowStreaks: prof.ShowStreaks, GracePerWeek: prof.GracePerWeek, DaysPractised: prof.DaysPractised,
		Minutes: prof.Seconds / 60, Today: today}
	if prof.ShowStreaks {
		standing := prof.Streak.AsOfIn(today, now, prof.Zone, prof.rules())
		st.Streak = &standing
	}
	if st.PlansCompleted, err = s.store.CountCompleted(ctx, p.UserID); err != nil {
		return nil, err
	}
	page, err := s.Enrollments(ctx, p, []Status{Active, Paused}, "", 100)
	if err != nil {
		return nil, err
	}
	st.Plans = page.Items
	return st, nil
}

// Activity lists p's practice per date of their calendar from from to to,
// for a year's heat-map.
func (s *Service) Activity(ctx context.Context, p *identity.Principal, from, to *Date) ([]DayRecord, Date, Date, error) {
	if err := use(p); err != nil {
		return nil, Date{}, Date{}, err
	}
	prof, err := s.store.Profile(ctx, p.UserID)
	if err != nil {
		return nil, Date{}, Date{}, err
	}
	today := LocalDate(s.clock(), zone(prof.Zone), prof.DayStartHour)
	end := today
	if to != nil {
		end = *to
	}
	start := end.AddDays(-364)
	if from != nil {
		start = *from
	}
	switch {
	case end.Before(start):
		return nil, start, end, errs.Validation(errs.FieldError{Field: "query.from", Message: "from must not come after to"})
	case end.Sub(start) >= MaxActivityDays:
		return nil, start, end, errs.Validation(errs.FieldError{Field: "query.from", Message: fmt.Sprintf("ask for at most %d days at a time", MaxActivityDays)})
	}
	days, err := s.store.Activity(ctx, p.UserID, start, end)
	return days, start, end, err
}

// Settings are a person's practice settings.
type Settings struct {
	GracePerWeek *int
	ShowStreaks  *bool
}

// Settings returns p's practice settings in a profile.
func (s *Service) Settings(ctx context.Context, p *identity.Principal) (*Profile, error) {
	if err := use(p); err != nil {
		return nil, err
	}
	return s.store.Profile(ctx, p.UserID)
}

// UpdateSettings changes p's grace days or streak visibility. A new grace
// allowance recounts the streak from history under the new rule.
func (s *Service) UpdateSettings(ctx context.Context, p *identity.Principal, ch Settings) (*Profile, error) {
	if err := use(p); err != nil {
		return nil, err
	}
	if g := ch.GracePerWeek; g != nil && (*g < 0 || *g > MaxGracePerWeek) {
		return nil, errs.Validation(errs.FieldError{Field: "body.grace_days_per_week", Message: fmt.Sprintf("grace_days_per_week must be from 0 to %d", MaxGracePerWeek)})
	}
	var out *Profile
	err := s.store.Write(ctx, p.UserID, func(tx Tx) error {
		prof, err := tx.Profile()
		if err != nil {
			return err
		}
		if ch.ShowStreaks != nil {
			prof.ShowStreaks = *ch.ShowStreaks
		}
		if ch.GracePerWeek != nil && *ch.GracePerWeek != prof.GracePerWeek {
			prof.GracePerWeek = *ch.GracePerWeek
			if err := s.rebuild(tx, prof); err != nil {
				return err
			}
		}
		prof.UpdatedAt = s.clock()
		out = prof
		return tx.SaveProfile(prof)
	})
	return out, err
}

// RebuildStreak recounts userID's practice dates from their finished days
// and sessions, and their streak and totals from those dates. It returns
// the kept profile and the recounted one (they never should differ); with
// save false it changes nothing.
func (s *Service) RebuildStreak(ctx context.Context, userID string, save bool) (before, after *Profile, err error) {
	err = s.store.Write(ctx, userID, func(tx Tx) error {
		prof, err := tx.Profile()
		if err != nil {
			return err
		}
		kept := *prof
		before = &kept
		if err := tx.RefreshAll(); err != nil {
			return err
		}
		if err := s.rebuild(tx, prof); err != nil {
			return err
		}
		after = prof
		if !save {
			return errDryRun
		}
		return tx.SaveProfile(prof)
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	return before, after, err
}

// errDryRun rolls back a rebuild that only checks.
var errDryRun = errors.New("dry run")

// Agree reports whether two profiles hold the same streak and totals.
func Agree(a, b *Profile) bool {
	return a.Streak.Current == b.Streak.Current && a.Streak.Longest == b.Streak.Longest &&
		a.Streak.Has == b.Streak.Has && a.Streak.Last == b.Streak.Last && slices.Equal(a.Streak.Grace, b.Streak.Grace) &&
		a.DaysPractised == b.DaysPractised && a.Seconds == b.Seconds
}

// PracticeUsers lists the users with practice records, a page at a time.
func (s *Service) PracticeUsers(ctx context.Context, after string, limit int) ([]string, error) {
	return s.store.PracticeUsers(ctx, after, limit)
}

// Package practice is what a practitioner touches every day: enrolments in
// plans and their schedules, today's reading, completions that count
// exactly once however often a phone retries or syncs, kind streaks
// counted in the person's own calendar days, private journal entries,
// practice sessions, stats, and live updates to their other devices.
//
// The day arithmetic lives here, once: Date, Schedule and Streak are pure
// and tested with a controlled clock; the Service applies them inside the
// store's transactions.
package practice

import (
	"context"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
)

// Status is where an enrolment stands.
type Status string

// The statuses.
const (
	Active    Status = "active"
	Paused    Status = "paused"
	Completed Status = "completed"
	Abandoned Status = "abandoned" // left; its history stays
)

// Statuses lists every Status.
var Statuses = []Status{Active, Paused, Completed, Abandoned}

// Current reports whether s counts as "the" enrolment in its plan: a user
// has at most one active or paused enrolment per plan.
func (s Status) Current() bool { return s == Active || s == Paused }

// Enrollment is a person following a plan.
type Enrollment struct {
	ID     string
	UserID string
	PlanID string
	Status Status
	Pace   Pace
	// PerWeek is the days per week of the NPerWeek pace.
	PerWeek   int
	StartDate Date
	// AnchorDate and AnchorDay anchor the schedule (see Schedule).
	AnchorDate Date
	AnchorDay  int
	PausedOn   *Date
	// ReminderTime is a local time of day ("07:30") for reminders, or "".
	ReminderTime string
	// Cycle counts restarts: completions belong to one cycle.
	Cycle       int
	CompletedAt *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time

	// Read with the enrolment, never written through it:
	PlanSlug     string
	PlanStatus   catalog.Status
	PlanRevision string // the plan's published revision, which readers follow
	Zone         string // the owner's time zone
	DayStartHour int    // the owner's day start
	Done         []int  // the days finished in this cycle, in order
	DaysDone     int    // len(Done)
}

// Completion is a finished item or task of an enrolment's cycle. There is
// at most one per target; undoing removes it.
type Completion struct {
	EnrollmentID string
	Cycle        int
	Kind         string // catalog.TargetItem or catalog.TargetTask
	TargetID     string
	Day          int
	At           time.Time // when it was done (the client's clock, never in the future)
	LocalDate    Date      // the person's date then
	Zone         string    // their time zone then
	ClientID     string    // the event that made it
}

// TargetEvent is one "done" or "undone" for a target, kept so that the
// target's state is the same whatever order the events arrive in.
type TargetEvent struct {
	EnrollmentID string
	Cycle        int
	Kind         string
	TargetID     string
	Day          int
	Done         bool
	At           time.Time
	LocalDate    Date
	Zone         string
	ClientID     string
}

// DayCompletion records a finished day: when its last required target was
// done, in the person's calendar.
type DayCompletion struct {
	EnrollmentID string
	Cycle        int
	Day          int
	UserID       string
	At           time.Time
	LocalDate    Date
	Zone         string
}

// DayRecord is what a person did on one date of their calendar.
type DayRecord struct {
	PracticeDay
	DaysFinished int
	Sessions     int
	Seconds      int // meditated
}

// Session is a logged practice session, such as a sit with the timer.
type Session struct {
	ID           string
	UserID       string
	ClientID     string
	Kind         SessionKind
	StartedAt    time.Time
	Seconds      int
	LocalDate    Date
	Zone         string
	EnrollmentID string // optional
	TaskID       string // optional
	Note         string
	CreatedAt    time.Time
}

// SessionKind says what kind of practice a session was.
type SessionKind string

// The session kinds.
const (
	Meditation SessionKind = "meditation"
	Chanting   SessionKind = "chanting"
	Walking    SessionKind = "walking"
	Other      SessionKind = "other"
)

// SessionKinds lists every SessionKind.
var SessionKinds = []SessionKind{Meditation, Chanting, Walking, Other}

// JournalEntry is a private reflection on one day of an enrolment.
type JournalEntry struct {
	EnrollmentID string
	Day          int
	Body         string // Markdown
	UpdatedAt    time.Time
	ClientID     string
}

// Profile is a person's practice settings and their streak, kept current
// on every write so that reading it scans no history.
type Profile struct {
	UserID        string
	GracePerWeek  int
	ShowStreaks   bool
	Streak        Streak
	DaysPractised int
	Seconds       int // meditated, all time
	UpdatedAt     time.Time

	// Read with the profile:
	Zone         string
	DayStartHour int
}

// Receipt remembers an applied offline event by its client id, so a
// retried batch is answered the same and a reused id is noticed.
type Receipt struct {
	UserID   string
	ClientID string
	Digest   string // of the event's content
	Result   string // the result reported the first time
	At       time.Time
}

// Event is a change pushed to a person's open devices.
type Event struct {
	ID     int64
	UserID string
	Kind   string
	Data   string // JSON
	At     time.Time
}

// Store keeps practice data. Writes that touch a person's progress go
// through Write, whose transaction serialises them per person.
type Store interface {
	CreateEnrollment(ctx context.Context, e *Enrollment) error
	// Enrollment returns userID's enrolment id; someone else's is not found.
	Enrollment(ctx context.Context, userID, id string) (*Enrollment, error)
	// CurrentEnrollment returns userID's active or paused enrolment in planID.
	CurrentEnrollment(ctx context.Context, userID, planID string) (*Enrollment, error)
	// ListEnrollments lists userID's enrolments, newest first, after the
	// cursor id, with the given statuses (all when empty).
	ListEnrollments(ctx context.Context, userID string, statuses []Status, after string, limit int) ([]*Enrollment, error)
	// DoneDays lists the finished days of an enrolment's cycle.
	DoneDays(ctx context.Context, enrollmentID string, cycle int) ([]int, error)
	// DayCompletions lists the completions of one day of a cycle.
	DayCompletions(ctx context.Context, enrollmentID string, cycle, day int) ([]Completion, error)
	Journal(ctx context.Context, enrollmentID string, day int) (*JournalEntry, error)
	// DayState returns the completions of one day of a cycle and whether
	// the day has a journal entry (what a day's page needs, at once).
	DayState(ctx context.Context, enrollmentID string, cycle, day int) ([]Completion, bool, error)
	// EnrollmentDay is Enrollment and DayState of the enrolment's current
	// cycle at once: one round trip for a day's page.
	EnrollmentDay(ctx context.Context, userID, id string, day int) (*Enrollment, []Completion, bool, error)
	// Receipt returns userID's receipt of clientID, or NotFound.
	Receipt(ctx context.Context, userID, clientID string) (*Receipt, error)
	// EnrolledIn reports whether userID has an enrolment in planID that
	// they have not left.
	EnrolledIn(ctx context.Context, userID, planID string) (bool, error)
	// Profile returns userID's profile, with defaults when they have none.
	Profile(ctx context.Context, userID string) (*Profile, error)
	// Activity lists userID's practice dates from from to to, inclusive.
	Activity(ctx context.Context, userID string, from, to Date) ([]DayRecord, error)
	// CountCompleted counts userID's completed enrolments.
	CountCompleted(ctx context.Context, userID string) (int, error)
	// LastEventID is the id of userID's latest event, 0 when none.
	LastEventID(ctx context.Context, userID string) (int64, error)
	// Events lists userID's events after id, oldest first.
	Events(ctx context.Context, userID string, after int64, limit int) ([]Event, error)
	// PruneEvents deletes events older than before.
	PruneEvents(ctx context.Context, before time.Time) (int64, error)
	// PracticeUsers lists, after the cursor, users with a practice profile.
	PracticeUsers(ctx context.Context, after string, limit int) ([]string, error)
	// Write runs fn in one transaction for userID's progress.
	Write(ctx context.Context, userID string, fn func(Tx) error) error
	// WriteEnrollment is Write for a change to enrolment enrollmentID: the
	// first tx.Enrollment(enrollmentID) may be answered from the statement
	// that began the transaction.
	WriteEnrollment(ctx context.Context, userID, enrollmentID string, fn func(Tx) error) error
	// Export returns every practice record of userID, for their export.
	Export(ctx context.Context, userID string) (*Export, error)
	// Position returns the position saved for an item of an enrolment,
	// or NotFound.
	Position(ctx context.Context, enrollmentID, itemID string) (*Position, error)
	// SavePosition stores pos unless the stored one is later, and returns
	// the one kept.
	SavePosition(ctx context.Context, pos Position) (*Position, error)
}

// Tx is a transaction on one person's progress (see Store.Write).
type Tx interface {
	// Profile returns the person's profile, locked for the transaction.
	Profile() (*Profile, error)
	SaveProfile(p *Profile) error
	// Enrollment returns one of the person's enrolments.
	Enrollment(id string) (*Enrollment, error)
	UpdateEnrollment(e *Enrollment) error

	// SaveReceipt records r; a known client id is a Conflict.
	SaveReceipt(r *Receipt) error

	// MarkState returns, in one read, what marking a target of a day of a
	// cycle starts from: the target's events in the cycle, the day's
	// completions and whether the day is finished.
	MarkState(enrollmentID string, cycle int, kind, targetID string, day int) (*MarkState, error)
	// AddTargetEvent records ev, reporting false when an event with its
	// client id is recorded already.
	AddTargetEvent(ev *TargetEvent) (bool, error)
	// SetCompletion stores c, or removes the target's completion when c
	// is nil.
	SetCompletion(enrollmentID string, cycle int, kind, targetID string, c *Completion) error
	// SetDayCompletion stores dc, or removes the day's when dc is nil.
	SetDayCompletion(enrollmentID string, cycle, day int, dc *DayCompletion) error
	// CountDoneDays counts the finished days of a cycle.
	CountDoneDays(enrollmentID string, cycle int) (int, error)

	// AddSession records s, reporting false when a session with its
	// client id is recorded already.
	AddSession(s *Session) (bool, error)
	// PutJournal stores e over the entry of its day.
	PutJournal(e *JournalEntry) error
	Journal(enrollmentID string, day int) (*JournalEntry, error)

	// RefreshDay recomputes the person's record of date from their finished
	// days and sessions, returning it before and after (nil: none).
	RefreshDay(date Date) (before, after *DayRecord, err error)
	// RefreshAll recomputes every record of the person from their
	// finished days and sessions.
	RefreshAll() error
	// Days lists every practice date of the person.
	Days() ([]DayRecord, error)

	// AddEvent records a change for the person's devices.
	AddEvent(kind, data string, at time.Time) (int64, error)
}

// MarkState is what marking a target starts from (see Tx.MarkState).
type MarkState struct {
	Events      []TargetEvent  // the target's, in the cycle, in no order
	Completions []Completion   // the day's
	Finished    *DayCompletion // the day's record; nil: not finished
}

// Export is everything practice keeps about a person.
type Export struct {
	Profile     *Profile
	Enrollments []*Enrollment
	Completions []Completion
	Days        []DayCompletion
	Journal     []JournalEntry
	Sessions    []Session
	Activity    []DayRecord
	Positions   []Position
}

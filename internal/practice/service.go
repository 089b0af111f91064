package practice

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/maypok86/otter/v2"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/identity"
)

// Catalog is what practice reads of the catalogue.
type Catalog interface {
	// Index returns a published plan's index by slug or id.
	Index(ctx context.Context, ref string) (*catalog.PlanIndex, error)
	// IndexOf returns the index of a plan's published revision.
	IndexOf(ctx context.Context, ref catalog.Followed) (*catalog.PlanIndex, error)
	// DayOf returns day n of a published revision.
	DayOf(ctx context.Context, revisionID string, n int) (*catalog.Day, error)
}

// Deps are what the Service uses.
type Deps struct {
	Store   Store
	Catalog Catalog
	// Broker carries "something changed" to every replica; nil: in process.
	Broker Broker
	// Site holds the site's settings that practice follows; nil: the
	// defaults (no reminder unless chosen, the journal open).
	Site Site
	// Now is the clock; nil: time.Now.
	Now    func() time.Time
	Logger *slog.Logger
}

// Service holds the rules of practice.
type Service struct {
	store   Store
	catalog Catalog
	hub     *hub
	site    Site
	// shown is the day each enrolment's today view showed last (see
	// dayView); a guess, never an answer.
	shown  *otter.Cache[string, int]
	now    func() time.Time
	logger *slog.Logger
}

// NewService returns a Service. Call Close to stop its live updates.
func NewService(d Deps) *Service {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.Broker == nil {
		d.Broker = NewLocalBroker()
	}
	s := &Service{store: d.Store, catalog: d.Catalog, site: d.Site, now: d.Now, logger: d.Logger,
		shown: otter.Must(&otter.Options[string, int]{MaximumSize: 100_000})}
	s.hub = newHub(d.Broker, d.Store, d.Logger)
	return s
}

// Close stops delivering live updates.
func (s *Service) Close() error { return s.hub.close() }

// clock is now in UTC to the microsecond, the finest both engines keep.
func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// newID returns a new identifier: a UUIDv7, which sorts by creation time.
func newID() string { return uuid.Must(uuid.NewV7()).String() }

// validID reports whether id could be one of ours.
func validID(id string) bool {
	_, err := uuid.Parse(id)
	return err == nil && len(id) == 36
}

// badText says what is wrong with a client's text for a database column:
// invalid UTF-8, or NUL characters (which PostgreSQL refuses), or "".
func badText(s string) string {
	switch {
	case !utf8.ValidString(s):
		return "must be UTF-8 text"
	case strings.ContainsRune(s, 0):
		return "must not contain NUL characters"
	}
	return ""
}

// checkClientID validates a client-generated event id ("" is allowed:
// the server makes one up).
func checkClientID(field, id string) error {
	if len(id) > MaxClientID {
		return errs.Validation(errs.FieldError{Field: field, Message: fmt.Sprintf("%s must be at most %d characters", field[strings.LastIndex(field, ".")+1:], MaxClientID)})
	}
	if msg := badText(id); msg != "" {
		return errs.Validation(errs.FieldError{Field: field, Message: field[strings.LastIndex(field, ".")+1:] + " " + msg})
	}
	return nil
}

// use checks that p may use practice at all.
func use(p *identity.Principal) error { return identity.Authorize(p, identity.UseAccount) }

// notFound is the answer for an enrolment that is not the caller's.
func notFound() error { return errs.E(errs.NotFound, "enrollment not found") }

// enrollment returns p's enrolment id.
func (s *Service) enrollment(ctx context.Context, p *identity.Principal, id string) (*Enrollment, error) {
	if err := use(p); err != nil {
		return nil, err
	}
	if !validID(id) {
		return nil, notFound()
	}
	e, err := s.store.Enrollment(ctx, p.UserID, id)
	if errs.Is(err, errs.NotFound) {
		return nil, notFound()
	}
	return e, err
}

// index returns the index of the revision e follows: the plan's published
// one, which e's row names (an enrolment made in Go names none yet).
func (s *Service) index(ctx context.Context, e *Enrollment) (*catalog.PlanIndex, error) {
	if e.PlanRevision == "" {
		return s.catalog.Index(ctx, e.PlanID)
	}
	return s.catalog.IndexOf(ctx, catalog.Followed{PlanID: e.PlanID, Slug: e.PlanSlug, Status: e.PlanStatus, RevisionID: e.PlanRevision})
}

// zone loads a time zone name, falling back to UTC for a name the tz
// database no longer knows.
func zone(name string) *time.Location {
	loc, err := loadZone(name)
	if err != nil {
		return time.UTC
	}
	return loc
}

// today is e's owner's date at now.
func (e *Enrollment) today(now time.Time) Date {
	return LocalDate(now, zone(e.Zone), e.DayStartHour)
}

// Schedule is the enrolment's schedule for a plan of days days.
func (e *Enrollment) Schedule(days int, fixed bool) Schedule {
	return Schedule{Pace: e.Pace, PerWeek: e.PerWeek, AnchorDate: e.AnchorDate, AnchorDay: e.AnchorDay,
		Days: days, Fixed: fixed, PausedOn: e.PausedOn}
}

// CanRead implements catalog.Reader: days beyond the preview are for
// people enrolled in the plan (in any state but left) and for admins.
func (s *Service) CanRead(ctx context.Context, p *identity.Principal, plan *catalog.Plan) (bool, error) {
	if p == nil {
		return false, nil
	}
	if p.Role == identity.RoleAdmin {
		return true, nil
	}
	return s.store.EnrolledIn(ctx, p.UserID, plan.ID)
}

package practice

import (
	"context"
	"fmt"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/identity"
)

// Position is where someone stopped in an audio or video item of a plan
// they follow, so that any of their devices resumes there.
type Position struct {
	EnrollmentID string
	ItemID       string
	Millis       int64     // from the start of the recording
	UpdatedAt    time.Time // zero when nothing was saved
}

// MaxPosition is the furthest position, in milliseconds: a day.
const MaxPosition = 24 * 3600 * 1000

// PositionSave is a position as a device reports it.
type PositionSave struct {
	Enrollment, Item string
	Millis           int64
	// At is when the device was there (its clock; zero: now). A save
	// dated before the stored one (an offline device syncing late) leaves
	// the newer position.
	At time.Time
}

// ItemPosition returns where p stopped in item of enrolment id (at 0 when
// nothing was saved).
func (s *Service) ItemPosition(ctx context.Context, p *identity.Principal, id, item string) (*Position, error) {
	e, err := s.positionTarget(ctx, p, id, item)
	if err != nil {
		return nil, err
	}
	pos, err := s.store.Position(ctx, e.ID, item)
	if errs.Is(err, errs.NotFound) {
		return &Position{EnrollmentID: e.ID, ItemID: item}, nil
	}
	return pos, err
}

// SavePosition stores where p stopped in an item, unless a later save is
// stored already; it returns the position kept.
func (s *Service) SavePosition(ctx context.Context, p *identity.Principal, in PositionSave) (*Position, error) {
	e, err := s.positionTarget(ctx, p, in.Enrollment, in.Item)
	if err != nil {
		return nil, err
	}
	if in.Millis < 0 || in.Millis > MaxPosition {
		return nil, errs.Validation(errs.FieldError{Field: "body.position_ms",
			Message: fmt.Sprintf("position_ms is from 0 to %d (a day)", MaxPosition)})
	}
	zoneName := ""
	if err := checkMoment(&in.At, &zoneName, e, s.clock()); err != nil {
		return nil, err
	}
	return s.store.SavePosition(ctx, Position{EnrollmentID: e.ID, ItemID: in.Item, Millis: in.Millis, UpdatedAt: in.At})
}

// positionTarget returns p's enrolment id if item is an item of the plan
// it follows.
func (s *Service) positionTarget(ctx context.Context, p *identity.Principal, id, item string) (*Enrollment, error) {
	e, err := s.enrollment(ctx, p, id)
	if err != nil {
		return nil, err
	}
	x, err := s.index(ctx, e)
	if err != nil {
		return nil, err
	}
	if _, ok := x.Find(catalog.TargetItem, item); !validID(item) || !ok {
		return nil, errs.E(errs.NotFound, "this plan has no such item")
	}
	return e, nil
}

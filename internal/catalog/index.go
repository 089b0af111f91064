package catalog

import (
	"context"
	"strconv"

	"github.com/dharmaplans/dharmaplans/internal/errs"
)

// Target kinds: what in a day can be completed.
const (
	TargetItem = "item"
	TargetTask = "task"
)

// Target is an item or task of a published plan, with the day it is on:
// what a reader's completions are checked against.
type Target struct {
	Kind     string `json:"kind"` // TargetItem or TargetTask
	ID       string `json:"id"`
	Day      int    `json:"day"`
	Optional bool   `json:"optional"` // an optional task; items are never optional
}

// PlanIndex is what practice needs to know about a published plan without
// its content: its length, its calendar, and where each item and task is.
type PlanIndex struct {
	PlanID          string   `json:"plan_id"`
	Slug            string   `json:"slug"`
	Title           string   `json:"title"`
	Status          Status   `json:"status"`
	Days            int      `json:"days"`
	Revision        int      `json:"revision"`
	FixedStartDates []string `json:"fixed_start_dates"`
	Targets         []Target `json:"targets"` // by day, then items before tasks, in order
}

// Find returns the target of kind with id.
func (x *PlanIndex) Find(kind, id string) (Target, bool) {
	for _, t := range x.Targets {
		if t.Kind == kind && t.ID == id {
			return t, true
		}
	}
	return Target{}, false
}

// Required lists the targets day n needs done to be finished: its items
// and its tasks that are not optional.
func (x *PlanIndex) Required(n int) []Target {
	var out []Target
	for _, t := range x.Targets {
		if t.Day == n && !t.Optional {
			out = append(out, t)
		}
	}
	return out
}

// Index returns the index of the published (or archived) plan whose slug
// or id is ref. It is cached like the plan page, under the slug or id.
func (s *Service) Index(ctx context.Context, ref string) (*PlanIndex, error) {
	key := s.cacheKey(ctx, "index", ref)
	var out PlanIndex
	if s.cached(ctx, key, &out) {
		return &out, nil
	}
	slug := ref
	if validID(ref) {
		plan, err := s.store.PlanByID(ctx, ref)
		if errs.Is(err, errs.NotFound) {
			return nil, notFound()
		}
		if err != nil {
			return nil, err
		}
		slug = plan.Slug
	}
	plan, err := s.publishedPlan(ctx, slug)
	if err != nil {
		return nil, err
	}
	x, err := s.revisionIndex(ctx, plan.PublishedRevisionID)
	if err != nil {
		return nil, err
	}
	out = *x
	out.PlanID, out.Slug, out.Status = plan.ID, plan.Slug, plan.Status
	s.keep(ctx, key, &out) // by the slug or id it was asked for
	return &out, nil
}

// Followed names the revision of a plan that its readers follow, as their
// enrolment's row has it.
type Followed struct {
	PlanID     string
	Slug       string
	Status     Status
	RevisionID string
}

// IndexOf returns the index of ref's published revision. A published
// revision never changes (editing one starts the next), so its index and
// its days are kept in process under the revision's id: a reader's daily
// requests need not ask the shared cache which catalogue generation is
// current, because the enrolment's row names the revision.
func (s *Service) IndexOf(ctx context.Context, ref Followed) (*PlanIndex, error) {
	if ref.RevisionID == "" {
		return nil, notFound()
	}
	key := "revision:" + ref.RevisionID + ":index"
	x, ok := s.decoded.GetIfPresent(key)
	if !ok {
		var err error
		if x, err = s.revisionIndex(ctx, ref.RevisionID); err != nil {
			return nil, err
		}
		s.decoded.Set(key, x)
	}
	out := *x.(*PlanIndex) // shares its lists: callers only read them
	out.PlanID, out.Slug, out.Status = ref.PlanID, ref.Slug, ref.Status
	return &out, nil
}

// DayOf returns day n of a published revision (see IndexOf).
func (s *Service) DayOf(ctx context.Context, revisionID string, n int) (*Day, error) {
	key := "revision:" + revisionID + ":day:" + strconv.Itoa(n)
	if d, ok := s.decoded.GetIfPresent(key); ok {
		return d.(*Day), nil
	}
	d, err := s.store.Day(ctx, revisionID, n)
	if err != nil {
		return nil, err
	}
	s.decoded.Set(key, d)
	return d, nil
}

// revisionIndex reads what a plan's index takes from revision id: all but
// the plan's id, slug and status.
func (s *Service) revisionIndex(ctx context.Context, id string) (*PlanIndex, error) {
	r, err := s.store.RevisionMeta(ctx, id)
	if err != nil {
		return nil, err
	}
	targets, err := s.store.Targets(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	x := &PlanIndex{Title: r.Title, Days: r.DayCount, Revision: r.Number, FixedStartDates: r.FixedStartDates, Targets: targets}
	if x.FixedStartDates == nil {
		x.FixedStartDates = []string{}
	}
	return x, nil
}

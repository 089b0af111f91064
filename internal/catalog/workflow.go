package catalog

import (
	"context"
	"unicode/utf8"

	"github.com/dharmaplans/dharmaplans/internal/audit"
	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/identity"
)

// MaxNote bounds a reviewer's note.
const MaxNote = 4000

// Submit sends the plan's working revision to review. It must be a draft
// with at least one author and one day, and something to read or do on
// every day.
func (s *Service) Submit(ctx context.Context, p *identity.Principal, id string) (*Editable, error) {
	plan, r, err := s.editablePlan(ctx, p, id)
	if err != nil {
		return nil, err
	}
	switch r.State {
	case RevisionInReview:
		return nil, errs.E(errs.Conflict, "the plan is already in review")
	case RevisionPublished:
		return nil, errs.E(errs.Conflict, "nothing has changed since the plan was published")
	}
	var pr problems
	checkReady(&pr, r)
	if err := pr.err(); err != nil {
		return nil, err
	}
	now := s.clock()
	if plan.PublishedRevisionID == "" {
		plan.Status = InReview
	}
	plan.UpdatedAt = now
	if err := s.store.ChangeState(ctx, plan, RevisionChange{RevisionID: r.ID, From: RevisionDraft, To: RevisionInReview, At: now}); err != nil {
		return nil, err
	}
	r.State, r.SubmittedAt, r.ReviewNote = RevisionInReview, &now, ""
	return s.draft(ctx, plan, r)
}

// reviewable loads a plan for an admin's decision.
func (s *Service) reviewable(ctx context.Context, p *identity.Principal, id string) (*Plan, error) {
	if err := identity.Authorize(p, identity.ReviewPlans); err != nil {
		return nil, err
	}
	if !validID(id) {
		return nil, notFound()
	}
	return s.store.PlanByID(ctx, id)
}

// Publish publishes the revision in review, which replaces the published
// one for readers at once; or, for an archived plan with nothing in
// review, brings it back to the catalogue.
func (s *Service) Publish(ctx context.Context, p *identity.Principal, id string) (*Editable, error) {
	plan, err := s.reviewable(ctx, p, id)
	if err != nil {
		return nil, err
	}
	now := s.clock()
	var changes []RevisionChange
	var r *Revision
	restored := false
	if plan.WorkingRevisionID != "" {
		r, err = s.store.Revision(ctx, plan.WorkingRevisionID)
		if err != nil {
			return nil, err
		}
	}
	switch {
	case r != nil && r.State == RevisionInReview:
		changes = append(changes, RevisionChange{RevisionID: r.ID, From: RevisionInReview, To: RevisionPublished, ReviewedBy: p.UserID, At: now})
		if plan.PublishedRevisionID != "" {
			changes = append(changes, RevisionChange{RevisionID: plan.PublishedRevisionID, From: RevisionPublished, To: RevisionSuperseded, At: now})
		}
		plan.PublishedRevisionID, plan.WorkingRevisionID = r.ID, ""
		if plan.FirstPublishedAt == nil {
			plan.FirstPublishedAt = &now
		}
		r.State, r.ReviewedAt, r.ReviewedBy = RevisionPublished, &now, p.UserID
	case plan.Status == Archived:
		r, err = s.store.Revision(ctx, plan.PublishedRevisionID)
		if err != nil {
			return nil, err
		}
		restored = true
	default:
		return nil, errs.E(errs.Conflict, "the plan has nothing in review to publish")
	}
	plan.Status, plan.PublishedAt, plan.ArchivedAt, plan.UpdatedAt = Published, &now, nil, now
	if err := s.store.ChangeState(ctx, plan, changes...); err != nil {
		return nil, err
	}
	s.newGeneration(ctx)
	s.logger.InfoContext(ctx, "plan published", "plan_id", plan.ID, "revision", r.Number, "by", p.UserID)
	details := map[string]any{"revision": r.Number}
	if restored {
		details["restored"] = true
	}
	s.record(ctx, p, audit.PlanPublished, audit.TargetPlan, plan.ID, r.Title, details)
	return s.draft(ctx, plan, r)
}

// Reject sends the revision in review back to its authors as a draft, with
// a note saying what to change.
func (s *Service) Reject(ctx context.Context, p *identity.Principal, id, note string) (*Editable, error) {
	plan, err := s.reviewable(ctx, p, id)
	if err != nil {
		return nil, err
	}
	note = Markdown(note)
	var pr problems
	switch {
	case note == "":
		pr.add("body.note", "say what the authors should change")
	case utf8.RuneCountInString(note) > MaxNote:
		pr.add("body.note", "a note has at most %d characters", MaxNote)
	}
	if err := pr.err(); err != nil {
		return nil, err
	}
	if plan.WorkingRevisionID == "" {
		return nil, errs.E(errs.Conflict, "the plan has nothing in review to reject")
	}
	r, err := s.store.Revision(ctx, plan.WorkingRevisionID)
	if err != nil {
		return nil, err
	}
	if r.State != RevisionInReview {
		return nil, errs.E(errs.Conflict, "the plan has nothing in review to reject")
	}
	now := s.clock()
	if plan.PublishedRevisionID == "" {
		plan.Status = Draft
	}
	plan.UpdatedAt = now
	if err := s.store.ChangeState(ctx, plan, RevisionChange{RevisionID: r.ID, From: RevisionInReview, To: RevisionDraft, Note: note, ReviewedBy: p.UserID, At: now}); err != nil {
		return nil, err
	}
	r.State, r.ReviewNote, r.ReviewedAt, r.ReviewedBy = RevisionDraft, note, &now, p.UserID
	s.record(ctx, p, audit.PlanRejected, audit.TargetPlan, plan.ID, r.Title, map[string]any{"revision": r.Number, "note": note})
	return s.draft(ctx, plan, r)
}

// Archive takes a published plan out of the catalogue. Its content stays,
// so readers who enrolled can finish it; publishing it again restores it.
func (s *Service) Archive(ctx context.Context, p *identity.Principal, id string) (*Editable, error) {
	plan, err := s.reviewable(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if plan.Status != Published {
		return nil, errs.E(errs.Conflict, "only a published plan can be archived; this one is %s", plan.Status)
	}
	now := s.clock()
	plan.Status, plan.ArchivedAt, plan.UpdatedAt = Archived, &now, now
	if err := s.store.ChangeState(ctx, plan); err != nil {
		return nil, err
	}
	s.newGeneration(ctx)
	r, err := s.store.Revision(ctx, plan.EditableRevisionID())
	if err != nil {
		return nil, err
	}
	s.record(ctx, p, audit.PlanArchived, audit.TargetPlan, plan.ID, r.Title, nil)
	return s.draft(ctx, plan, r)
}

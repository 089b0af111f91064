package catalog

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/identity"
)

// PlanInput creates a plan or changes its metadata; nil fields stay as
// they are (or take their defaults on creation).
type PlanInput struct {
	Slug            *string
	Title           *string
	Subtitle        *string
	Description     *string
	AuthorIDs       *[]string
	Tradition       *Tradition
	Topics          *[]string
	Level           *Level
	Language        *string
	CoverMediaID    *string
	FixedStartDates *[]string
}

// Editable is a plan as the studio shows it: the plan, the revision being
// edited (or else the published one) and that revision's authors.
type Editable struct {
	Plan     *Plan
	Revision *Revision
	Authors  []*Author
}

// CreatePlan starts a plan as a draft. Without authors, the plan names the
// author linked to the creator's account, which is created from their
// display name if they have none yet.
func (s *Service) CreatePlan(ctx context.Context, p *identity.Principal, displayName string, in PlanInput) (*Editable, error) {
	if err := identity.Authorize(p, identity.AuthorPlans); err != nil {
		return nil, err
	}
	now := s.clock()
	r := &Revision{ID: NewID(), Number: 1, State: RevisionDraft, Level: Beginner, Language: "en",
		CreatedAt: now, UpdatedAt: now, AuthorIDs: []string{}, Topics: []string{}, FixedStartDates: []string{}, Days: []Day{}}
	applyMeta(r, in)
	var pr problems
	if in.Title == nil {
		pr.add("body.title", "title must not be empty")
	}
	if in.Tradition == nil {
		pr.add("body.tradition", "tradition must be one of %s", list(Traditions))
	}
	checkMeta(&pr, "body.", metaOf(r))
	slug := Slugify(r.Title)
	if in.Slug != nil && *in.Slug != "" {
		slug = *in.Slug
		checkSlug(&pr, "body.slug", slug)
	}
	if err := s.checkMedia(ctx, p, &pr, "body.cover_media_id", r.CoverMediaID, string(Image)); err != nil {
		return nil, err
	}
	var newAuthors []*Author
	if in.AuthorIDs != nil && len(*in.AuthorIDs) > 0 {
		s.checkAuthors(ctx, &pr, *in.AuthorIDs)
	} else {
		a, created, err := s.ownAuthor(ctx, p, displayName, now)
		if err != nil {
			return nil, err
		}
		if created {
			newAuthors = append(newAuthors, a)
		}
		r.AuthorIDs = []string{a.ID}
	}
	if err := pr.err(); err != nil {
		return nil, err
	}
	slug, err := s.claimSlug(ctx, slug, in.Slug != nil && *in.Slug != "")
	if err != nil {
		return nil, err
	}
	plan := &Plan{ID: NewID(), Slug: slug, Status: Draft, CreatedBy: p.UserID, WorkingRevisionID: r.ID, CreatedAt: now, UpdatedAt: now}
	r.PlanID = plan.ID
	render(r)
	if err := s.store.CreatePlan(ctx, plan, r, newAuthors...); err != nil {
		if errs.Is(err, errs.Conflict) {
			return nil, s.slugTaken(ctx, "body.slug", slug)
		}
		return nil, err
	}
	return s.draft(ctx, plan, r)
}

// ownAuthor returns the author linked to p's account, making one from
// their display name (not yet stored) when there is none.
func (s *Service) ownAuthor(ctx context.Context, p *identity.Principal, name string, now time.Time) (*Author, bool, error) {
	a, err := s.store.AuthorByUser(ctx, p.UserID)
	if err == nil {
		return a, false, nil
	}
	if !errs.Is(err, errs.NotFound) {
		return nil, false, err
	}
	if name == "" {
		name = "Author"
	}
	return &Author{ID: NewID(), Name: name, Tradition: Other, UserID: p.UserID, CreatedAt: now, UpdatedAt: now}, true, nil
}

// claimSlug checks that slug is free. An explicit slug that is taken is a
// validation error suggesting a free one; a derived one moves to a free one.
func (s *Service) claimSlug(ctx context.Context, slug string, explicit bool) (string, error) {
	free, err := s.freeSlug(ctx, slug)
	if err != nil {
		return "", err
	}
	if free != slug && explicit {
		return "", s.slugTaken(ctx, "body.slug", slug)
	}
	return free, nil
}

func (s *Service) slugTaken(ctx context.Context, field, slug string) error {
	free, err := s.freeSlug(ctx, slug)
	if err != nil {
		return err
	}
	return errs.Validation(errs.FieldError{Field: field, Message: fmt.Sprintf("the slug %q is taken; %q is free", slug, free)})
}

// checkAuthors reports author ids that name no author.
func (s *Service) checkAuthors(ctx context.Context, pr *problems, ids []string) {
	if len(ids) > MaxAuthors {
		pr.add("body.author_ids", "a plan has at most %d authors", MaxAuthors)
		return
	}
	var valid []string
	for i, id := range ids {
		switch {
		case !validID(id):
			pr.add(fmt.Sprintf("body.author_ids[%d]", i), "%q is not an author id", id)
		case slices.Contains(ids[:i], id):
			pr.add(fmt.Sprintf("body.author_ids[%d]", i), "author %s is named twice", id)
		default:
			valid = append(valid, id)
		}
	}
	found, err := s.store.AuthorsByIDs(ctx, valid)
	if err != nil {
		pr.add("body.author_ids", "the authors cannot be checked right now")
		return
	}
	for i, id := range ids {
		if slices.Contains(valid, id) && !slices.ContainsFunc(found, func(a *Author) bool { return a.ID == id }) {
			pr.add(fmt.Sprintf("body.author_ids[%d]", i), "there is no author %s", id)
		}
	}
}

func applyMeta(r *Revision, in PlanInput) {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&r.Title, in.Title)
	set(&r.Subtitle, in.Subtitle)
	set(&r.Description, in.Description)
	set(&r.Language, in.Language)
	set(&r.CoverMediaID, in.CoverMediaID)
	if in.Tradition != nil {
		r.Tradition = *in.Tradition
	}
	if in.Level != nil {
		r.Level = *in.Level
	}
	if in.AuthorIDs != nil {
		r.AuthorIDs = slices.Clone(*in.AuthorIDs)
	}
	if in.Topics != nil {
		r.Topics = NormalizeTopics(*in.Topics)
	}
	if in.FixedStartDates != nil {
		r.FixedStartDates = slices.Clone(*in.FixedStartDates)
	}
	r.Title, r.Subtitle, r.Description = line(r.Title), line(r.Subtitle), Markdown(r.Description)
	r.Language, r.CoverMediaID = line(r.Language), line(r.CoverMediaID)
}

// draft assembles what the studio shows.
func (s *Service) draft(ctx context.Context, plan *Plan, r *Revision) (*Editable, error) {
	authors, err := s.authorsInOrder(ctx, r.AuthorIDs)
	if err != nil {
		return nil, err
	}
	return &Editable{Plan: plan, Revision: r, Authors: authors}, nil
}

// authorsInOrder loads authors and returns them in the order of ids.
func (s *Service) authorsInOrder(ctx context.Context, ids []string) ([]*Author, error) {
	found, err := s.store.AuthorsByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]*Author, 0, len(ids))
	for _, id := range ids {
		if i := slices.IndexFunc(found, func(a *Author) bool { return a.ID == id }); i >= 0 {
			out = append(out, found[i])
		}
	}
	return out, nil
}

// editablePlan loads a plan p may edit; any other answers not found.
func (s *Service) editablePlan(ctx context.Context, p *identity.Principal, id string) (*Plan, *Revision, error) {
	if err := identity.Authorize(p, identity.AuthorPlans); err != nil {
		return nil, nil, err
	}
	if !validID(id) {
		return nil, nil, notFound()
	}
	plan, err := s.store.PlanByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	r, err := s.store.Revision(ctx, plan.EditableRevisionID())
	if err != nil {
		return nil, nil, err
	}
	var published []string
	if plan.PublishedRevisionID != "" && plan.PublishedRevisionID != r.ID {
		pub, err := s.store.RevisionMeta(ctx, plan.PublishedRevisionID)
		if err != nil {
			return nil, nil, err
		}
		published = pub.AuthorIDs
	}
	ok, err := s.allow(ctx, p, plan, r.AuthorIDs, published)
	if err != nil {
		return nil, nil, err
	}
	if !ok {
		return nil, nil, notFound()
	}
	return plan, r, nil
}

// StudioPlan returns a plan for editing.
func (s *Service) StudioPlan(ctx context.Context, p *identity.Principal, id string) (*Editable, error) {
	plan, r, err := s.editablePlan(ctx, p, id)
	if err != nil {
		return nil, err
	}
	return s.draft(ctx, plan, r)
}

// StudioPlans lists the plans p may edit (every plan, for admins), newest
// first, optionally only those with status.
func (s *Service) StudioPlans(ctx context.Context, p *identity.Principal, status Status, cursor string, limit int) (*identity.Page[*Listing], error) {
	if err := identity.Authorize(p, identity.AuthorPlans); err != nil {
		return nil, err
	}
	var pr problems
	if status != "" && !status.Valid() {
		pr.add("query.status", "status must be one of %s", list(Statuses))
	}
	after, ok := identity.DecodeIDCursor(cursor)
	if !ok {
		pr.add("query.cursor", identity.BadCursor)
	}
	limit = pageSize(&pr, limit)
	if err := pr.err(); err != nil {
		return nil, err
	}
	q := StudioQuery{Status: status, AfterID: after, Limit: limit + 1}
	if p.Role != identity.RoleAdmin {
		q.EditableBy = p.UserID
	}
	items, err := s.store.ListStudio(ctx, q)
	if err != nil {
		return nil, err
	}
	page := &identity.Page[*Listing]{Items: items}
	if len(items) > limit {
		page.Items = items[:limit]
		page.NextCursor = identity.IDCursor(items[limit-1].Plan.ID)
	}
	return page, nil
}

// Edit applies change to the revision p may edit, validates the whole
// revision and saves it. A published plan without pending edits gets a new
// working revision, copied from the published one; readers keep seeing the
// published one until the new one is published. version, when not zero,
// is the revision version the editor last saw: a different one means
// someone else saved since, and is a conflict.
func (s *Service) Edit(ctx context.Context, p *identity.Principal, id string, version int, change func(r *Revision) error) (*Editable, error) {
	return s.edit(ctx, p, id, version, func(_ *Plan, r *Revision) error { return change(r) })
}

// edit is Edit with the plan's own row open to change too.
func (s *Service) edit(ctx context.Context, p *identity.Principal, id string, version int, change func(plan *Plan, r *Revision) error) (*Editable, error) {
	plan, r, err := s.editablePlan(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if version != 0 && version != r.Version {
		return nil, errs.E(errs.Conflict, "the plan was changed elsewhere since version %d (it is at version %d now): reload it, or send your change again without a version to overwrite", version, r.Version)
	}
	saveAt := r.Version
	switch r.State {
	case RevisionInReview:
		return nil, errs.E(errs.Conflict, "the plan is in review; it can be edited again once it is published or sent back")
	case RevisionPublished:
		// Start the next revision from the published one. Item and task
		// ids carry over, so readers' progress stays attached.
		now := s.clock()
		// The version counts on from the published revision's, so a
		// version names one state of the plan across revisions.
		r.ID, r.Number, r.State = NewID(), r.Number+1, RevisionDraft
		r.ReviewNote, r.SubmittedAt, r.ReviewedAt, r.ReviewedBy = "", nil, nil, ""
		r.CreatedAt = now
		plan.WorkingRevisionID = r.ID
		saveAt = 0
	}
	oldAuthors := slices.Clone(r.AuthorIDs)
	if err := change(plan, r); err != nil {
		return nil, err
	}
	for i := range r.Days {
		r.Days[i].Number = i + 1
	}
	r.DayCount = len(r.Days)
	var pr problems
	checkMeta(&pr, "body.", metaOf(r))
	checkDays(&pr, "", contentDays(r.Days))
	if !slices.Equal(oldAuthors, r.AuthorIDs) {
		s.checkAuthors(ctx, &pr, r.AuthorIDs)
	}
	if err := pr.err(); err != nil {
		return nil, err
	}
	render(r)
	now := s.clock()
	r.UpdatedAt, plan.UpdatedAt = now, now
	if err := s.store.SaveRevision(ctx, plan, r, saveAt); err != nil {
		if errs.Is(err, errs.Conflict) && saveAt != 0 {
			return nil, errs.E(errs.Conflict, "the plan was changed elsewhere at the same moment; reload it and try again")
		}
		return nil, err
	}
	return s.draft(ctx, plan, r)
}

// UpdatePlan changes a plan's metadata. The slug may change until the plan
// is first published; after that it is fixed, because links to it exist.
func (s *Service) UpdatePlan(ctx context.Context, p *identity.Principal, id string, version int, in PlanInput) (*Editable, error) {
	return s.edit(ctx, p, id, version, func(plan *Plan, r *Revision) error {
		var pr problems
		if in.Title != nil && line(*in.Title) == "" {
			pr.add("body.title", "title must not be empty")
		}
		cover := r.CoverMediaID
		applyMeta(r, in)
		if r.CoverMediaID != cover {
			checkMediaID(&pr, "body.cover_media_id", r.CoverMediaID)
			if err := s.checkMedia(ctx, p, &pr, "body.cover_media_id", r.CoverMediaID, string(Image)); err != nil {
				return err
			}
		}
		if in.Slug == nil || *in.Slug == plan.Slug {
			return pr.err()
		}
		switch {
		case plan.FirstPublishedAt != nil:
			pr.add("body.slug", "the slug of a published plan stays as it is, so that links to it keep working")
		case checkSlug(&pr, "body.slug", *in.Slug) && len(pr.fields) == 0:
			if _, err := s.claimSlug(ctx, *in.Slug, true); err != nil {
				return err
			}
			plan.Slug = *in.Slug
		}
		return pr.err()
	})
}

// DeletePlan deletes a plan that has never been published. A published
// plan is archived instead, by an admin, so enrolled readers keep it.
func (s *Service) DeletePlan(ctx context.Context, p *identity.Principal, id string) error {
	plan, _, err := s.editablePlan(ctx, p, id)
	if err != nil {
		return err
	}
	if plan.FirstPublishedAt != nil {
		return errs.E(errs.Conflict, "a plan that has been published cannot be deleted; an admin can archive it")
	}
	return s.store.DeletePlan(ctx, plan.ID)
}

// contentDays returns the content of days, for validation.
func contentDays(days []Day) []DayContent {
	out := make([]DayContent, len(days))
	for i, d := range days {
		out[i] = DayContent{Title: d.Title, Intro: d.Intro, Items: make([]ItemContent, len(d.Items)), Tasks: make([]TaskContent, len(d.Tasks))}
		for j, it := range d.Items {
			out[i].Items[j] = it.ItemContent
		}
		for j, t := range d.Tasks {
			out[i].Tasks[j] = t.TaskContent
		}
	}
	return out
}

func pageSize(pr *problems, limit int) int {
	if limit == 0 {
		return 20
	}
	if limit < 1 || limit > identity.MaxPageSize {
		pr.add("query.limit", "limit must be from 1 to %d", identity.MaxPageSize)
	}
	return limit
}

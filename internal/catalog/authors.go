package catalog

import (
	"context"
	"slices"
	"strings"

	"github.com/dharmaplans/dharmaplans/internal/audit"
	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/identity"
	"github.com/dharmaplans/dharmaplans/internal/markdown"
)

// AuthorInput creates an author or changes one; nil fields stay as they are.
type AuthorInput struct {
	Name         *string
	Bio          *string
	Tradition    *Tradition
	PhotoMediaID *string
	// UserID links an account ("" unlinks).
	UserID *string
}

func applyAuthor(a *Author, in AuthorInput) {
	if in.Name != nil {
		a.Name = line(*in.Name)
	}
	if in.Bio != nil {
		a.Bio = Markdown(*in.Bio)
	}
	if in.Tradition != nil {
		a.Tradition = *in.Tradition
	}
	if in.PhotoMediaID != nil {
		a.PhotoMediaID = line(*in.PhotoMediaID)
	}
	if in.UserID != nil {
		a.UserID = strings.TrimSpace(*in.UserID)
	}
	a.BioHTML = markdown.HTML(a.Bio)
}

func checkAuthor(pr *problems, a *Author) {
	checkLine(pr, "body.name", a.Name, MaxTitle, true)
	checkMarkdown(pr, "body.bio", a.Bio)
	if a.Tradition != "" && !a.Tradition.Valid() {
		pr.add("body.tradition", "tradition must be one of %s", list(Traditions))
	}
	checkMediaID(pr, "body.photo_media_id", a.PhotoMediaID)
	if a.UserID != "" && !validID(a.UserID) {
		pr.add("body.user_id", "%q is not a user id", a.UserID)
	}
}

// linkFailed explains a store error about the linked account.
func linkFailed(err error, userID string) error {
	switch errs.CodeOf(err) {
	case errs.Invalid:
		return errs.Validation(errs.FieldError{Field: "body.user_id", Message: "there is no user " + userID})
	case errs.Conflict:
		return errs.Validation(errs.FieldError{Field: "body.user_id", Message: "that account is already linked to another author"})
	}
	return err
}

// CreateAuthor adds an author (admins).
func (s *Service) CreateAuthor(ctx context.Context, p *identity.Principal, in AuthorInput) (*Author, error) {
	if err := identity.Authorize(p, identity.ManageSystem); err != nil {
		return nil, err
	}
	now := s.clock()
	a := &Author{ID: NewID(), Tradition: Other, CreatedAt: now, UpdatedAt: now}
	applyAuthor(a, in)
	var pr problems
	checkAuthor(&pr, a)
	if err := s.checkMedia(ctx, p, &pr, "body.photo_media_id", a.PhotoMediaID, string(Image)); err != nil {
		return nil, err
	}
	if err := pr.err(); err != nil {
		return nil, err
	}
	if err := s.store.CreateAuthor(ctx, a); err != nil {
		return nil, linkFailed(err, a.UserID)
	}
	s.record(ctx, p, audit.AuthorCreated, audit.TargetAuthor, a.ID, a.Name, authorChanges(nil, a))
	return a, nil
}

// UpdateAuthor changes an author (admins). The public catalogue shows the
// change at once.
func (s *Service) UpdateAuthor(ctx context.Context, p *identity.Principal, id string, in AuthorInput) (*Author, error) {
	a, err := s.AdminAuthor(ctx, p, id)
	if err != nil {
		return nil, err
	}
	before := *a
	photo := a.PhotoMediaID
	applyAuthor(a, in)
	a.UpdatedAt = s.clock()
	var pr problems
	checkAuthor(&pr, a)
	if a.PhotoMediaID != photo {
		if err := s.checkMedia(ctx, p, &pr, "body.photo_media_id", a.PhotoMediaID, string(Image)); err != nil {
			return nil, err
		}
	}
	if err := pr.err(); err != nil {
		return nil, err
	}
	if err := s.store.UpdateAuthor(ctx, a); err != nil {
		return nil, linkFailed(err, a.UserID)
	}
	s.newGeneration(ctx)
	if changes := authorChanges(&before, a); len(changes) > 0 {
		s.record(ctx, p, audit.AuthorUpdated, audit.TargetAuthor, a.ID, a.Name, changes)
	}
	return a, nil
}

// DeleteAuthor deletes an author that no plan names (admins).
func (s *Service) DeleteAuthor(ctx context.Context, p *identity.Principal, id string) error {
	a, err := s.AdminAuthor(ctx, p, id)
	if err != nil {
		return err
	}
	if err := s.store.DeleteAuthor(ctx, id); err != nil {
		if errs.Is(err, errs.Conflict) || errs.Is(err, errs.Invalid) {
			return errs.E(errs.Conflict, "plans name this author; change their authors first")
		}
		return err
	}
	s.newGeneration(ctx)
	s.record(ctx, p, audit.AuthorDeleted, audit.TargetAuthor, a.ID, a.Name, nil)
	return nil
}

// AdminAuthor returns any author (admins).
func (s *Service) AdminAuthor(ctx context.Context, p *identity.Principal, id string) (*Author, error) {
	if err := identity.Authorize(p, identity.ManageSystem); err != nil {
		return nil, err
	}
	return s.author(ctx, id)
}

func (s *Service) author(ctx context.Context, id string) (*Author, error) {
	if !validID(id) {
		return nil, errs.E(errs.NotFound, "author not found")
	}
	return s.store.AuthorByID(ctx, id)
}

// AdminAuthors lists every author (admins), by name, optionally those
// whose name contains q.
func (s *Service) AdminAuthors(ctx context.Context, p *identity.Principal, q, cursor string, limit int) (*identity.Page[*Author], error) {
	if err := identity.Authorize(p, identity.ManageSystem); err != nil {
		return nil, err
	}
	return s.authors(ctx, AuthorQuery{Q: q}, cursor, limit)
}

// StudioAuthors are the authors p may find to name on a plan, by name,
// those whose name contains q: every author for admins; for others their
// own author (linked to their account, published or not) first, then the
// authors of published plans. At most limit of them.
func (s *Service) StudioAuthors(ctx context.Context, p *identity.Principal, q string, limit int) ([]*Author, error) {
	if err := identity.Authorize(p, identity.AuthorPlans); err != nil {
		return nil, err
	}
	if identity.Authorize(p, identity.ManageSystem) == nil {
		page, err := s.authors(ctx, AuthorQuery{Q: q}, "", limit)
		if err != nil {
			return nil, err
		}
		return page.Items, nil
	}
	page, err := s.authors(ctx, AuthorQuery{Q: q, Published: true}, "", limit)
	if err != nil {
		return nil, err
	}
	own, err := s.store.AuthorByUser(ctx, p.UserID)
	if errs.Is(err, errs.NotFound) {
		return page.Items, nil
	}
	if err != nil {
		return nil, err
	}
	list := page.Items
	if strings.Contains(SortTitle(own.Name), SortTitle(strings.TrimSpace(q))) {
		list = append([]*Author{own}, slices.DeleteFunc(list, func(a *Author) bool { return a.ID == own.ID })...)
	}
	return list[:min(len(list), limit)], nil
}

// Authors lists the authors of published plans, by name.
func (s *Service) Authors(ctx context.Context, cursor string, limit int) (*identity.Page[*Author], error) {
	return s.authors(ctx, AuthorQuery{Published: true}, cursor, limit)
}

func (s *Service) authors(ctx context.Context, q AuthorQuery, cursor string, limit int) (*identity.Page[*Author], error) {
	var pr problems
	if len(q.Q) > MaxTitle {
		pr.add("query.q", "q has at most %d characters", MaxTitle)
	}
	if cursor != "" {
		c, ok := decodeCatalogCursor(cursor)
		if !ok || c.Query != "authors" {
			pr.add("query.cursor", identity.BadCursor)
		}
		q.AfterKey, q.AfterID = c.Key, c.ID
	}
	limit = pageSize(&pr, limit)
	if err := pr.err(); err != nil {
		return nil, err
	}
	q.Q, q.Limit = SortTitle(strings.TrimSpace(q.Q)), limit+1
	list, err := s.store.ListAuthors(ctx, q)
	if err != nil {
		return nil, err
	}
	page := &identity.Page[*Author]{Items: list}
	if len(list) > limit {
		page.Items = list[:limit]
		last := list[limit-1]
		page.NextCursor = encodeCursor(catalogCursor{Query: "authors", Key: SortTitle(last.Name), ID: last.ID})
	}
	return page, nil
}

// PublicAuthor is an author with their published plans.
type PublicAuthor struct {
	Author *Author
	Plans  []*Listing
}

// Author returns an author of published plans with those plans; other
// authors are not found.
func (s *Service) Author(ctx context.Context, id string) (*PublicAuthor, error) {
	key := s.cacheKey(ctx, "author", id)
	var out PublicAuthor
	if s.cached(ctx, key, &out) {
		return &out, nil
	}
	a, err := s.author(ctx, id)
	if err != nil {
		return nil, err
	}
	plans, err := s.store.ListPublished(ctx, CatalogQuery{AuthorID: id, Sort: Newest, Limit: MaxDays})
	if err != nil {
		return nil, err
	}
	if len(plans) == 0 {
		return nil, errs.E(errs.NotFound, "author not found")
	}
	out = PublicAuthor{Author: a, Plans: plans}
	s.keep(ctx, key, &out)
	return &out, nil
}

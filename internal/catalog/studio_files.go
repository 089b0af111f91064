package catalog

import (
	"context"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/identity"
)

// The studio's side of plan folders (internal/catalog/planfile): authors
// import a folder as a new draft of their own and export the plan they
// edit; and reviewers compare a revision in review with the published one.

// FolderMedia stores the media files of a plan folder being imported.
type FolderMedia interface {
	// Attach stores the files c references as files of the folder, and
	// references them by media id instead.
	Attach(ctx context.Context, c *PlanContent) error
	// Detach deletes what Attach stored, when the import fails after all.
	Detach(ctx context.Context)
}

// placeholderMedia stands for a medium while a folder's content is checked
// before its files are stored.
const placeholderMedia = "00000000-0000-0000-0000-000000000000"

// ImportDraft stores c, read from a plan folder p sent, as a new draft that
// p owns, all or nothing. Everything is checked first, every problem
// reported at once; only then are the folder's media files stored, as p's
// (media.Attach), and the plan with them. A slug already taken moves to a
// free one. Authors may name only authors this server knows (admins add
// authors); admins may name new ones, which are created.
func (s *Service) ImportDraft(ctx context.Context, p *identity.Principal, c *PlanContent, media FolderMedia) (*Editable, error) {
	if err := identity.Authorize(p, identity.AuthorPlans); err != nil {
		return nil, err
	}
	c = clonePlan(c)
	Normalize(c)

	// Check what can be checked before the files are stored: all but the
	// media references, which name files until then.
	probe := clonePlan(c)
	for _, ref := range mediaRefs(probe) {
		if *ref != "" {
			*ref = placeholderMedia
		}
	}
	var pr problems
	checkImport(&pr, probe, false)
	if p.Role != identity.RoleAdmin {
		for i, a := range c.Authors {
			if a.Name == "" || pr.has(fieldf("authors[%d].name", i)) {
				continue
			}
			switch _, err := s.store.AuthorByName(ctx, a.Name); {
			case errs.Is(err, errs.NotFound):
				pr.add(fieldf("authors[%d].name", i), "there is no author %q here: name an author this server knows (admins add authors)", a.Name)
			case err != nil:
				return nil, err
			}
		}
	}
	if err := pr.err(); err != nil {
		return nil, err
	}
	if c.Slug != "" {
		free, err := s.freeSlug(ctx, c.Slug)
		if err != nil {
			return nil, err
		}
		c.Slug = free
	}

	if err := media.Attach(ctx, c); err != nil {
		media.Detach(ctx)
		return nil, err
	}
	e, err := s.Import(ctx, c, ImportOptions{CreatedBy: p.UserID, As: p})
	if err != nil {
		media.Detach(ctx)
		return nil, err
	}
	return e, nil
}

// mediaRefs lists the media references of c: its cover and its items'.
func mediaRefs(c *PlanContent) []*string {
	refs := []*string{&c.CoverMediaID}
	for i := range c.Days {
		for j := range c.Days[i].Items {
			refs = append(refs, &c.Days[i].Items[j].MediaID)
		}
	}
	return refs
}

// ExportDraft returns a plan p may edit as Export does (the revision the
// studio shows), with when that revision last changed. Plans p may not
// edit are not found.
func (s *Service) ExportDraft(ctx context.Context, p *identity.Principal, id string) (*PlanContent, time.Time, error) {
	plan, r, err := s.editablePlan(ctx, p, id)
	if err != nil {
		return nil, time.Time{}, err
	}
	c, err := s.Export(ctx, plan.ID)
	if err != nil {
		return nil, time.Time{}, err
	}
	return c, r.UpdatedAt, nil
}

// PublishedRevision returns a plan p may edit with its published revision
// in place of the one being written or reviewed: what readers see now,
// for comparing with the changes. A plan never published has none (not
// found, saying so).
func (s *Service) PublishedRevision(ctx context.Context, p *identity.Principal, id string) (*Editable, error) {
	plan, _, err := s.editablePlan(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if plan.PublishedRevisionID == "" {
		return nil, errs.E(errs.NotFound, "this plan has not been published yet, so it has no published revision")
	}
	r, err := s.store.Revision(ctx, plan.PublishedRevisionID)
	if err != nil {
		return nil, err
	}
	return s.draft(ctx, plan, r)
}

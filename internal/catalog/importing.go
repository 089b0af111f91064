package catalog

import (
	"context"
	"fmt"
	"slices"

	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/identity"
	"github.com/dharmaplans/dharmaplans/internal/markdown"
)

// ImportOptions shape an import.
type ImportOptions struct {
	// Publish publishes the plan at once instead of leaving it a draft.
	Publish bool
	// CreatedBy is the account the plan belongs to ("" for none: admins
	// and the linked authors may edit it).
	CreatedBy string
	// As is who imports, whose media the plan may reference; nil is the
	// operator at the command line, who may reference any.
	As *identity.Principal
}

// Import stores c as a new plan, all or nothing: authors are matched by
// name or created, the content is validated as a whole (every problem is
// reported at once, with its place in the plan), and nothing is stored
// unless everything is. Importing is an operator's task (the command line),
// so it is not checked against a principal.
func (s *Service) Import(ctx context.Context, c *PlanContent, opts ImportOptions) (*Editable, error) {
	c = clonePlan(c)
	Normalize(c)
	var pr problems
	slug := checkImport(&pr, c, opts.Publish)
	if len(pr.fields) == 0 {
		if err := s.checkContentMedia(ctx, opts.As, &pr, c); err != nil {
			return nil, err
		}
	}
	if err := pr.err(); err != nil {
		return nil, err
	}
	free, err := s.freeSlug(ctx, slug)
	if err != nil {
		return nil, err
	}
	if free != slug {
		if c.Slug != "" {
			return nil, errs.Validation(errs.FieldError{Field: "slug", Message: "the slug " + slug + " is taken; " + free + " is free"})
		}
		slug = free
	}

	now := s.clock()
	var newAuthors []*Author
	var authorIDs []string
	for _, ac := range c.Authors {
		a, err := s.store.AuthorByName(ctx, ac.Name)
		switch {
		case err == nil:
		case errs.Is(err, errs.NotFound):
			if i := slices.IndexFunc(newAuthors, func(n *Author) bool { return n.Name == ac.Name }); i >= 0 {
				a = newAuthors[i]
				break
			}
			tr := ac.Tradition
			if tr == "" {
				tr = Other
			}
			a = &Author{ID: NewID(), Name: ac.Name, Bio: ac.Bio, BioHTML: markdown.HTML(ac.Bio), Tradition: tr, CreatedAt: now, UpdatedAt: now}
			newAuthors = append(newAuthors, a)
		default:
			return nil, err
		}
		if !slices.Contains(authorIDs, a.ID) {
			authorIDs = append(authorIDs, a.ID)
		}
	}

	r := &Revision{ID: NewID(), Number: 1, State: RevisionDraft, CreatedAt: now, UpdatedAt: now,
		Title: c.Title, Subtitle: c.Subtitle, Description: c.Description, AuthorIDs: authorIDs,
		Tradition: c.Tradition, Topics: c.Topics, Level: c.Level, Language: c.Language,
		CoverMediaID: c.CoverMediaID, FixedStartDates: c.FixedStartDates, Days: make([]Day, len(c.Days))}
	for i, dc := range c.Days {
		d := Day{Number: i + 1, Title: dc.Title, Intro: dc.Intro, Items: make([]Item, len(dc.Items)), Tasks: make([]Task, len(dc.Tasks))}
		for j, it := range dc.Items {
			d.Items[j] = Item{ID: NewID(), ItemContent: it}
		}
		for j, t := range dc.Tasks {
			d.Tasks[j] = Task{ID: NewID(), TaskContent: t}
		}
		r.Days[i] = d
	}
	r.DayCount = len(r.Days)
	render(r)
	plan := &Plan{ID: NewID(), Slug: slug, Status: Draft, CreatedBy: opts.CreatedBy, WorkingRevisionID: r.ID, CreatedAt: now, UpdatedAt: now}
	if opts.Publish {
		r.State, r.ReviewedAt = RevisionPublished, &now
		plan.Status, plan.WorkingRevisionID, plan.PublishedRevisionID = Published, "", r.ID
		plan.FirstPublishedAt, plan.PublishedAt = &now, &now
	}
	r.PlanID = plan.ID
	if err := s.store.CreatePlan(ctx, plan, r, newAuthors...); err != nil {
		return nil, err
	}
	if opts.Publish {
		s.newGeneration(ctx)
	}
	return s.draft(ctx, plan, r)
}

// checkImport validates c (normalised) as Import does, all but the media
// it references, and returns its slug: its own, or else one derived from
// its title.
func checkImport(pr *problems, c *PlanContent, publish bool) string {
	checkMeta(pr, "", meta{c.Title, c.Subtitle, c.Description, c.Tradition, c.Topics, c.Level, c.Language, c.CoverMediaID, c.FixedStartDates})
	checkDays(pr, "", c.Days)
	if len(c.Authors) == 0 {
		pr.add("authors", "a plan needs at least one author")
	}
	if len(c.Authors) > MaxAuthors {
		pr.add("authors", "a plan has at most %d authors", MaxAuthors)
	}
	for i, a := range c.Authors {
		checkLine(pr, fieldf("authors[%d].name", i), a.Name, MaxTitle, true)
		checkMarkdown(pr, fieldf("authors[%d].bio", i), a.Bio)
		if a.Tradition != "" && !a.Tradition.Valid() {
			pr.add(fieldf("authors[%d].tradition", i), "tradition must be one of %s", list(Traditions))
		}
	}
	slug := c.Slug
	if slug == "" {
		slug = Slugify(c.Title)
	} else {
		checkSlug(pr, "slug", slug)
	}
	if publish && len(c.Days) == 0 {
		pr.add("days", "a plan needs at least one day")
	}
	for i, d := range c.Days {
		if publish && len(d.Items) == 0 && len(d.Tasks) == 0 {
			pr.add(fieldf("days[%d]", i), "day %d has nothing to read or do", i+1)
		}
	}
	return slug
}

// checkContentMedia checks every medium c references, as p.
func (s *Service) checkContentMedia(ctx context.Context, p *identity.Principal, pr *problems, c *PlanContent) error {
	if err := s.checkMedia(ctx, p, pr, "cover_media_id", c.CoverMediaID, string(Image)); err != nil {
		return err
	}
	for i, d := range c.Days {
		for j, it := range d.Items {
			if it.Kind == Text || it.Kind == Link {
				continue
			}
			if err := s.checkMedia(ctx, p, pr, fieldf("days[%d].items[%d].media_id", i, j), it.MediaID, string(it.Kind)); err != nil {
				return err
			}
		}
	}
	return nil
}

// Export returns a plan's content as the studio shows it (its working
// revision, or else the published one), by slug or id, in the form Import
// reads back.
func (s *Service) Export(ctx context.Context, slugOrID string) (*PlanContent, error) {
	var plan *Plan
	var err error
	if validID(slugOrID) {
		plan, err = s.store.PlanByID(ctx, slugOrID)
	} else {
		plan, err = s.store.PlanBySlug(ctx, slugOrID)
	}
	if err != nil {
		return nil, err
	}
	r, err := s.store.Revision(ctx, plan.EditableRevisionID())
	if err != nil {
		return nil, err
	}
	authors, err := s.authorsInOrder(ctx, r.AuthorIDs)
	if err != nil {
		return nil, err
	}
	c := &PlanContent{Slug: plan.Slug, Title: r.Title, Subtitle: r.Subtitle, Description: r.Description,
		Tradition: r.Tradition, Topics: slices.Clone(r.Topics), Level: r.Level, Language: r.Language,
		CoverMediaID: r.CoverMediaID, FixedStartDates: slices.Clone(r.FixedStartDates)}
	for _, a := range authors {
		c.Authors = append(c.Authors, AuthorContent{Name: a.Name, Bio: a.Bio, Tradition: a.Tradition})
	}
	c.Days = contentDays(r.Days)
	Normalize(c)
	return c, nil
}

// clonePlan copies c deeply enough that normalising the copy leaves c as
// the caller gave it.
func clonePlan(c *PlanContent) *PlanContent {
	out := *c
	out.Authors = slices.Clone(c.Authors)
	out.Topics = slices.Clone(c.Topics)
	out.FixedStartDates = slices.Clone(c.FixedStartDates)
	out.Days = make([]DayContent, len(c.Days))
	for i, d := range c.Days {
		d.Items = slices.Clone(d.Items)
		d.Tasks = slices.Clone(d.Tasks)
		out.Days[i] = d
	}
	return &out
}

func fieldf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

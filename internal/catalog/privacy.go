package catalog

import (
	"context"
	"time"
)

// PersonalData is what the catalogue holds about a person, for their
// export: the author profile linked to their account and the plans they
// started.
type PersonalData struct {
	Author *ExportedAuthor `json:"author"`
	Plans  []ExportedPlan  `json:"plans"`
}

// ExportedAuthor is an author profile in an export.
type ExportedAuthor struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Bio       string    `json:"bio"`
	Tradition Tradition `json:"tradition"`
}

// ExportedPlan is a plan in an export.
type ExportedPlan struct {
	ID        string    `json:"id"`
	Slug      string    `json:"slug"`
	Title     string    `json:"title"`
	Status    Status    `json:"status"`
	CreatedAt time.Time `json:"created_at"`
}

// PersonalData returns what the catalogue holds about the account userID. On
// account deletion, the store deletes the plans never published and an
// author profile no plan names.
func (s *Service) PersonalData(ctx context.Context, userID string) (any, error) {
	out := PersonalData{Plans: []ExportedPlan{}}
	a, err := s.store.AuthorByUser(ctx, userID)
	switch {
	case err == nil:
		out.Author = &ExportedAuthor{ID: a.ID, Name: a.Name, Bio: a.Bio, Tradition: a.Tradition}
	case !isNotFound(err):
		return nil, err
	}
	after := ""
	for {
		page, err := s.store.ListStudio(ctx, StudioQuery{EditableBy: userID, AfterID: after, Limit: 100})
		if err != nil {
			return nil, err
		}
		for _, l := range page {
			if l.Plan.CreatedBy == userID {
				out.Plans = append(out.Plans, ExportedPlan{ID: l.Plan.ID, Slug: l.Plan.Slug, Title: l.Revision.Title,
					Status: l.Plan.Status, CreatedAt: l.Plan.CreatedAt})
			}
		}
		if len(page) < 100 {
			return out, nil
		}
		after = page[len(page)-1].Plan.ID
	}
}

package media

import (
	"context"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/identity"
)

// Delete removes p's medium id and its files, unless published content
// uses it.
func (s *Service) Delete(ctx context.Context, p *identity.Principal, id string) error {
	m, err := s.owned(ctx, p, id)
	if err != nil {
		return err
	}
	if published, err := s.store.MediumPublished(ctx, m.ID); err != nil {
		return err
	} else if published {
		return errs.E(errs.Conflict, "a published plan uses this media: replace it there first")
	}
	if err := s.store.DeleteMedium(ctx, m.ID); err != nil {
		return err
	}
	s.discard(ctx, m)
	s.deleteVariants(ctx, m)
	return nil
}

// PruneAbandonedUploads deletes uploads that were never completed in
// time, with whatever bytes arrived, and the media of deleted accounts
// that no published content uses: a periodic job.
func (s *Service) PruneAbandonedUploads(ctx context.Context) error {
	list, err := s.store.AbandonedUploads(ctx, s.now().UTC(), 1000)
	if err != nil {
		return err
	}
	for _, m := range list {
		if err := s.store.DeleteMedium(ctx, m.ID); err != nil {
			return err
		}
		s.discard(ctx, m)
		s.deleteVariants(ctx, m)
	}
	return nil
}

// PersonalData is a person's media for their data export: what they
// uploaded, without the files' URLs.
func (s *Service) PersonalData(ctx context.Context, userID string) (any, error) {
	list, err := s.store.MediaOf(ctx, userID)
	if err != nil {
		return nil, err
	}
	type item struct {
		ID, Kind, Filename, ContentType, Status string
		Size                                    int64
		CreatedAt                               time.Time
	}
	out := []item{}
	for _, m := range list {
		out = append(out, item{m.ID, string(m.Kind), m.Filename, m.ContentType, string(m.Status), m.Size, m.CreatedAt})
	}
	return out, nil
}

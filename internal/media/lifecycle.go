package media

import (
	"context"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/identity"
)

// Delete removes p's medium id and its files, unless a plan or an author
// references it.
func (s *Service) Delete(ctx context.Context, p *identity.Principal, id string) error {
	m, err := s.owned(ctx, p, id)
	if err != nil {
		return err
	}
	if used, err := s.store.MediumReferenced(ctx, m.ID); err != nil {
		return err
	} else if used {
		return errs.E(errs.Conflict, "a plan or an author uses this media: remove it there first")
	}
	if err := s.store.DeleteMedium(ctx, m.ID); err != nil {
		return err
	}
	s.discard(ctx, m)
	s.deleteVariants(ctx, m)
	return nil
}

// OrphanGrace is how long media without owner are kept before pruning
// when nothing references them: long enough for an import to reference
// the media it has just stored.
const OrphanGrace = 24 * time.Hour

// PruneAbandonedUploads deletes uploads that were never completed in
// time, with whatever bytes arrived, and media without owner (of deleted
// accounts, or left by a failed import) that nothing references: a
// periodic job.
func (s *Service) PruneAbandonedUploads(ctx context.Context) error {
	now := s.now().UTC()
	list, err := s.store.AbandonedUploads(ctx, now, now.Add(-OrphanGrace), 1000)
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

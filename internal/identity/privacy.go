package identity

import (
	"context"
	"errors"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/password"
)

// ExportSection adds one feature's data to a person's export: its name in
// the export document and a function returning the data (JSON-encodable).
// Each feature that stores personal data registers one.
type ExportSection struct {
	Name string
	Data func(ctx context.Context, userID string) (any, error)
}

// AddExportSection registers a section of the export. Call it while wiring,
// before serving.
func (s *Service) AddExportSection(sec ExportSection) { s.exports = append(s.exports, sec) }

// Export is everything the server holds about a person.
type Export struct {
	ExportedAt time.Time
	Account    *User
	Sessions   []*Session
	Sections   map[string]any
}

// Export gathers the principal's personal data.
func (s *Service) Export(ctx context.Context, p *Principal) (*Export, error) {
	u, err := s.Me(ctx, p)
	if err != nil {
		return nil, err
	}
	sessions, err := s.store.SessionsByUser(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	out := &Export{ExportedAt: s.now().UTC(), Account: u, Sessions: sessions, Sections: map[string]any{}}
	for _, sec := range s.exports {
		data, err := sec.Data(ctx, u.ID)
		if err != nil {
			return nil, err
		}
		out.Sections[sec.Name] = data
	}
	return out, nil
}

// DeleteAccount erases the principal's account and everything of it
// (sessions, tokens and, by cascade, every feature's rows), after checking
// the password, or without it when it was entered in the last RecentAuth.
func (s *Service) DeleteAccount(ctx context.Context, p *Principal, plain string) error {
	u, err := s.Me(ctx, p)
	if err != nil {
		return err
	}
	recent := !p.AuthTime.IsZero() && s.now().Sub(p.AuthTime) <= RecentAuth
	if plain != "" || !recent {
		if plain == "" {
			return errs.E(errs.Unauthenticated, "enter your password to delete your account")
		}
		ok, err := password.Verify(ctx, plain, u.PasswordHash)
		if err != nil && !errors.Is(err, password.ErrMalformedHash) {
			return err
		}
		if !ok {
			return errs.E(errs.Unauthenticated, "the password is incorrect")
		}
	}
	sessions, _ := s.store.SessionsByUser(ctx, u.ID)
	if err := s.store.DeleteUser(ctx, u.ID); err != nil {
		return err
	}
	for _, sess := range sessions {
		s.states.Invalidate(sess.ID)
	}
	s.logger.InfoContext(ctx, "account deleted", "user_id", u.ID)
	return nil
}

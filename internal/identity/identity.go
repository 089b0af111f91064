// Package identity is about who people are: accounts, roles and signed-in
// sessions. This first part holds the domain types, the storage the feature
// needs, and the housekeeping of expired sessions; sign-up, sign-in and
// tokens build on it.
package identity

import (
	"context"
	"log/slog"
	"time"

	"github.com/google/uuid"
)

// Role orders what a person may do: user < author < admin.
type Role string

// The roles.
const (
	RoleUser   Role = "user"
	RoleAuthor Role = "author"
	RoleAdmin  Role = "admin"
)

// User is an account.
type User struct {
	ID           string
	Email        string // normalised: trimmed, lower case
	PasswordHash string // empty for accounts without a password
	DisplayName  string
	Role         Role
	Timezone     string // IANA name
	Locale       string // BCP 47
	DisabledAt   *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Session is one signed-in device: a family of rotating refresh tokens.
type Session struct {
	ID         string
	UserID     string
	UserAgent  string
	CreatedAt  time.Time
	LastUsedAt time.Time
	ExpiresAt  time.Time
	RevokedAt  *time.Time
}

// Store is the storage identity needs.
type Store interface {
	// CreateUser stores u. A second account with the same email is a conflict.
	CreateUser(ctx context.Context, u *User) error
	// UserByID returns the user or a not-found error.
	UserByID(ctx context.Context, id string) (*User, error)
	// UserByEmail finds a user by normalised email, or returns not found.
	UserByEmail(ctx context.Context, email string) (*User, error)
	// CreateSession stores s; its user must exist.
	CreateSession(ctx context.Context, s *Session) error
	// SessionByID returns the session or a not-found error.
	SessionByID(ctx context.Context, id string) (*Session, error)
	// DeleteSessionsExpiredBefore removes sessions whose expiry is before t
	// and returns how many went.
	DeleteSessionsExpiredBefore(ctx context.Context, t time.Time) (int64, error)
}

// NewID returns a new identifier: a UUIDv7, which sorts by creation time.
func NewID() string {
	return uuid.Must(uuid.NewV7()).String()
}

// Service holds identity's rules.
type Service struct {
	store  Store
	now    func() time.Time
	logger *slog.Logger
}

// NewService returns a Service; now is the clock (time.Now outside tests).
func NewService(s Store, now func() time.Time, logger *slog.Logger) *Service {
	return &Service{store: s, now: now, logger: logger}
}

// PruneExpiredSessions deletes sessions that can no longer be used. It runs
// as a periodic background job; keeping dead sessions would only keep
// device names and timestamps nobody needs.
func (s *Service) PruneExpiredSessions(ctx context.Context) error {
	n, err := s.store.DeleteSessionsExpiredBefore(ctx, s.now())
	if err != nil {
		return err
	}
	if n > 0 {
		s.logger.InfoContext(ctx, "pruned expired sessions", "count", n)
	}
	return nil
}

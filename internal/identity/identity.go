// Package identity is about who people are and what they may do: accounts
// and profiles, passwords, signed-in sessions with rotating refresh tokens,
// access tokens, roles and the one policy every handler asks, email
// verification and password reset, abuse limits, and the privacy rights of
// export and erasure.
//
// The Service holds the rules; Store is the storage it needs, implemented
// once in internal/store for both engines.
package identity

import (
	"context"
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

// Roles lists the roles from least to most trusted.
var Roles = []Role{RoleUser, RoleAuthor, RoleAdmin}

// rank orders roles; an unknown role ranks below user.
func (r Role) rank() int {
	for i, x := range Roles {
		if x == r {
			return i + 1
		}
	}
	return 0
}

// AtLeast reports whether r is min or a more trusted role.
func (r Role) AtLeast(min Role) bool { return r.rank() >= min.rank() && r.rank() > 0 }

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool { return r.rank() > 0 }

// Themes a person may choose for the apps.
var Themes = []string{"system", "light", "dark"}

// User is an account.
type User struct {
	ID              string
	Email           string // normalised: trimmed, lower case
	PasswordHash    string // empty for accounts without a password
	DisplayName     string
	Role            Role
	Timezone        string // IANA name
	Locale          string // BCP 47
	DayStartHour    int    // 0-23: when the person's day begins, for night owls
	Theme           string // one of Themes
	Onboarding      Onboarding
	EmailVerifiedAt *time.Time
	DisabledAt      *time.Time
	FailedLogins    int        // consecutive wrong passwords
	LockedUntil     *time.Time // no sign-in with a password before this
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Session is one signed-in device: a family of rotating refresh tokens.
type Session struct {
	ID         string
	UserID     string
	UserAgent  string
	CreatedAt  time.Time
	LastUsedAt time.Time
	ExpiresAt  time.Time  // absolute end, however active the session
	AuthTime   *time.Time // when the password was last entered on it
	RevokedAt  *time.Time
}

// RefreshToken is one token of a session's family, known only by its hash.
type RefreshToken struct {
	Hash      string
	SessionID string
	CreatedAt time.Time
	UsedAt    *time.Time // set once it has been exchanged for a new one
}

// Rotation exchanges a refresh token for its successor, atomically.
type Rotation struct {
	OldHash   string
	NewHash   string
	SessionID string
	At        time.Time
	// ReusedSince, when set, also accepts an old token that was used at or
	// after this instant (the overlap window); otherwise only an unused one.
	ReusedSince *time.Time
}

// Purpose says what a single-use emailed token is for.
type Purpose string

// The purposes.
const (
	PurposeVerifyEmail   Purpose = "verify_email"
	PurposeResetPassword Purpose = "reset_password"
	PurposeSetupAdmin    Purpose = "setup_admin" // printed at first start; no user
)

// EmailToken is a single-use token sent by email, known only by its hash.
type EmailToken struct {
	Hash      string
	Purpose   Purpose
	UserID    string // empty for PurposeSetupAdmin
	Email     string // the address it was sent to
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

// AuthState is what an authenticated request needs to know, fresh, about
// the session behind an access token.
type AuthState struct {
	UserID           string
	Role             Role
	UserDisabled     bool
	SessionRevoked   bool
	SessionExpiresAt time.Time
}

// UserQuery selects users for administrators.
type UserQuery struct {
	Q     string // substring of email or display name, case-insensitive
	After string // cursor: the id of the last user of the previous page
	Limit int
}

// Store is the storage identity needs.
type Store interface {
	// CreateUser stores u. A second account with the same email is a conflict.
	CreateUser(ctx context.Context, u *User) error
	// UserByID returns the user or a not-found error.
	UserByID(ctx context.Context, id string) (*User, error)
	// UserByEmail finds a user by normalised email, or returns not found.
	UserByEmail(ctx context.Context, email string) (*User, error)
	// UpdateProfile saves the profile fields of u (display name, timezone,
	// locale, day-start hour, theme, onboarding answers) and UpdatedAt.
	UpdateProfile(ctx context.Context, u *User) error
	// UpdateAccess saves u's role and disabled state and UpdatedAt.
	UpdateAccess(ctx context.Context, u *User) error
	// SetPassword stores a new password hash and clears any lock.
	SetPassword(ctx context.Context, userID, hash string, at time.Time) error
	// SetEmailVerified records that the user proved they own their email.
	SetEmailVerified(ctx context.Context, userID string, at time.Time) error
	// RecordFailedLogin counts one more consecutive wrong password and
	// returns the count.
	RecordFailedLogin(ctx context.Context, userID string) (int, error)
	// SetLockedUntil locks password sign-in until t (nil unlocks).
	SetLockedUntil(ctx context.Context, userID string, t *time.Time) error
	// ClearFailedLogins resets the count and the lock after a success.
	ClearFailedLogins(ctx context.Context, userID string) error
	// ListUsers returns users in id order after q.After matching q.Q.
	ListUsers(ctx context.Context, q UserQuery) ([]*User, error)
	// CountUsers counts accounts.
	CountUsers(ctx context.Context) (int, error)
	// DeleteUser erases the account and, by cascade, everything of it.
	DeleteUser(ctx context.Context, id string) error

	// CreateSession stores s with its first refresh token.
	CreateSession(ctx context.Context, s *Session, refreshHash string) error
	// SessionByID returns the session or a not-found error.
	SessionByID(ctx context.Context, id string) (*Session, error)
	// SessionsByUser lists a user's sessions that are not revoked, newest first.
	SessionsByUser(ctx context.Context, userID string) ([]*Session, error)
	// RevokeSession revokes one session (and so its refresh tokens).
	RevokeSession(ctx context.Context, id string, at time.Time) error
	// RevokeUserSessions revokes every session of userID except exceptID
	// (which may be empty) and returns their ids.
	RevokeUserSessions(ctx context.Context, userID, exceptID string, at time.Time) ([]string, error)
	// RefreshTokenByHash returns a refresh token or a not-found error.
	RefreshTokenByHash(ctx context.Context, hash string) (*RefreshToken, error)
	// RotateRefreshToken marks r.OldHash used (unless it is within the
	// overlap window), stores r.NewHash and touches the session, all or
	// nothing. A token already used is a conflict: the caller treats it as
	// reuse.
	RotateRefreshToken(ctx context.Context, r Rotation) error
	// AuthState returns the state of a session and its user.
	AuthState(ctx context.Context, sessionID string) (*AuthState, error)
	// PruneSessions deletes sessions past their absolute expiry or idle
	// since before idleBefore, and expired single-use tokens; it returns how
	// many sessions went.
	PruneSessions(ctx context.Context, now, idleBefore time.Time) (int64, error)

	// CreateEmailToken stores a single-use token.
	CreateEmailToken(ctx context.Context, t *EmailToken) error
	// EmailToken returns an unused, unexpired token of purpose without
	// using it; any other token is not found.
	EmailToken(ctx context.Context, hash string, purpose Purpose, at time.Time) (*EmailToken, error)
	// UseEmailToken marks an unused, unexpired token of purpose used and
	// returns it; any other token is not found.
	UseEmailToken(ctx context.Context, hash string, purpose Purpose, at time.Time) (*EmailToken, error)
}

// NewID returns a new identifier: a UUIDv7, which sorts by creation time.
func NewID() string {
	return uuid.Must(uuid.NewV7()).String()
}

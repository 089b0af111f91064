package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/identity"
)

var _ identity.Store = (*Store)(nil)

const userColumns = `id, email, password_hash, display_name, role, timezone, locale, disabled_at, created_at, updated_at`

// CreateUser implements identity.Store.
func (s *Store) CreateUser(ctx context.Context, u *identity.User) error {
	_, err := s.db.Write.ExecContext(ctx, `
		INSERT INTO users (`+userColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		u.ID, u.Email, nullString(u.PasswordHash), u.DisplayName, string(u.Role), u.Timezone, u.Locale,
		utcPtr(u.DisabledAt), u.CreatedAt.UTC(), u.UpdatedAt.UTC())
	return s.fail(err, "user")
}

// UserByID implements identity.Store.
func (s *Store) UserByID(ctx context.Context, id string) (*identity.User, error) {
	row := s.db.Read.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id)
	u, err := scanUser(row)
	return u, s.fail(err, "user")
}

// UserByEmail implements identity.Store.
func (s *Store) UserByEmail(ctx context.Context, email string) (*identity.User, error) {
	row := s.db.Read.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE email = $1`, email)
	u, err := scanUser(row)
	return u, s.fail(err, "user")
}

func scanUser(row *sql.Row) (*identity.User, error) {
	var (
		u        identity.User
		hash     sql.NullString
		role     string
		disabled sql.NullTime
	)
	err := row.Scan(&u.ID, &u.Email, &hash, &u.DisplayName, &role, &u.Timezone, &u.Locale,
		&disabled, &u.CreatedAt, &u.UpdatedAt)
	if err != nil {
		return nil, err
	}
	u.PasswordHash = hash.String
	u.Role = identity.Role(role)
	u.DisabledAt = timePtr(disabled)
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	return &u, nil
}

const sessionColumns = `id, user_id, user_agent, created_at, last_used_at, expires_at, revoked_at`

// CreateSession implements identity.Store.
func (s *Store) CreateSession(ctx context.Context, sess *identity.Session) error {
	_, err := s.db.Write.ExecContext(ctx, `
		INSERT INTO sessions (`+sessionColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		sess.ID, sess.UserID, sess.UserAgent, sess.CreatedAt.UTC(), sess.LastUsedAt.UTC(),
		sess.ExpiresAt.UTC(), utcPtr(sess.RevokedAt))
	return s.fail(err, "session")
}

// SessionByID implements identity.Store.
func (s *Store) SessionByID(ctx context.Context, id string) (*identity.Session, error) {
	var (
		sess    identity.Session
		revoked sql.NullTime
	)
	err := s.db.Read.QueryRowContext(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE id = $1`, id).
		Scan(&sess.ID, &sess.UserID, &sess.UserAgent, &sess.CreatedAt, &sess.LastUsedAt, &sess.ExpiresAt, &revoked)
	if err != nil {
		return nil, s.fail(err, "session")
	}
	sess.CreatedAt, sess.LastUsedAt, sess.ExpiresAt = sess.CreatedAt.UTC(), sess.LastUsedAt.UTC(), sess.ExpiresAt.UTC()
	sess.RevokedAt = timePtr(revoked)
	return &sess, nil
}

// DeleteSessionsExpiredBefore implements identity.Store.
func (s *Store) DeleteSessionsExpiredBefore(ctx context.Context, t time.Time) (int64, error) {
	res, err := s.db.Write.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at < $1`, t.UTC())
	if err != nil {
		return 0, s.fail(err, "")
	}
	n, err := res.RowsAffected()
	return n, s.fail(err, "")
}

func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

func utcPtr(t *time.Time) sql.NullTime {
	if t == nil {
		return sql.NullTime{}
	}
	return sql.NullTime{Time: t.UTC(), Valid: true}
}

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/identity"
)

var _ identity.Store = (*Store)(nil)

const userColumns = `id, email, password_hash, display_name, role, timezone, locale, day_start_hour, theme,
	email_verified_at, disabled_at, failed_logins, locked_until, created_at, updated_at,
	preferred_traditions, experience_level, minutes_per_day`

// CreateUser implements identity.Store.
func (s *Store) CreateUser(ctx context.Context, u *identity.User) error {
	_, err := s.db.Write.ExecContext(ctx, `
		INSERT INTO users (`+userColumns+`, search_name)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
		u.ID, u.Email, nullString(u.PasswordHash), u.DisplayName, string(u.Role), u.Timezone, u.Locale,
		u.DayStartHour, u.Theme, utcPtr(u.EmailVerifiedAt), utcPtr(u.DisabledAt), u.FailedLogins,
		utcPtr(u.LockedUntil), u.CreatedAt.UTC(), u.UpdatedAt.UTC(),
		strings.Join(u.Onboarding.Traditions, ","), u.Onboarding.Level, u.Onboarding.MinutesPerDay, searchName(u.DisplayName))
	return s.fail(err, "user")
}

// UserByID implements identity.Store.
func (s *Store) UserByID(ctx context.Context, id string) (*identity.User, error) {
	u, err := scanUser(s.db.Read.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id))
	return u, s.fail(err, "user")
}

// UserByEmail implements identity.Store.
func (s *Store) UserByEmail(ctx context.Context, email string) (*identity.User, error) {
	u, err := scanUser(s.db.Read.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE email = $1`, email))
	return u, s.fail(err, "user")
}

// UpdateProfile implements identity.Store.
func (s *Store) UpdateProfile(ctx context.Context, u *identity.User) error {
	return s.execOne(ctx, "user", `
		UPDATE users SET display_name = $2, timezone = $3, locale = $4, day_start_hour = $5, theme = $6, updated_at = $7,
			search_name = $8, preferred_traditions = $9, experience_level = $10, minutes_per_day = $11
		WHERE id = $1`,
		u.ID, u.DisplayName, u.Timezone, u.Locale, u.DayStartHour, u.Theme, u.UpdatedAt.UTC(), searchName(u.DisplayName),
		strings.Join(u.Onboarding.Traditions, ","), u.Onboarding.Level, u.Onboarding.MinutesPerDay)
}

// UpdateAccess implements identity.Store.
func (s *Store) UpdateAccess(ctx context.Context, u *identity.User) error {
	return s.execOne(ctx, "user", `UPDATE users SET role = $2, disabled_at = $3, updated_at = $4 WHERE id = $1`,
		u.ID, string(u.Role), utcPtr(u.DisabledAt), u.UpdatedAt.UTC())
}

// SetPassword implements identity.Store.
func (s *Store) SetPassword(ctx context.Context, userID, hash string, at time.Time) error {
	return s.execOne(ctx, "user", `
		UPDATE users SET password_hash = $2, failed_logins = 0, locked_until = NULL, updated_at = $3 WHERE id = $1`,
		userID, hash, at.UTC())
}

// SetEmailVerified implements identity.Store.
func (s *Store) SetEmailVerified(ctx context.Context, userID string, at time.Time) error {
	return s.execOne(ctx, "user", `UPDATE users SET email_verified_at = $2, updated_at = $2 WHERE id = $1`, userID, at.UTC())
}

// RecordFailedLogin implements identity.Store.
func (s *Store) RecordFailedLogin(ctx context.Context, userID string) (int, error) {
	var n int
	err := s.db.Write.QueryRowContext(ctx,
		`UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins`, userID).Scan(&n)
	return n, s.fail(err, "user")
}

// SetLockedUntil implements identity.Store.
func (s *Store) SetLockedUntil(ctx context.Context, userID string, t *time.Time) error {
	return s.execOne(ctx, "user", `UPDATE users SET locked_until = $2 WHERE id = $1`, userID, utcPtr(t))
}

// ClearFailedLogins implements identity.Store.
func (s *Store) ClearFailedLogins(ctx context.Context, userID string) error {
	return s.execOne(ctx, "user", `UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1`, userID)
}

// ListUsers implements identity.Store.
func (s *Store) ListUsers(ctx context.Context, q identity.UserQuery) ([]*identity.User, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 50
	}
	// The pattern is matched with LIKE on text lower-cased in Go (emails
	// are stored so, names in search_name), so both engines fold case the
	// same way, non-ASCII letters included; the search text's own wildcards
	// are escaped so they match literally.
	pattern := "%" + likeEscaper.Replace(searchName(q.Q)) + "%"
	after := q.After
	if after == "" {
		after = zeroUUID
	}
	rows, err := s.db.Read.QueryContext(ctx, `
		SELECT `+userColumns+` FROM users
		WHERE id > $1 AND (email LIKE $2 ESCAPE '\' OR search_name LIKE $2 ESCAPE '\')
		ORDER BY id LIMIT $3`, after, pattern, limit)
	if err != nil {
		return nil, s.fail(err, "")
	}
	defer rows.Close()
	var users []*identity.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, s.fail(err, "")
		}
		users = append(users, u)
	}
	return users, s.fail(rows.Err(), "")
}

// searchName is how names are kept for search: lower case.
func searchName(name string) string { return strings.ToLower(name) }

// zeroUUID sorts before every id.
const zeroUUID = "00000000-0000-0000-0000-000000000000"

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// CountUsers implements identity.Store.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := s.db.Read.QueryRowContext(ctx, `SELECT count(*) FROM users`).Scan(&n)
	return n, s.fail(err, "")
}

// DeleteUser implements identity.Store. Besides what cascades from the
// users row, it deletes the plans the person started and never published
// (their unshared drafts) and the author profile linked to them if no
// plan names it any more. Published plans stay: they are public works, and
// their author profile stays with them, unlinked. The audit log keeps its
// entries about the person, their email address replaced by
// audit.DeletedAccount.
func (s *Store) DeleteUser(ctx context.Context, id string) error {
	return s.tx(ctx, "user", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM plans WHERE created_by = $1 AND first_published_at IS NULL`, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM authors WHERE user_id = $1
			AND NOT EXISTS (SELECT 1 FROM revision_authors ra WHERE ra.author_id = authors.id)`, id); err != nil {
			return err
		}
		if err := forgetAuditUser(ctx, tx, id); err != nil {
			return err
		}
		// The invitation the person signed up with keeps that it was used,
		// not by which address.
		if _, err := tx.ExecContext(ctx, `UPDATE invites SET email = NULL WHERE used_by = $1`, id); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM users WHERE id = $1`, id)
		return one(res, err)
	})
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

func scanUser(row scanner) (*identity.User, error) {
	var (
		u                          identity.User
		hash                       sql.NullString
		role, traditions           string
		verified, disabled, locked sql.NullTime
	)
	err := row.Scan(&u.ID, &u.Email, &hash, &u.DisplayName, &role, &u.Timezone, &u.Locale, &u.DayStartHour, &u.Theme,
		&verified, &disabled, &u.FailedLogins, &locked, &u.CreatedAt, &u.UpdatedAt,
		&traditions, &u.Onboarding.Level, &u.Onboarding.MinutesPerDay)
	if err != nil {
		return nil, err
	}
	if traditions != "" {
		u.Onboarding.Traditions = strings.Split(traditions, ",")
	}
	u.PasswordHash = hash.String
	u.Role = identity.Role(role)
	u.EmailVerifiedAt, u.DisabledAt, u.LockedUntil = timePtr(verified), timePtr(disabled), timePtr(locked)
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	return &u, nil
}

// execOne runs a statement that must touch exactly one row of what; none
// is a not-found error.
func (s *Store) execOne(ctx context.Context, what, query string, args ...any) error {
	res, err := s.db.Write.ExecContext(ctx, query, args...)
	if err != nil {
		return s.fail(err, what)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return s.fail(err, what)
	}
	if n == 0 {
		return s.fail(sql.ErrNoRows, what)
	}
	return nil
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

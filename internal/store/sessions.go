package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/identity"
)

const sessionColumns = `id, user_id, user_agent, created_at, last_used_at, expires_at, auth_time, revoked_at`

// CreateSession implements identity.Store.
func (s *Store) CreateSession(ctx context.Context, sess *identity.Session, refreshHash string) error {
	return s.inTx(ctx, "session", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO sessions (`+sessionColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			sess.ID, sess.UserID, sess.UserAgent, sess.CreatedAt.UTC(), sess.LastUsedAt.UTC(),
			sess.ExpiresAt.UTC(), utcPtr(sess.AuthTime), utcPtr(sess.RevokedAt)); err != nil {
			return err
		}
		if refreshHash == "" {
			return nil
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO refresh_tokens (token_hash, session_id, created_at) VALUES ($1, $2, $3)`,
			refreshHash, sess.ID, sess.CreatedAt.UTC())
		return err
	})
}

// SessionByID implements identity.Store.
func (s *Store) SessionByID(ctx context.Context, id string) (*identity.Session, error) {
	sess, err := scanSession(s.db.Read.QueryRowContext(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE id = $1`, id))
	return sess, s.fail(err, "session")
}

// SessionsByUser implements identity.Store.
func (s *Store) SessionsByUser(ctx context.Context, userID string) ([]*identity.Session, error) {
	rows, err := s.db.Read.QueryContext(ctx, `
		SELECT `+sessionColumns+` FROM sessions
		WHERE user_id = $1 AND revoked_at IS NULL ORDER BY last_used_at DESC, id DESC`, userID)
	if err != nil {
		return nil, s.fail(err, "")
	}
	defer rows.Close()
	var list []*identity.Session
	for rows.Next() {
		sess, err := scanSession(rows)
		if err != nil {
			return nil, s.fail(err, "")
		}
		list = append(list, sess)
	}
	return list, s.fail(rows.Err(), "")
}

// RevokeSession implements identity.Store.
func (s *Store) RevokeSession(ctx context.Context, id string, at time.Time) error {
	return s.execOne(ctx, "session", `UPDATE sessions SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1`, id, at.UTC())
}

// RevokeUserSessions implements identity.Store.
func (s *Store) RevokeUserSessions(ctx context.Context, userID, exceptID string, at time.Time) ([]string, error) {
	rows, err := s.db.Write.QueryContext(ctx, `
		UPDATE sessions SET revoked_at = $3
		WHERE user_id = $1 AND id <> $2 AND revoked_at IS NULL
		RETURNING id`, userID, orZeroUUID(exceptID), at.UTC())
	if err != nil {
		return nil, s.fail(err, "")
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, s.fail(err, "")
		}
		ids = append(ids, id)
	}
	return ids, s.fail(rows.Err(), "")
}

// RefreshTokenByHash implements identity.Store.
func (s *Store) RefreshTokenByHash(ctx context.Context, hash string) (*identity.RefreshToken, error) {
	var (
		t    identity.RefreshToken
		used sql.NullTime
	)
	err := s.db.Read.QueryRowContext(ctx,
		`SELECT token_hash, session_id, created_at, used_at FROM refresh_tokens WHERE token_hash = $1`, hash).
		Scan(&t.Hash, &t.SessionID, &t.CreatedAt, &used)
	if err != nil {
		return nil, s.fail(err, "refresh token")
	}
	t.CreatedAt = t.CreatedAt.UTC()
	t.UsedAt = timePtr(used)
	return &t, nil
}

// RotateRefreshToken implements identity.Store.
func (s *Store) RotateRefreshToken(ctx context.Context, r identity.Rotation) error {
	return s.inTx(ctx, "refresh token", func(tx *sql.Tx) error {
		// Only one of two racing refreshes with the same token can mark it
		// used; the other finds no row and is treated as reuse.
		var since sql.NullTime
		if r.ReusedSince != nil {
			since = sql.NullTime{Time: r.ReusedSince.UTC(), Valid: true}
		}
		res, err := tx.ExecContext(ctx, `
			UPDATE refresh_tokens SET used_at = COALESCE(used_at, $3)
			WHERE token_hash = $1 AND session_id = $2 AND (used_at IS NULL OR used_at >= $4)`,
			r.OldHash, r.SessionID, r.At.UTC(), since)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return errs.E(errs.Conflict, "refresh token already used")
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO refresh_tokens (token_hash, session_id, created_at) VALUES ($1, $2, $3)`,
			r.NewHash, r.SessionID, r.At.UTC()); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE sessions SET last_used_at = $2 WHERE id = $1`, r.SessionID, r.At.UTC())
		return err
	})
}

// AuthState implements identity.Store.
func (s *Store) AuthState(ctx context.Context, sessionID string) (*identity.AuthState, error) {
	var (
		st               identity.AuthState
		role             string
		disabled, revoke sql.NullTime
	)
	err := s.db.Read.QueryRowContext(ctx, `
		SELECT u.id, u.role, u.disabled_at, s.revoked_at, s.expires_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1`, sessionID).
		Scan(&st.UserID, &role, &disabled, &revoke, &st.SessionExpiresAt)
	if err != nil {
		return nil, s.fail(err, "session")
	}
	st.Role = identity.Role(role)
	st.UserDisabled, st.SessionRevoked = disabled.Valid, revoke.Valid
	st.SessionExpiresAt = st.SessionExpiresAt.UTC()
	return &st, nil
}

// PruneSessions implements identity.Store.
func (s *Store) PruneSessions(ctx context.Context, now, idleBefore time.Time) (int64, error) {
	var n int64
	err := s.inTx(ctx, "", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at < $1 OR last_used_at < $2`, now.UTC(), idleBefore.UTC())
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM email_tokens WHERE expires_at < $1`, now.UTC())
		return err
	})
	return n, err
}

func scanSession(row scanner) (*identity.Session, error) {
	var (
		sess              identity.Session
		authTime, revoked sql.NullTime
	)
	if err := row.Scan(&sess.ID, &sess.UserID, &sess.UserAgent, &sess.CreatedAt, &sess.LastUsedAt, &sess.ExpiresAt,
		&authTime, &revoked); err != nil {
		return nil, err
	}
	sess.CreatedAt, sess.LastUsedAt, sess.ExpiresAt = sess.CreatedAt.UTC(), sess.LastUsedAt.UTC(), sess.ExpiresAt.UTC()
	sess.AuthTime, sess.RevokedAt = timePtr(authTime), timePtr(revoked)
	return &sess, nil
}

// CreateEmailToken implements identity.Store.
func (s *Store) CreateEmailToken(ctx context.Context, t *identity.EmailToken) error {
	_, err := s.db.Write.ExecContext(ctx, `
		INSERT INTO email_tokens (token_hash, purpose, user_id, email, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6)`,
		t.Hash, string(t.Purpose), nullString(t.UserID), t.Email, t.CreatedAt.UTC(), t.ExpiresAt.UTC())
	return s.fail(err, "token")
}

// EmailToken implements identity.Store.
func (s *Store) EmailToken(ctx context.Context, hash string, purpose identity.Purpose, at time.Time) (*identity.EmailToken, error) {
	return s.scanEmailToken(s.db.Read.QueryRowContext(ctx, `
		SELECT token_hash, purpose, user_id, email, created_at, expires_at, used_at FROM email_tokens
		WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3`,
		hash, string(purpose), at.UTC()))
}

// UseEmailToken implements identity.Store.
func (s *Store) UseEmailToken(ctx context.Context, hash string, purpose identity.Purpose, at time.Time) (*identity.EmailToken, error) {
	return s.scanEmailToken(s.db.Write.QueryRowContext(ctx, `
		UPDATE email_tokens SET used_at = $3
		WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3
		RETURNING token_hash, purpose, user_id, email, created_at, expires_at, used_at`,
		hash, string(purpose), at.UTC()))
}

func (s *Store) scanEmailToken(row *sql.Row) (*identity.EmailToken, error) {
	var (
		t      identity.EmailToken
		p      string
		userID sql.NullString
		usedAt sql.NullTime
	)
	if err := row.Scan(&t.Hash, &p, &userID, &t.Email, &t.CreatedAt, &t.ExpiresAt, &usedAt); err != nil {
		return nil, s.fail(err, "token")
	}
	t.Purpose, t.UserID = identity.Purpose(p), userID.String
	t.CreatedAt, t.ExpiresAt, t.UsedAt = t.CreatedAt.UTC(), t.ExpiresAt.UTC(), timePtr(usedAt)
	return &t, nil
}

// inTx runs fn in a write transaction and classifies its error as about what.
func (s *Store) inTx(ctx context.Context, what string, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.Write.BeginTx(ctx, nil)
	if err != nil {
		return s.fail(err, what)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return s.fail(err, what)
	}
	return s.fail(tx.Commit(), what)
}

func orZeroUUID(id string) string {
	if id == "" {
		return zeroUUID
	}
	return id
}
